"""The escalations desk: the steps fired, the ones that told me, and acknowledging one (or every one of an
action that waits on me: ``acknowledge_action``, the bulk move's).

Who a step told is worked out from the ladder version that fired it (the ledger
names it) and the action's agency and lead officer as they are now: a new
director of the agency sees, and may acknowledge, what the old one was sent.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from domain.access import may_see
from domain.acknowledgements import NothingToAcknowledge, check_acknowledge, told
from domain.ladders import ACKNOWLEDGED, REVIEW_LADDERS
from domain.model import Person
from domain.roles import Actor, Role
from storage.errors import ConcurrencyConflict
from storage.escalations import LedgerEntry
from workflows.context import ActionKey, acting_to_decide, check_length, decision_about, find_action, partnership_id
from workflows.errors import InvalidInput, NotVisible, UnknownPerson
from workflows.ports import Tx, UowFactory
from workflows.queries.escalation_steps import History, Staff, fired_of, lateness, placed_row, step_name, waiting_on
from workflows.runtime.clock import Clock
from workflows.runtime.working_days import england_and_wales


@dataclass(frozen=True)
class EscalationView:
    id: int
    review_ref: str
    action_ref: str
    ladder: str
    ladder_version: int
    step: str
    kind: str
    notify: tuple[Role, ...]
    anchor_date: date
    due_on: date
    fired_on: date
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    action_id: int = 0
    action_text: str = ""
    step_name: str = ""
    """The step in words: "Step 3 of the lead officer's ladder: escalation to the director"."""
    told: str = ""
    """Who the step told, by role and name: "the director of West Midlands Police (Director WMP)"."""
    days_late: int = 0
    """Working days from the target date (or from the evidence's arrival, on a checker's ladder) to the firing."""
    lateness: str = ""
    acknowledged_by_name: str = ""
    acknowledged_note: str = ""
    review_id: int = 0
    milestone: str = ""
    """On a step of the review's own ladder (no action: ``action_ref`` empty, ``action_id`` 0), the milestone it
    chases: "Report submitted to the Home Office"."""

    def to_json(self) -> dict[str, Any]:
        return self.__dict__ | {
            "notify": [str(r) for r in self.notify],
            "anchor_date": self.anchor_date.isoformat(),
            "due_on": self.due_on.isoformat(),
            "fired_on": self.fired_on.isoformat(),
            "acknowledged_at": self.acknowledged_at.isoformat() if self.acknowledged_at else None,
        }


async def escalations(
    reader: UowFactory, partnership: str | None = None, *, mine: str | None = None, limit: int = 200
) -> list[EscalationView]:
    """The steps fired in the partnership, newest first; with ``mine`` (an email) only those that told that
    person, the ones still to acknowledge first.

    Raises:
        UnknownPerson: ``mine`` is nobody's email.
    """
    async with reader() as uow:
        return await uow.run(_listing, partnership, mine, limit)


def _listing(tx: Tx, partnership: str | None, mine: str | None, limit: int) -> list[EscalationView]:
    if mine is None:
        pid = partnership_id(tx, partnership)
        history, staff = tx.ladders.history(pid), Staff.of(tx, pid)
        return [_view(r, history, staff) for r in tx.escalations.listing(pid, limit)]
    person = tx.people.by_email(mine)
    if person is None:
        raise UnknownPerson(mine)
    pid = person.partnership_id
    if partnership is not None and partnership_id(tx, partnership) != pid:
        raise InvalidInput(f"{mine} is not one of {partnership}'s people")
    history, staff = tx.ladders.history(pid), Staff.of(tx, pid)
    desk = staff.desk(Actor(person.id, person.role, person.agency_id, person.name))
    if person.role is Role.LEAD_OFFICER:
        agencies = [person.agency_id] if person.agency_id is not None else []
        rows = tx.escalations.listing(pid, limit, lead_officer_id=person.id, agency_ids=agencies)
    elif person.role is Role.DIRECTOR and desk.directs:
        checker = any(a in desk.commissioning for a in desk.directs)
        rows = tx.escalations.listing(pid, limit, agency_ids=desk.directs, checker_ladders=checker)
    elif person.role in (Role.COMMISSIONER, Role.PARTNERSHIP_ASSURER):
        rows = tx.escalations.listing(pid, limit)
    elif person.role is Role.COORDINATOR:  # told by the reviews' own ladders only
        steps = {(str(n), s.key) for (n, _), lad in history.items() if n in REVIEW_LADDERS for s in lad.steps}
        rows = tx.escalations.listing(pid, limit, steps=steps)
    else:
        return []  # ladders tell nobody in the other roles
    views = [(_view(r, history, staff), fired_of(r, history)) for r in rows]
    return sorted(
        (v for v, fired in views if told(fired, desk)),
        key=lambda v: (v.acknowledged_by is not None, -v.id),
    )


async def acknowledge(
    actor_email: str,
    escalation_id: int,
    note: str = "",
    *,
    uow_factory: UowFactory,
    clock: Clock,
    on_behalf_of: str | None = None,
) -> EscalationView:
    """``actor_email`` says they have escalation ``escalation_id`` in hand; a decision in the log.

    Raises:
        UnknownPerson: no such person.
        InvalidInput: no such escalation in the person's partnership; a note too long or holding a NUL.
        AcknowledgeRefused: not an escalation, not told to this person, or acknowledged already.
    """
    check_length("--note", note)
    at = clock.now()
    async with uow_factory() as uow:
        return await uow.run_and_commit(_acknowledge_in, actor_email, on_behalf_of, escalation_id, note.strip(), at)


def _acknowledge_in(
    tx: Tx, email: str, on_behalf_of: str | None, escalation_id: int, note: str, at: datetime
) -> EscalationView:
    person, actor = acting_to_decide(tx, email, on_behalf_of, at)
    row = tx.escalations.one(escalation_id)
    if row is None or row.partnership_id != person.partnership_id:
        raise InvalidInput(f"no escalation {escalation_id}; `dhrflow escalations --mine --as {email}` lists yours")
    history, staff = tx.ladders.history(person.partnership_id), Staff.of(tx, person.partnership_id)
    return _record(tx, person, actor, row, history, staff, note, at)


async def acknowledge_action(
    actor_email: str,
    key: ActionKey,
    note: str = "",
    *,
    uow_factory: UowFactory,
    clock: Clock,
    expected_version: int | None = None,
    on_behalf_of: str | None = None,
) -> list[EscalationView]:
    """``actor_email`` acknowledges every escalation of action ``key`` that waits on them, in one transaction:
    one decision each, through the same rule as ``acknowledge``.

    ``expected_version`` is the version of the action the person saw: if it moved since, they acknowledge
    nothing and are told, as for any other decision taken on what they saw.

    Raises:
        UnknownPerson, ActionNotFound, AmbiguousAction: bad input.
        NotVisible: an action of another agency.
        ConcurrencyConflict: the action is no longer at ``expected_version``.
        NothingToAcknowledge: no escalation of the action waits on the person.
    """
    at = clock.now()
    async with uow_factory() as uow:
        return await uow.run_and_commit(
            _acknowledge_action_in, actor_email, on_behalf_of, key, expected_version, note.strip(), at
        )


def _acknowledge_action_in(
    tx: Tx,
    email: str,
    on_behalf_of: str | None,
    key: ActionKey,
    expected_version: int | None,
    note: str,
    at: datetime,
) -> list[EscalationView]:
    person, actor = acting_to_decide(tx, email, on_behalf_of, at)
    pid = person.partnership_id
    _, action = find_action(tx, pid, key)
    if not may_see(actor, action):
        raise NotVisible(f"action {action.ref} belongs to another agency")
    if expected_version is not None and expected_version != action.version:
        raise ConcurrencyConflict(action.ref, expected_version, action.version)
    history, staff = tx.ladders.history(pid), Staff.of(tx, pid)
    waiting = waiting_on(tx, pid, actor, staff, history, action_ids=[action.id])
    if not waiting:
        raise NothingToAcknowledge(action.ref)
    return [_record(tx, person, actor, row, history, staff, note, at) for row in reversed(waiting)]  # oldest first


def _record(
    tx: Tx,
    person: Person,
    actor: Actor,
    row: LedgerEntry,
    history: History,
    staff: Staff,
    note: str,
    at: datetime,
) -> EscalationView:
    """Check that the person at ``actor``'s desk may acknowledge ``row``, then mark it and log the decision."""
    check_acknowledge(fired_of(row, history), staff.desk(actor))
    tx.escalations.acknowledge(row.id, person.id, at)  # the log lock makes the check above hold
    tx.decisions.append(
        decision_about(
            actor,
            person.partnership_id,
            ACKNOWLEDGED,
            at,
            review_id=row.review_id,
            review_ref=row.review_ref,
            action_id=row.action_id,
            action_ref=row.action_ref,
            from_state=row.state,
            to_state=row.state,
            note=note,
            payload={"escalation_id": row.id, "ladder": row.ladder, "step": row.step},
        )
    )
    acknowledged = replace(
        row,
        acknowledged_by=person.id,
        acknowledged_by_email=person.email,
        acknowledged_by_name=person.name,
        acknowledged_at=at,
        acknowledged_note=note,
    )
    return _view(acknowledged, history, staff)


def _view(row: LedgerEntry, history: History, staff: Staff) -> EscalationView:
    placed = placed_row(history, row)
    step = placed.step
    days, late = lateness(placed, row.anchor_date, row.fired_on, england_and_wales())
    return EscalationView(
        id=row.id,
        review_ref=row.review_ref,
        action_ref=row.action_ref,
        ladder=row.ladder,
        ladder_version=row.ladder_version,
        step=row.step,
        kind=step.kind,
        notify=step.notify,
        anchor_date=row.anchor_date,
        due_on=row.due_on,
        fired_on=row.fired_on,
        acknowledged_by=row.acknowledged_by_email,
        acknowledged_at=row.acknowledged_at,
        action_id=row.action_id or 0,
        action_text=row.action_text,
        step_name=step_name(placed),
        told=" and ".join(staff.told(r, placed.ladder, row.agency_id, row.lead_officer_id) for r in step.notify),
        days_late=days,
        lateness=late,
        acknowledged_by_name=row.acknowledged_by_name or "",
        acknowledged_note=row.acknowledged_note or "",
        review_id=row.review_id,
        milestone=row.milestone_label,
    )
