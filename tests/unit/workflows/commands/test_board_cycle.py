"""The board cycle on in-memory storage: meeting dates, and each lead officer asked once, reminded once."""

from __future__ import annotations

from datetime import date

import pytest

from domain.board_cycle import CycleDays
from domain.errors import BoardDateRefused
from domain.states import Event
from tests.unit.fakes import FakeTx
from tests.unit.workflows.commands.world import AT, COORDINATOR, LEAD, OTHER_LEAD, TODAY, action
from workflows.commands.board_cycle import CycleReport, add_board_date, board_dates, remove_board_date, run_board_cycle
from workflows.commands.transitions import TransitionCommand, record_transition
from workflows.context import ActionKey
from workflows.errors import InvalidInput
from workflows.ports import UowFactory
from workflows.runtime.clock import FixedClock
from workflows.runtime.working_days import england_and_wales

MEETING = date(2013, 10, 15)
"""Ten working days after ``TODAY``: its requests go today, its reminders a week later."""
WEEK_ON = date(2013, 10, 8)


async def test_the_coordinator_sets_dates_to_come_once_each(tx: FakeTx, uow: UowFactory, clock: FixedClock) -> None:
    with pytest.raises(BoardDateRefused, match="must be after today"):
        await add_board_date(COORDINATOR.email, TODAY, uow_factory=uow, clock=clock)
    with pytest.raises(InvalidInput, match="only its coordinators"):
        await add_board_date(LEAD.email, MEETING, uow_factory=uow, clock=clock)
    await add_board_date(COORDINATOR.email, MEETING, uow_factory=uow, clock=clock)
    with pytest.raises(BoardDateRefused, match="already meets"):
        await add_board_date(COORDINATOR.email, MEETING, uow_factory=uow, clock=clock)
    assert await board_dates(uow, partnership="BCSP") == [MEETING]
    await remove_board_date(COORDINATOR.email, MEETING, "moved", uow_factory=uow, clock=clock)
    assert await board_dates(uow, partnership="BCSP") == []
    assert tx.decisions.events() == ["board_date_added", "board_date_removed"]


async def test_each_lead_officer_is_asked_once_and_reminded_only_if_they_gave_no_update(
    tx: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:
    tx.actions.put(action("3.11.2", id_=2, lead_officer_id=OTHER_LEAD.id))
    await add_board_date(COORDINATOR.email, MEETING, uow_factory=uow, clock=clock)

    async def cycle(day: date) -> CycleReport:
        return await run_board_cycle(day, uow_factory=uow, clock=clock, calendar=england_and_wales(), days=CycleDays())

    asked = await cycle(TODAY)
    assert (asked.requests, asked.reminders) == (2, 0)
    assert (await cycle(TODAY)).requests == 0
    assert tx.outbox.told() == [
        ("progress_request", f"person:{LEAD.id}"),
        ("progress_request", f"person:{OTHER_LEAD.id}"),
    ]

    update = TransitionCommand(LEAD.email, ActionKey("3.11.1"), Event.RECORD_PROGRESS, note="audit under way")
    record_transition(tx, update, (), (), AT)
    reminded = await cycle(WEEK_ON)
    assert (reminded.requests, reminded.reminders) == (0, 1)
    assert tx.outbox.told()[-1] == ("progress_reminder", f"person:{OTHER_LEAD.id}")
    assert (await cycle(WEEK_ON)).reminders == 0
