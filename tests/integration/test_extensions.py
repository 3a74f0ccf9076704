"""Extensions on real databases: asked, decided, and an approved one restarts the ladder."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from domain.extension import ExtensionRefused, ExtensionStatus
from tests.integration.helpers import ASSURER, COMMISSIONER, LEAD, LEAD_BSMHFT, seed
from workflows.commands.extensions import decide_extension, request_extension
from workflows.commands.sweep import sweep
from workflows.context import ActionKey
from workflows.queries.actions import action_detail
from workflows.queries.log import verify_log
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import App
from workflows.runtime.working_days import england_and_wales

DIRECTOR = "director.wmp@bcsp.test"
KEY = ActionKey("3.11.1")  # West Midlands Police, target "Jun-13": 30 June 2013


async def fired_for(app: App, day: date) -> list[tuple[str, date]]:
    report = await sweep(day, uow_factory=app.uow, clock=app.clock, calendar=england_and_wales())
    return [(f.step, f.anchor_date) for f in report.fired if f.action_ref == KEY.ref]


async def test_an_approved_extension_moves_the_date_keeps_the_original_and_restarts_the_ladder(
    app: App, seed_plan: Path
) -> None:
    assert isinstance(app.clock, FixedClock)
    app.clock.at = datetime(2013, 6, 3, 9, tzinfo=UTC)
    await seed(app, seed_plan)
    assert await fired_for(app, date(2013, 6, 17)) == [("reminder", date(2013, 6, 30))]

    asked = await request_extension(
        LEAD, KEY, date(2013, 9, 30), "Awaiting IMS changes", uow_factory=app.uow, clock=app.clock
    )
    assert asked.status is ExtensionStatus.PENDING
    decided = await decide_extension(DIRECTOR, KEY, True, "Agreed", uow_factory=app.uow, clock=app.clock)
    assert (decided.status, decided.target_date) == (ExtensionStatus.APPROVED, date(2013, 9, 30))

    detail = await action_detail(app.reader, KEY, today=app.clock.today(), policy=app.rag_policy)
    assert (detail.action.target_date, detail.action.original_target_date) == (date(2013, 9, 30), date(2013, 6, 30))
    assert [d.event for d in detail.timeline] == ["escalated", "extension_requested", "extension_approved"]
    # The old date's overdue notice never comes; the ladder starts again from the new date.
    assert await fired_for(app, date(2013, 7, 1)) == []
    assert await fired_for(app, date(2013, 9, 16)) == [("reminder", date(2013, 9, 30))]
    [log] = await verify_log(app.reader)
    assert log.ok, log.problems


async def test_a_refusal_needs_a_reason_and_keeps_the_date(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    await request_extension(LEAD, KEY, date(2013, 12, 31), "More time", uow_factory=app.uow, clock=app.clock)
    with pytest.raises(ExtensionRefused, match="a reason is required to refuse"):
        await decide_extension(ASSURER, KEY, False, " ", uow_factory=app.uow, clock=app.clock)
    refused = await decide_extension(ASSURER, KEY, False, "Plan it in phases", uow_factory=app.uow, clock=app.clock)
    assert (refused.status, refused.target_date) == (ExtensionStatus.REFUSED, date(2013, 6, 30))
    with pytest.raises(ExtensionRefused, match="no extension is waiting"):
        await decide_extension(ASSURER, KEY, True, "", uow_factory=app.uow, clock=app.clock)


@pytest.mark.parametrize(
    ("who", "message"),
    [
        (LEAD_BSMHFT, "another agency"),
        (COMMISSIONER, "asked for by the lead officer"),
    ],
)
async def test_only_the_actions_lead_officer_asks(app: App, seed_plan: Path, who: str, message: str) -> None:
    await seed(app, seed_plan)
    with pytest.raises(ExtensionRefused, match=message):
        await request_extension(who, KEY, date(2013, 12, 31), "More time", uow_factory=app.uow, clock=app.clock)


async def test_only_the_agencys_director_or_the_partnership_decides(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    await request_extension(LEAD, KEY, date(2013, 12, 31), "More time", uow_factory=app.uow, clock=app.clock)
    with pytest.raises(ExtensionRefused, match="decided by a director or the partnership"):
        await decide_extension(COMMISSIONER, KEY, True, "", uow_factory=app.uow, clock=app.clock)
    with pytest.raises(ExtensionRefused, match="already waiting"):
        await request_extension(LEAD, KEY, date(2014, 1, 31), "More", uow_factory=app.uow, clock=app.clock)
    with pytest.raises(ExtensionRefused, match="must be after"):
        await request_extension(LEAD, ActionKey("3.11.2"), date(2013, 1, 1), "x", uow_factory=app.uow, clock=app.clock)


async def test_the_agencys_director_reassigns_the_lead_officer(app: App, seed_plan: Path) -> None:
    from domain.assignment import ReassignRefused
    from domain.errors import GuardFailed
    from domain.states import Event
    from workflows.commands.extensions import reassign_lead
    from workflows.commands.people import NewPerson, add_person
    from workflows.commands.transitions import TransitionCommand, take_transition

    await seed(app, seed_plan)
    deputy = "deputy.wmp@bcsp.test"
    await add_person(
        NewPerson("Deputy WMP", deputy, "lead_officer", "West Midlands Police"),
        uow_factory=app.uow,
        clock=app.clock,
        actor_email="coordinator@bcsp.test",
    )
    with pytest.raises(ReassignRefused, match="only the director of the action's agency"):
        await reassign_lead(ASSURER, KEY, deputy, uow_factory=app.uow, clock=app.clock)
    with pytest.raises(ReassignRefused, match="not a lead officer of the action's agency"):
        await reassign_lead(DIRECTOR, KEY, LEAD_BSMHFT, uow_factory=app.uow, clock=app.clock)
    done = await reassign_lead(DIRECTOR, KEY, deputy, uow_factory=app.uow, clock=app.clock)
    assert done.lead_officer == deputy
    # From now on the action is the deputy's alone: the former lead may not submit for it.
    with pytest.raises(GuardFailed, match="only the action's lead officer"):
        await take_transition(
            TransitionCommand(LEAD, KEY, Event.SUBMIT_EVIDENCE, note="x"),
            uow_factory=app.uow,
            clock=app.clock,
            store=app.store,
        )
    await take_transition(
        TransitionCommand(deputy, KEY, Event.SUBMIT_EVIDENCE, note="audit attached"),
        uow_factory=app.uow,
        clock=app.clock,
        store=app.store,
    )
    [log] = await verify_log(app.reader)
    assert log.ok, log.problems
