"""One partnership where every kind of task waits on someone (issue 16): built on the seed plan, imported on
1 October 2013 (the ``clock`` fixture's day), and what My tasks must show each person on 11 October.

- 2 Oct: Lead WMP asks to extend 3.11.1 (overdue since June) and submits 3.11.2; Lead BSMHFT submits 3.2.4 and
  3.9.1 (both on the commissioners' route).
- 3 Oct: the health commissioner verifies 3.11.2 and returns 3.2.4; the board's next meeting is set (25 Oct).
- 7 Oct: the sweep (every due step fires) escalates 3.11.1 to the director of West Midlands Police and to the
  partnership, and 3.2.1 (imported far overdue) to the partnership.
- 11 Oct: the board asks both lead officers for progress; Lead WMP records some, Lead BSMHFT does not; the
  assurer names the coordinator to stand in for them until 18 Oct.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from domain.board_cycle import CycleDays
from domain.ladders import CatchUp
from domain.states import Event
from tests.integration.helpers import ASSURER, COMMISSIONER, COORDINATOR, LEAD, LEAD_BSMHFT, POLICE_COMMISSIONER
from workflows.commands.board_cycle import add_board_date, run_board_cycle
from workflows.commands.deputies import name_deputy
from workflows.commands.extensions import request_extension
from workflows.commands.ladders import set_catch_up
from workflows.commands.sweep import sweep
from workflows.commands.transitions import TransitionCommand, take_transition
from workflows.context import ActionKey
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import App
from workflows.runtime.working_days import england_and_wales

DIRECTOR = "director.wmp@bcsp.test"
TODAY = date(2013, 10, 11)

EXPECTED: dict[str, list[tuple[str, str, str]]] = {
    # (kind, action ref, since), in the order My tasks lists them
    LEAD: [("overdue", "3.11.1", "2013-06-30")],
    LEAD_BSMHFT: [
        ("returned", "3.2.4", "2013-10-03"),
        ("overdue", "3.8.2", "2013-09-30"),
        ("progress_update", "", "2013-10-11"),
    ],
    COMMISSIONER: [("verify_evidence", "3.9.1", "2013-10-02")],
    POLICE_COMMISSIONER: [("verify_evidence", "3.9.1", "2013-10-02")],
    DIRECTOR: [
        ("decide_extension", "3.11.1", "2013-10-02"),
        ("acknowledge_escalation", "3.11.1", "2013-10-07"),
    ],
    ASSURER: [
        ("assure", "3.11.2", "2013-10-03"),
        ("decide_extension", "3.11.1", "2013-10-02"),
        ("acknowledge_escalation", "3.2.1", "2013-10-07"),
        ("acknowledge_escalation", "3.11.1", "2013-10-07"),
    ],
}
EXPECTED[COORDINATOR] = EXPECTED[ASSURER]  # standing in for the assurer, with nothing of their own
STAND_IN = {COORDINATOR: "Partnership Assurer"}


def _at(app: App, day: date) -> None:
    assert isinstance(app.clock, FixedClock)
    app.clock.at = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


async def _act(app: App, who: str, ref: str, event: Event, **kw: str) -> None:
    command = TransitionCommand(actor_email=who, action=ActionKey(ref), event=event, **kw)
    await take_transition(command, uow_factory=app.uow, clock=app.clock, store=app.store)


async def build(app: App) -> None:
    """From the seeded plan (imported on 1 Oct 2013) to 11 Oct 2013, as the module says; the clock ends there."""
    kw = {"uow_factory": app.uow, "clock": app.clock}
    _at(app, date(2013, 10, 2))
    await request_extension(LEAD, ActionKey("3.11.1"), date(2014, 3, 31), "Training delayed", **kw)
    await _act(app, LEAD, "3.11.2", Event.SUBMIT_EVIDENCE, note="Briefing sent")
    await _act(app, LEAD_BSMHFT, "3.2.4", Event.SUBMIT_EVIDENCE, note="Recovery plan")
    await _act(app, LEAD_BSMHFT, "3.9.1", Event.SUBMIT_EVIDENCE, note="CPA audit")
    _at(app, date(2013, 10, 3))
    await _act(app, COMMISSIONER, "3.11.2", Event.VERIFY)
    await _act(app, COMMISSIONER, "3.2.4", Event.REJECT, reason="No audit figures")
    await add_board_date(COORDINATOR, date(2013, 10, 25), **kw)
    await set_catch_up(CatchUp.ALL, actor_email=COORDINATOR, **kw)
    _at(app, date(2013, 10, 7))
    await sweep(date(2013, 10, 7), calendar=england_and_wales(), **kw)
    _at(app, TODAY)
    await run_board_cycle(TODAY, calendar=england_and_wales(), days=CycleDays(), **kw)
    await _act(app, LEAD, "3.11.1", Event.RECORD_PROGRESS, note="Training booked for November")
    await name_deputy(ASSURER, ASSURER, COORDINATOR, TODAY, date(2013, 10, 18), "Annual leave", **kw)
