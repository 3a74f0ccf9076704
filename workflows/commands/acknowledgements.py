"""The escalations desk: the steps fired, the ones that told me, and acknowledging one.

Who a step told is worked out from the ladder version that fired it (the ledger
names it) and the action's agency and lead officer as they are now: a new
director of the agency sees, and may acknowledge, what the old one was sent.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from domain.acknowledgements import Desk, FiredStep, check_acknowledge, told
from domain.ladders import ACKNOWLEDGED, Ladder, LadderName, LadderStep
from domain.roles import Actor, Role
from storage.escalations import LedgerEntry
from workflows.context import acting_to_decide, decision_about, partnership_id
from workflows.errors import InvalidInput, UnknownPerson
from workflows.ports import Tx, UowFactory
from workflows.runtime.clock import Clock


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
        history = tx.ladders.history(pid)
        return [_view(r, history) for r in tx.escalations.listing(pid, limit)]
    person = tx.people.by_email(mine)
    if person is None:
        raise UnknownPerson(mine)
    pid = person.partnership_id
    if partnership is not None and partnership_id(tx, partnership) != pid:
        raise InvalidInput(f"{mine} is not one of {partnership}'s people")
    history = tx.ladders.history(pid)
    desk = _desk(tx, person.partnership_id, Actor(person.id, person.role, person.agency_id, person.name))
    if person.role is Role.LEAD_OFFICER:
        agencies = [person.agency_id] if person.agency_id is not None else []
        rows = tx.escalations.listing(pid, limit, lead_officer_id=person.id, agency_ids=agencies)
    elif person.role is Role.DIRECTOR and desk.directs:
        checker = any(a in desk.commissioning for a in desk.directs)
        rows = tx.escalations.listing(pid, limit, agency_ids=desk.directs, checker_ladders=checker)
    elif person.role in (Role.COMMISSIONER, Role.PARTNERSHIP_ASSURER):
        rows = tx.escalations.listing(pid, limit)
    else:
        return []  # ladders tell nobody in the other roles
    views = [(_view(r, history), _fired(r, history)) for r in rows]
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
        InvalidInput: no such escalation in the person's partnership.
        AcknowledgeRefused: not an escalation, not told to this person, or acknowledged already.
    """
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
    history = tx.ladders.history(person.partnership_id)
    check_acknowledge(_fired(row, history), _desk(tx, person.partnership_id, actor))
    tx.escalations.acknowledge(escalation_id, person.id, at)  # the log lock makes the check above hold
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
            payload={"escalation_id": escalation_id, "ladder": row.ladder, "step": row.step},
        )
    )
    acknowledged = replace(row, acknowledged_by=person.id, acknowledged_by_email=person.email, acknowledged_at=at)
    return _view(acknowledged, history)


def _desk(tx: Tx, partnership_id: int, actor: Actor) -> Desk:
    """What ``actor`` is told of: as themselves, or as the person their deputy stands in for."""
    agencies = tx.agencies.in_partnership(partnership_id)
    people = tx.people.in_partnership(partnership_id)
    return Desk(
        actor,
        directs=[a.id for a in agencies if a.director_id == actor.person_id],
        commissioning={p.agency_id for p in people if p.role is Role.COMMISSIONER and p.agency_id is not None},
    )


def _step(row: LedgerEntry, history: dict[tuple[LadderName, int], Ladder]) -> LadderStep:
    ladder = history.get((LadderName(row.ladder), row.ladder_version))
    step = ladder.step(row.step) if ladder else None
    # A ledger row always names a version the partnership had; should it not, it told nobody we know of.
    return step or LadderStep(row.step, 0, (), "escalation")


def _fired(row: LedgerEntry, history: dict[tuple[LadderName, int], Ladder]) -> FiredStep:
    return FiredStep(
        row.id,
        row.action_ref,
        row.agency_id,
        row.lead_officer_id,
        LadderName(row.ladder),
        _step(row, history),
        row.acknowledged_by,
    )


def _view(row: LedgerEntry, history: dict[tuple[LadderName, int], Ladder]) -> EscalationView:
    step = _step(row, history)
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
    )
