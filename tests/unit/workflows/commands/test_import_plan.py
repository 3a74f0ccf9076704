"""Importing a plan on in-memory storage: all of it or nothing, again without change, and what a re-import
may and may not change."""

from __future__ import annotations

import dataclasses

import pytest

from documents.importer import read_plan
from documents.plan import PlanDraft
from domain.model import Person, ReviewStatus
from domain.roles import Role
from tests.unit.fakes import FakeTx, uow_factory
from tests.unit.plan_builders import SEED_PLAN, SEED_REFS
from workflows.commands.import_plan import import_plan
from workflows.errors import InvalidInput
from workflows.runtime.clock import FixedClock


@pytest.fixture
def empty() -> FakeTx:
    return FakeTx()


def seed() -> PlanDraft:
    return read_plan(SEED_PLAN)


async def test_a_first_import_writes_the_whole_plan_and_a_second_changes_nothing(
    empty: FakeTx, clock: FixedClock
) -> None:
    uow = uow_factory(empty)
    first = await import_plan(seed(), uow_factory=uow, clock=clock)
    assert (first.created_review, first.added) == (True, SEED_REFS)
    [review] = empty.reviews.rows.values()
    assert [a.ref for a in empty.actions.for_review(review.id)] == SEED_REFS
    assert empty.decisions.events().count("import_plan") == 1
    assert all(due == clock.today() for due in empty.actions.due_on.values())  # the next sweep finds each
    again = await import_plan(seed(), uow_factory=uow, clock=clock)
    assert (again.changed, again.unchanged, again.decision_id) == (False, len(SEED_REFS), None)
    assert empty.decisions.events().count("import_plan") == 1


async def test_a_dry_run_reports_what_an_import_would_do_and_keeps_nothing(empty: FakeTx, clock: FixedClock) -> None:
    report = await import_plan(seed(), uow_factory=uow_factory(empty), clock=clock, dry_run=True)
    assert report.added == SEED_REFS
    assert (empty.partnerships.all(), empty.actions.rows, empty.decisions.drafts, empty.commits) == ([], {}, [], 0)


async def test_a_reimport_updates_changed_text_keeps_what_the_file_dropped_and_logs_what_it_said_before(
    empty: FakeTx, clock: FixedClock
) -> None:
    uow = uow_factory(empty)
    await import_plan(seed(), uow_factory=uow, clock=clock)
    draft = seed()
    changed, dropped = draft.actions[0], draft.actions[1]
    draft.actions[0] = dataclasses.replace(changed, columns=dataclasses.replace(changed.columns, action="Rewritten."))
    del draft.actions[1]
    report = await import_plan(draft, uow_factory=uow, clock=clock)
    assert (report.updated, report.missing) == ({changed.ref: ["action"]}, [dropped.ref])
    [stored] = empty.actions.find(1, changed.ref)
    assert (stored[1].columns.action, stored[1].version) == ("Rewritten.", 1)
    updated = next(d for d in empty.decisions.drafts if d.event == "plan_updated")
    assert updated.payload["changes"]["action"] == {"from": changed.columns.action, "to": "Rewritten."}


async def test_a_signed_off_plan_takes_no_import_and_set_up_waits_for_the_coordinator(
    empty: FakeTx, clock: FixedClock
) -> None:
    uow = uow_factory(empty)
    await import_plan(seed(), uow_factory=uow, clock=clock)
    empty.people.put(Person(9, 1, "Cora Coordinator", "coord@bcsp.test", Role.COORDINATOR))
    with pytest.raises(InvalidInput, match="--as COORDINATOR_EMAIL"):
        await import_plan(seed(), uow_factory=uow, clock=clock)
    [review] = empty.reviews.rows.values()
    empty.reviews.set_status(review.id, str(ReviewStatus.SIGNED_OFF))
    with pytest.raises(InvalidInput, match="is signed off"):
        await import_plan(seed(), uow_factory=uow, clock=clock, actor_email="coord@bcsp.test")
