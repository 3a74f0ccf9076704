"""The sweep on in-memory storage: a step fires once when due, the timer moves on, and one partnership's
broken ladder stops only its own actions."""

from __future__ import annotations

from datetime import date

from domain.ladders import DEFAULT_LADDERS, InvalidLadder, LadderName
from domain.model import Review
from domain.roles import Role
from tests.unit.fakes import FakeTx
from tests.unit.workflows.commands.world import LEAD, TARGET, TODAY, action
from workflows.commands.sweep import sweep
from workflows.ports import UowFactory
from workflows.runtime.clock import FixedClock
from workflows.runtime.working_days import england_and_wales

CALENDAR = england_and_wales()
LADDER = DEFAULT_LADDERS[LadderName.LEAD_OFFICER]
REMINDER_DAY = LADDER.due_on(LADDER.steps[0], TARGET, CALENDAR)
"""Ten working days before the target date."""


async def test_a_step_fires_once_on_its_day_and_the_action_is_next_looked_at_for_the_following_one(
    tx: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:
    quiet = await sweep(TODAY, uow_factory=uow, clock=clock, calendar=CALENDAR)
    assert (quiet.examined, quiet.fired_count, tx.actions.due_on[1]) == (1, 0, REMINDER_DAY)

    fired = await sweep(REMINDER_DAY, uow_factory=uow, clock=clock, calendar=CALENDAR)
    assert [(f.action_ref, f.step, f.due_on) for f in fired.fired] == [("3.11.1", "reminder", REMINDER_DAY)]
    assert tx.outbox.told() == [("reminder", f"person:{LEAD.id}")]
    assert (tx.decisions.events(), len(tx.escalations.ledger)) == (["escalated"], 1)
    assert tx.actions.due_on[1] == LADDER.due_on(LADDER.steps[1], TARGET, CALENDAR)

    again = await sweep(REMINDER_DAY, uow_factory=uow, clock=clock, calendar=CALENDAR)
    assert (again.examined, again.fired_count, len(tx.escalations.ledger)) == (0, 0, 1)


async def test_a_catch_up_fires_only_the_highest_step_due(tx: FakeTx, uow: UowFactory, clock: FixedClock) -> None:
    late = await sweep(date(2014, 6, 2), uow_factory=uow, clock=clock, calendar=CALENDAR)
    assert [f.step for f in late.fired] == ["partnership"]
    assert tx.actions.due_on[1] is None  # the last step has fired: nothing more to look for
    # The director's escalation, passed over, is not lost: its message goes with the partnership's, once.
    assert late.fired[0].notify == (Role.PARTNERSHIP_ASSURER, Role.DIRECTOR)
    assert sorted(tx.outbox.told()) == [("escalation", "director:4"), ("escalation", "partnership_assurer:*")]
    [payload] = [d.payload for d in tx.decisions.drafts]
    assert (payload["passed_over"], payload["also_told"]) == (["reminder", "overdue", "director"], ["director"])


async def test_a_catch_up_passing_over_only_reminders_tells_nobody_more(
    tx: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:
    overdue_day = LADDER.due_on(LADDER.steps[1], TARGET, CALENDAR)
    late = await sweep(overdue_day, uow_factory=uow, clock=clock, calendar=CALENDAR)
    assert [(f.step, f.notify) for f in late.fired] == [("overdue", (Role.LEAD_OFFICER,))]
    [payload] = [d.payload for d in tx.decisions.drafts]
    assert (payload["passed_over"], "also_told" in payload) == (["reminder"], False)


async def test_a_dry_run_says_what_would_fire_and_writes_nothing(
    tx: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:
    report = await sweep(REMINDER_DAY, uow_factory=uow, clock=clock, calendar=CALENDAR, dry_run=True)
    assert report.fired_count == 1
    assert (tx.decisions.drafts, tx.escalations.ledger, tx.outbox.rows, tx.actions.due_on[1]) == ([], {}, {}, TODAY)


async def test_one_partnerships_broken_ladder_stops_its_actions_only(
    tx: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:
    tx.reviews.put(Review(2, 2, "DHR-ELSE-1", "Adult F"))
    tx.actions.put(action("1.1", id_=2, review_id=2, lead_officer_id=None), due_on=TODAY)
    tx.ladders.broken[1] = InvalidLadder("lead_officer", "stored before its rules were bounded")
    report = await sweep(REMINDER_DAY, uow_factory=uow, clock=clock, calendar=CALENDAR)
    assert (report.examined, report.failed_count, [f.action_ref for f in report.fired]) == (2, 1, ["1.1"])
    [failure] = report.failures
    assert (failure.partnership, failure.where) == ("BCSP", "review BDHR2011/12-03 action 3.11.1")
    assert tx.actions.due_on[1] == TODAY  # its timer stays: the next sweep tries again once it is mended
