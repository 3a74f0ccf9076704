"""The board cycle: before each board meeting the lead officers with open actions are asked for a progress
update, reminded if they have not given one, and the board pack names who did not.

Pure: days are worked out on the working-day calendar the caller passes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.errors import BoardDateRefused
from domain.lifecycle import leads_action
from domain.model import Action, Person
from domain.roles import Actor, Role
from domain.states import Event, State
from domain.working_days import WorkingCalendar

PROGRESS_REQUESTED = "progress_requested"
"""The decision that asks (or reminds) one lead officer before one meeting; its outbox row is the email."""
BOARD_DATE_ADDED = "board_date_added"
BOARD_DATE_REMOVED = "board_date_removed"
ANSWERS = frozenset({Event.RECORD_PROGRESS, Event.SUBMIT_EVIDENCE})
"""What counts as a progress update after a request."""


class Ask(StrEnum):
    REQUEST = "request"
    REMINDER = "reminder"


@dataclass(frozen=True)
class CycleDays:
    """When a meeting's requests and reminders go: ``request`` working days before it, the reminder
    ``reminder`` working days after the request."""

    request: int = 10
    reminder: int = 5

    def request_on(self, meeting: date, calendar: WorkingCalendar) -> date:
        return calendar.add_working_days(meeting, -self.request)

    def reminder_on(self, meeting: date, calendar: WorkingCalendar) -> date:
        return calendar.add_working_days(self.request_on(meeting, calendar), self.reminder)


def due_asks(meeting: date, today: date, days: CycleDays, calendar: WorkingCalendar) -> tuple[Ask, ...]:
    """What is due for ``meeting`` on ``today``: nothing once the meeting has come; a run that missed days
    catches up (the request, then the reminder, each once: the ledger keeps them single)."""
    if today >= meeting:
        return ()
    asks: list[Ask] = []
    if today >= days.request_on(meeting, calendar):
        asks.append(Ask.REQUEST)
    if today >= days.reminder_on(meeting, calendar):
        asks.append(Ask.REMINDER)
    return tuple(asks)


def leads_with_open_actions(actions: Iterable[Action], people: Iterable[Person]) -> dict[int, list[Action]]:
    """Per lead officer (person id), their open actions: the named lead officer, or, for an action with
    none named, every lead officer of its agency (as the lifecycle lets them act on it)."""
    leads = [p for p in people if p.role is Role.LEAD_OFFICER]
    out: dict[int, list[Action]] = {}
    for action in actions:
        if action.state is not State.OPEN:
            continue
        for person in leads:
            actor = Actor(person.id, person.role, person.agency_id, person.name)
            if leads_action(action, actor) is None:
                out.setdefault(person.id, []).append(action)
    return out


FURTHEST_MEETING_DAYS = 2 * 366
"""How far ahead a board meeting may be set: boards plan a year or so ahead."""


def check_board_date(meeting: date, today: date, existing: Iterable[date]) -> None:
    """A new meeting date must be to come and new.

    Raises:
        BoardDateRefused: a past date or one already set.
    """
    if meeting <= today:
        raise BoardDateRefused(f"{meeting.isoformat()}: a board meeting date must be after today ({today.isoformat()})")
    if meeting in set(existing):
        raise BoardDateRefused(f"the board already meets on {meeting.isoformat()}")
    if (meeting - today).days > FURTHEST_MEETING_DAYS:  # 9999-12-31 is a slip, and past the calendar's arithmetic
        raise BoardDateRefused(f"{meeting.isoformat()}: a board meeting date must be within two years")
