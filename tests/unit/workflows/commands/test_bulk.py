"""Bulk moves on in-memory storage: each action its own decision through the single move's use case, a refusal
undoing none of the others, a stale version refused as a conflict (the real databases: tests/integration)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from domain.ladders import ACKNOWLEDGED
from domain.model import Action
from domain.states import State
from storage.evidence_store import EvidenceStore
from tests.unit.fakes import FakeTx
from tests.unit.workflows.commands.world import (
    ASSURER,
    COMMISSIONER,
    DIRECTOR,
    LEAD,
    NHS,
    OTHER_LEAD,
    TARGET,
    VIEWER,
    action,
)
from workflows.commands.bulk import BulkCommand, BulkMove, BulkReport, Seen, bulk_move
from workflows.context import ActionKey
from workflows.errors import InvalidInput, UnknownPerson
from workflows.ports import UowFactory
from workflows.runtime.clock import FixedClock


def submitted(ref: str, id_: int) -> Action:
    """An action of the police with its lead officer's evidence in, waiting for a commissioner."""
    return replace(action(ref, id_=id_, state=State.EVIDENCE_SUBMITTED), submitted_by=LEAD.id)


@pytest.fixture
def three(tx: FakeTx) -> FakeTx:
    """3.11.1, 3.11.2 and 3.11.3 of the police, evidence submitted, each at version 0."""
    for ref, id_ in (("3.11.1", 1), ("3.11.2", 2), ("3.11.3", 3)):
        tx.actions.put(submitted(ref, id_))
    return tx


async def run(
    uow: UowFactory, clock: FixedClock, tmp_path: Path, who: str, move: BulkMove, *seen: Seen, **kw: str
) -> BulkReport:
    command = BulkCommand(who, move, seen, **kw)
    return await bulk_move(command, uow_factory=uow, clock=clock, store=EvidenceStore(tmp_path))


def at(action_id: int, version: int | None = 0) -> Seen:
    return Seen(ActionKey.by_id(action_id), version)


async def test_each_action_is_its_own_decision_and_a_stale_one_is_refused_without_undoing_the_others(
    three: FakeTx, uow: UowFactory, clock: FixedClock, tmp_path: Path
) -> None:
    three.actions.rows[2] = replace(three.actions.rows[2], version=1)  # someone moved 3.11.2 after the list was read
    report = await run(
        uow, clock, tmp_path, COMMISSIONER.email, BulkMove.VERIFY, at(1), at(2), at(3), comment=" Audit seen "
    )
    assert [(i.action_ref, i.done) for i in report.items] == [("3.11.1", True), ("3.11.2", False), ("3.11.3", True)]
    [stale] = report.refused
    assert stale.kind == "conflict" and "you had version 0, it is now version 1" in stale.detail
    assert report.done[0].detail == "now checked by the commissioner"
    assert [three.actions.stored(i).state for i in (1, 2, 3)] == [
        State.COMMISSIONER_VERIFIED,
        State.EVIDENCE_SUBMITTED,
        State.COMMISSIONER_VERIFIED,
    ]
    assert three.commits == 2  # one transaction each, the refused one committed nothing
    assert [(d.event, d.action_ref, d.note) for d in three.decisions.drafts] == [
        ("verify", "3.11.1", "Audit seen"),
        ("verify", "3.11.3", "Audit seen"),
    ]


async def test_the_single_moves_guards_decide_each_action(
    three: FakeTx, uow: UowFactory, clock: FixedClock, tmp_path: Path
) -> None:
    verified = replace(three.actions.rows[1], state=State.COMMISSIONER_VERIFIED, verified_by=COMMISSIONER.id)
    three.actions.rows[1] = verified
    report = await run(uow, clock, tmp_path, ASSURER.email, BulkMove.ASSURE, at(1), at(2))
    assert [(i.action_ref, i.done, i.kind) for i in report.items] == [
        ("3.11.1", True, ""),
        ("3.11.2", False, "not_yours"),
    ]
    assert "needs a commissioner's verification before the partnership assures it" in report.refused[0].detail
    assert report.done[0].to_state == "partnership_assured"


async def test_a_role_without_the_move_is_refused_for_each_action_by_the_lifecycle_table(
    three: FakeTx, uow: UowFactory, clock: FixedClock, tmp_path: Path
) -> None:
    report = await run(uow, clock, tmp_path, VIEWER.email, BulkMove.VERIFY, at(1))
    [refused] = report.refused
    assert (refused.kind, "is for the commissioner, not the viewer" in refused.detail) == ("not_yours", True)
    assert three.decisions.drafts == []


async def test_acknowledging_takes_every_escalation_of_each_action_that_waits_on_the_person(
    tx: FakeTx, uow: UowFactory, clock: FixedClock, tmp_path: Path
) -> None:
    tx.actions.put(action("3.11.2", id_=2))
    tx.actions.put(action("3.11.3", id_=3))
    tx.escalations.fire(1, "lead_officer", 1, "overdue", TARGET, TARGET, TARGET, decision_id=1)  # the lead's notice
    tx.escalations.fire(1, "lead_officer", 1, "director", TARGET, date(2014, 1, 8), date(2014, 1, 8), decision_id=1)
    tx.escalations.fire(3, "lead_officer", 1, "director", TARGET, date(2014, 1, 8), date(2014, 1, 8), decision_id=1)
    report = await run(
        uow, clock, tmp_path, DIRECTOR.email, BulkMove.ACKNOWLEDGE, at(1), at(2), at(3, 5), comment="Chasing"
    )
    assert [(i.action_ref, i.done, i.kind) for i in report.items] == [
        ("3.11.1", True, ""),
        ("3.11.2", False, "not_now"),
        ("3.11.3", False, "conflict"),
    ]
    assert report.done[0].detail == "1 escalation acknowledged"
    assert "no escalation of it waits on you" in report.refused[0].detail
    [draft] = tx.decisions.drafts
    assert (draft.event, draft.action_ref, draft.note, draft.payload["step"]) == (
        ACKNOWLEDGED,
        "3.11.1",
        "Chasing",
        "director",
    )
    assert tx.escalations.ledger[3].acknowledged_by is None  # 3.11.3 moved since it was seen: left alone


async def test_reassigning_hands_each_action_of_the_directors_agency_to_the_new_lead(
    tx: FakeTx, uow: UowFactory, clock: FixedClock, tmp_path: Path
) -> None:
    tx.actions.put(replace(action("3.1.1", id_=2), agency_id=NHS.id, lead_officer_id=None))
    report = await run(uow, clock, tmp_path, DIRECTOR.email, BulkMove.REASSIGN, at(1), at(2), to=OTHER_LEAD.email)
    # The NHS's action is not the police director's to see: the report names it as it was asked for, by id.
    assert [(i.action_ref, i.done) for i in report.items] == [("3.11.1", True), ("#2", False)]
    assert report.done[0].detail == f"lead officer is now {OTHER_LEAD.email}"
    assert "only the director of the action's agency" in report.refused[0].detail
    assert (tx.actions.stored(1).lead_officer_id, tx.actions.stored(1).version) == (OTHER_LEAD.id, 1)
    stale = await run(uow, clock, tmp_path, DIRECTOR.email, BulkMove.REASSIGN, at(1, 0), to=LEAD.email)
    assert [i.kind for i in stale.refused] == ["conflict"]


async def test_refs_from_the_command_line_are_reported_as_named_when_not_found(
    three: FakeTx, uow: UowFactory, clock: FixedClock, tmp_path: Path
) -> None:
    named = Seen(ActionKey("3.11.1")), Seen(ActionKey("9.9.9")), Seen(ActionKey("3.11.1"))  # the repeat counts once
    report = await run(uow, clock, tmp_path, COMMISSIONER.email, BulkMove.VERIFY, *named)
    assert [(i.action_ref, i.action_id, i.done, i.kind) for i in report.items] == [
        ("3.11.1", 1, True, ""),
        ("9.9.9", None, False, "not_found"),
    ]
    assert report.to_json()["refused"] == [
        {"action_id": None, "review_ref": "", "ref": "9.9.9", "kind": "not_found", "reason": "no action 9.9.9"}
    ]


@pytest.mark.parametrize(
    ("move", "seen", "kw", "problem"),
    [
        (BulkMove.VERIFY, (), {}, "choose at least one action"),
        (BulkMove.REASSIGN, (at(1),), {"to": " "}, "reassign needs the new lead officer"),
        (BulkMove.REASSIGN, (at(1),), {"to": OTHER_LEAD.email, "comment": "why"}, "reassign keeps no comment"),
        (BulkMove.VERIFY, (at(1),), {"comment": "x" * 20_001}, "the comment is 20,001 characters"),
        (BulkMove.VERIFY, (at(1),), {"comment": "done\x00"}, "the comment holds a NUL character"),
    ],
)
async def test_a_batch_that_cannot_be_taken_is_refused_before_any_action_is_touched(
    three: FakeTx,
    uow: UowFactory,
    clock: FixedClock,
    tmp_path: Path,
    move: BulkMove,
    seen: tuple[Seen, ...],
    kw: dict[str, str],
    problem: str,
) -> None:
    with pytest.raises(InvalidInput, match=problem):
        await run(uow, clock, tmp_path, COMMISSIONER.email, move, *seen, **kw)
    with pytest.raises(UnknownPerson):
        await run(uow, clock, tmp_path, "nobody@x.test", BulkMove.VERIFY, at(1))
    assert (three.commits, three.decisions.drafts) == (0, [])
