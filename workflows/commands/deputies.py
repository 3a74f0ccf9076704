"""Use cases for deputies: name one for a period, end the period, list them, and act as one.

Naming and ending a period are decisions in the partnership's log (``deputy_named``,
``deputy_ended``). ``acting`` is the one door every use case that takes a decision
uses to say who acts: the person themselves, or a deputy on behalf of someone,
checked against the periods in force that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.deputies import DeputyPeriod, DeputyRefused, check_ending, check_naming
from domain.model import Person
from workflows.context import acting_to_decide, check_length, decision_about
from workflows.errors import UnknownPerson
from workflows.ports import Tx, UowFactory
from workflows.runtime.clock import LONDON, Clock


@dataclass(frozen=True)
class DeputyView:
    id: int
    principal: str
    deputy: str
    starts_on: date
    ends_on: date
    reason: str
    in_force: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "principal": self.principal,
            "deputy": self.deputy,
            "starts_on": self.starts_on.isoformat(),
            "ends_on": self.ends_on.isoformat(),
            "reason": self.reason,
            "in_force": self.in_force,
        }


async def name_deputy(
    by_email: str,
    principal_email: str,
    deputy_email: str,
    starts_on: date,
    ends_on: date,
    reason: str,
    *,
    uow_factory: UowFactory,
    clock: Clock,
) -> DeputyView:
    """Name ``deputy_email`` to act for ``principal_email`` from ``starts_on`` to ``ends_on`` (inclusive).

    Raises:
        UnknownPerson: an email names nobody in the partnership.
        DeputyRefused: who asks, who is named, the dates, or an overlapping period.
    """
    check_length("--reason", reason)
    at = clock.now()
    async with uow_factory() as uow:
        return await uow.run_and_commit(
            _name_in, by_email, principal_email, deputy_email, starts_on, ends_on, reason.strip(), at
        )


def _person_in(tx: Tx, partnership_id: int, email: str) -> Person:
    person = tx.people.by_email(email.strip())
    if person is None or person.partnership_id != partnership_id:
        raise UnknownPerson(email)
    return person


def _name_in(
    tx: Tx, by_email: str, principal_email: str, deputy_email: str, starts: date, ends: date, reason: str, at: datetime
) -> DeputyView:
    by, actor = acting_to_decide(tx, by_email, None, at)
    pid = by.partnership_id
    principal, deputy = _person_in(tx, pid, principal_email), _person_in(tx, pid, deputy_email)
    today = at.astimezone(LONDON).date()
    existing = tx.deputies.of_principal(principal.id) + tx.deputies.of_deputy(deputy.id)
    check_naming(actor, principal, deputy, starts, ends, reason, today, existing)
    period_id = tx.deputies.add(pid, DeputyPeriod(0, principal.id, deputy.id, starts, ends, reason), by.id, at)
    payload = _payload(period_id, principal, deputy, starts, ends)
    tx.decisions.append(decision_about(actor, pid, "deputy_named", at, reason=reason, payload=payload))
    return DeputyView(period_id, principal.email, deputy.email, starts, ends, reason, starts <= today <= ends)


def _payload(period_id: int, principal: Person, deputy: Person, starts: date, ends: date) -> dict[str, Any]:
    return {
        "period_id": period_id,
        "principal_id": principal.id,
        "deputy_id": deputy.id,
        "from": starts.isoformat(),
        "to": ends.isoformat(),
    }


async def end_deputy(
    by_email: str, period_id: int, reason: str, *, uow_factory: UowFactory, clock: Clock
) -> DeputyView:
    """End period ``period_id`` now (the person is back, or the deputy cannot stand in after all).

    Raises:
        UnknownPerson, DeputyRefused: as for ``name_deputy``; DeputyRefused also when there is no such period.
    """
    at = clock.now()
    async with uow_factory() as uow:
        check_length("--reason", reason)
        return await uow.run_and_commit(_end_in, by_email, period_id, reason.strip(), at)


def _end_in(tx: Tx, by_email: str, period_id: int, reason: str, at: datetime) -> DeputyView:
    by, actor = acting_to_decide(tx, by_email, None, at)
    period = tx.deputies.one(by.partnership_id, period_id)
    if period is None:
        raise DeputyRefused(f"no deputy period {period_id}")
    today = at.astimezone(LONDON).date()
    check_ending(actor, period, today)
    if not tx.deputies.end(period.id, by.id, at):
        raise DeputyRefused("already ended")
    emails = tx.people.emails([period.principal_id, period.deputy_id])
    principal, deputy = emails[period.principal_id], emails[period.deputy_id]
    payload = {"period_id": period.id, "principal_id": period.principal_id, "deputy_id": period.deputy_id}
    tx.decisions.append(decision_about(actor, by.partnership_id, "deputy_ended", at, reason=reason, payload=payload))
    return DeputyView(period.id, principal, deputy, period.starts_on, period.ends_on, period.reason, False)


async def deputies(
    reader: UowFactory, *, today: date, partnership: str | None = None, person_email: str | None = None
) -> list[DeputyView]:
    """The periods in force or to come (of one person, where given), in date order."""
    from workflows.context import partnership_id

    def read(tx: Tx) -> list[DeputyView]:
        person_id = None
        if person_email is not None:
            person = tx.people.by_email(person_email)
            if person is None:
                raise UnknownPerson(person_email)
            pid, person_id = person.partnership_id, person.id
        else:
            pid = partnership_id(tx, partnership)
        periods = tx.deputies.listing(pid, today, person_id)
        emails = tx.people.emails([i for p in periods for i in (p.principal_id, p.deputy_id)])
        return [
            DeputyView(
                p.id, emails[p.principal_id], emails[p.deputy_id], p.starts_on, p.ends_on, p.reason, p.covers(today)
            )
            for p in periods
        ]

    async with reader() as uow:
        return await uow.run(read)


async def standing_in_for(reader: UowFactory, deputy_id: int, today: date) -> list[Person]:
    """The people ``deputy_id`` stands in for today."""

    def read(tx: Tx) -> list[Person]:
        ids = [p.principal_id for p in tx.deputies.standing_in(deputy_id, today)]
        return [p for p in (tx.people.by_id(i) for i in ids) if p is not None]

    async with reader() as uow:
        return await uow.run(read)
