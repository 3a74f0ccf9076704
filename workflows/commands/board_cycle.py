"""Use cases for the board cycle: the coordinator sets the board's meeting dates (each a decision); before
each meeting the lead officers with open actions are asked for a progress update and, if they give none,
reminded; the board pack names who did not answer.

The ledger (``progress_request``, unique per meeting, person and kind) makes each ask happen once however
often the cycle runs, as the escalation ledger does for ladder steps. An ask is a ``progress_requested``
decision in the partnership's log, and its outbox row (one per person, keyed by meeting, kind and person)
is the email.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from domain.board_cycle import (
    ANSWERS,
    BOARD_DATE_ADDED,
    BOARD_DATE_REMOVED,
    PROGRESS_REQUESTED,
    Ask,
    CycleDays,
    check_board_date,
    due_asks,
    leads_with_open_actions,
)
from domain.errors import BoardDateRefused
from domain.model import Action
from domain.roles import Role
from domain.working_days import WorkingCalendar
from storage.action_lists import ActionFilter
from storage.board_cycle import Meeting
from storage.outbox import OutboxEntry
from storage.repositories import DecisionDraft
from workflows.context import (
    SYSTEM_ACTOR,
    Attribution,
    check_length,
    coordinator_by_email,
    decision_about,
    partnership_id,
    partnership_names,
)
from workflows.isolation import DATA_ERRORS, Failure, failure, named
from workflows.ports import Tx, UowFactory
from workflows.runtime.clock import LONDON, Clock

KINDS = {Ask.REQUEST: "progress_request", Ask.REMINDER: "progress_reminder"}
"""The notification kind of each ask."""


@dataclass(frozen=True)
class CycleReport:
    day: date
    requests: int = 0
    reminders: int = 0
    meetings: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    """Partnerships whose cycle could not run (their data is broken); the others' ran."""
    skipped: str = ""
    """Why the scheduled flow ran no cycle (a weekend or a bank holiday)."""


async def add_board_date(actor_email: str, meets_on: date, *, uow_factory: UowFactory, clock: Clock) -> date:
    """Set a board meeting date (a ``board_date_added`` decision).

    Raises:
        BoardDateRefused: a past date or one already set.
        UnknownPerson, InvalidInput: not one of the partnership's coordinators.
    """
    at = clock.now()

    def add(tx: Tx) -> date:
        actor = coordinator_by_email(tx, actor_email, "sets the board's dates")
        existing = [m.meets_on for m in tx.board_meetings.listing([actor.partnership_id])]
        check_board_date(meets_on, at.astimezone(LONDON).date(), existing)
        meeting_id = tx.board_meetings.add(actor.partnership_id, meets_on, at)
        payload = {"meeting_id": meeting_id, "meets_on": meets_on.isoformat()}
        tx.decisions.append(decision_about(actor, actor.partnership_id, event=BOARD_DATE_ADDED, at=at, payload=payload))
        return meets_on

    async with uow_factory() as uow:
        return await uow.run_and_commit(add)


async def remove_board_date(
    actor_email: str, meets_on: date, reason: str = "", *, uow_factory: UowFactory, clock: Clock
) -> date:
    """Take a meeting date off (a ``board_date_removed`` decision); its requests stay in the ledger.

    Raises:
        BoardDateRefused: no meeting on that date.
        InvalidInput: a reason too long, or holding a NUL.
    """
    check_length("--reason", reason)
    at = clock.now()

    def remove(tx: Tx) -> date:
        actor = coordinator_by_email(tx, actor_email, "sets the board's dates")
        meeting_id = tx.board_meetings.remove(actor.partnership_id, meets_on, at)
        if meeting_id is None:
            raise BoardDateRefused(f"the board does not meet on {meets_on.isoformat()}")
        payload = {"meeting_id": meeting_id, "meets_on": meets_on.isoformat()}
        tx.decisions.append(
            decision_about(
                actor, actor.partnership_id, event=BOARD_DATE_REMOVED, at=at, reason=reason.strip(), payload=payload
            )
        )
        return meets_on

    async with uow_factory() as uow:
        return await uow.run_and_commit(remove)


async def board_dates(
    reader: UowFactory, *, partnership: str | None = None, partnership_id_: int | None = None
) -> list[date]:
    """The board's meeting dates, in order."""

    def read(tx: Tx) -> list[date]:
        pid = partnership_id_ if partnership_id_ is not None else partnership_id(tx, partnership)
        return [m.meets_on for m in tx.board_meetings.listing([pid])]

    async with reader() as uow:
        return await uow.run(read)


async def run_board_cycle(
    today: date, *, uow_factory: UowFactory, clock: Clock, calendar: WorkingCalendar, days: CycleDays
) -> CycleReport:
    """Send every request and reminder due ``today`` for every partnership's coming meetings, once each.

    One transaction per partnership, its log locked first; safe to run again (the ledger says who was asked).
    """
    async with uow_factory() as uow:
        names = await uow.run(partnership_names)
    pids = list(names)
    requests = reminders = 0
    meetings: list[str] = []
    failures: list[Failure] = []
    for pid in pids:
        try:
            async with uow_factory() as uow:
                r, m, met = await uow.run_and_commit(_cycle_in, pid, today, clock.now(), calendar, days)
        except DATA_ERRORS as error:  # one partnership's broken data: the others' cycle still runs
            failures.append(failure(pid, "board cycle", error))
            continue
        requests, reminders = requests + r, reminders + m
        meetings.extend(met)
    return CycleReport(today, requests, reminders, meetings, named(failures, names))


def _cycle_in(
    tx: Tx, pid: int, today: date, at: datetime, calendar: WorkingCalendar, days: CycleDays
) -> tuple[int, int, list[str]]:
    tx.decisions.lock_chain(pid)
    requests = reminders = 0
    touched: list[str] = []
    for meeting in tx.board_meetings.listing([pid], today):
        asks = due_asks(meeting.meets_on, today, days, calendar)
        if not asks:
            continue
        rows = tx.actions.matching(ActionFilter(pid, states=("open",)))
        refs = {a.id: ref for ref, a in rows}
        actions = [a for _, a in rows]
        leads = leads_with_open_actions(actions, tx.people.in_partnership(pid))
        asked = tx.board_meetings.asked(meeting.id)
        done = {(a.person_id, a.kind) for a in asked}
        if Ask.REQUEST in asks:
            for person_id, theirs in sorted(leads.items()):
                if (person_id, Ask.REQUEST.value) not in done:
                    _ask(tx, pid, meeting, person_id, Ask.REQUEST, theirs, refs, today, at)
                    requests += 1
            asked = tx.board_meetings.asked(meeting.id)
        if Ask.REMINDER in asks:
            since = {a.person_id: a.seq for a in asked if a.kind == Ask.REQUEST.value}
            answered = tx.board_meetings.answered(pid, since, [str(e) for e in ANSWERS])
            reminded = {a.person_id for a in asked if a.kind == Ask.REMINDER.value}
            for person_id in sorted(set(since) - answered - reminded):
                if person_id in leads:  # their open actions may all have moved on since
                    _ask(tx, pid, meeting, person_id, Ask.REMINDER, leads[person_id], refs, today, at)
                    reminders += 1
        touched.append(meeting.meets_on.isoformat())
    return requests, reminders, touched


def _ask(
    tx: Tx,
    pid: int,
    meeting: Meeting,
    person_id: int,
    ask: Ask,
    actions: list[Action],
    refs: dict[int, str],
    today: date,
    at: datetime,
) -> None:
    system = Attribution(pid, None, SYSTEM_ACTOR, "system")
    payload = {
        "meeting_id": meeting.id,
        "meets_on": meeting.meets_on.isoformat(),
        "ask": str(ask),
        "person_id": person_id,
        "actions": [f"{refs[a.id]} {a.ref}" for a in actions],
    }
    draft: DecisionDraft = decision_about(
        system, system.partnership_id, event=PROGRESS_REQUESTED, at=at, payload=payload
    )
    decision_id = tx.decisions.append(draft)
    tx.board_meetings.record_ask(meeting.id, person_id, str(ask), today, decision_id)
    key = f"board:{meeting.id}:{ask}:person:{person_id}"
    lead = str(Role.LEAD_OFFICER)
    tx.outbox.queue([OutboxEntry(key, pid, decision_id, KINDS[ask], lead, at, recipient_person_id=person_id)])
