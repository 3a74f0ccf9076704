"""Deputies: a person names someone to act in their stead for a period (leave, absence).

The deputy acts in the role and agency of the person they stand in for, on what
that person may do, and every decision they take is recorded as on behalf of
them. Segregation of duties applies to both: neither may check evidence either
submitted, nor verify their own organisation's. A deputy stands in for one
person at a time per period and acts for nobody else through them (no chains).
The period is a decision in the log, named by the person or by the coordinator.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from domain.errors import DomainError, ErrorKind
from domain.model import ROLES_WITH_AGENCY, Person
from domain.roles import Actor, Deputy, Role

DELEGABLE = frozenset({Role.LEAD_OFFICER, Role.COMMISSIONER, Role.DIRECTOR, Role.PARTNERSHIP_ASSURER})
"""Roles whose work a deputy may take on: the coordinator's and a viewer's are not delegated."""

LONGEST = timedelta(days=366)
"""The longest period one naming covers: a longer absence is a new lead officer, not a deputy."""


class DeputyRefused(DomainError):
    """A deputy period that may not be named, ended or used; the message says why."""

    def __init__(self, problem: str, *, not_yours: bool = False) -> None:
        self.problem = problem
        self.not_yours = not_yours
        """True when the refusal is about who asks (a 403), not what they ask (a 422)."""
        self.kind = ErrorKind.NOT_YOURS if not_yours else ErrorKind.BAD_INPUT
        super().__init__(problem)


@dataclass(frozen=True)
class DeputyPeriod:
    id: int
    principal_id: int
    deputy_id: int
    starts_on: date
    ends_on: date
    reason: str
    ended: bool = False

    def covers(self, day: date) -> bool:
        return not self.ended and self.starts_on <= day <= self.ends_on


def check_naming(
    by: Actor,
    principal: Person,
    deputy: Person,
    starts_on: date,
    ends_on: date,
    reason: str,
    today: date,
    existing: Iterable[DeputyPeriod],
) -> None:
    """May ``by`` name ``deputy`` to stand in for ``principal`` from ``starts_on`` to ``ends_on``?

    Raises:
        DeputyRefused: who asks, who is named, the dates or an overlapping period say no.
    """
    if by.person_id != principal.id and by.role is not Role.COORDINATOR:
        raise DeputyRefused(f"only {principal.email} or the coordinator names their deputy", not_yours=True)
    if principal.role not in DELEGABLE:
        raise DeputyRefused(f"a {principal.role.label}'s work is not delegated to a deputy")
    if deputy.id == principal.id:
        raise DeputyRefused("nobody is their own deputy")
    if by.role is Role.COORDINATOR and deputy.id == by.person_id:
        raise DeputyRefused("a coordinator does not name themselves a deputy: the person, or another coordinator, may")
    if deputy.partnership_id != principal.partnership_id:
        raise DeputyRefused(f"{deputy.email} belongs to another partnership")
    if deputy.role is Role.VIEWER:
        raise DeputyRefused(f"{deputy.email} is a viewer: a viewer only reads")
    agency_scoped = principal.role in ROLES_WITH_AGENCY and principal.role is not Role.COMMISSIONER
    if agency_scoped and deputy.agency_id != principal.agency_id:
        raise DeputyRefused(f"a {principal.role.label}'s deputy must work for the same agency")
    if not reason.strip():
        raise DeputyRefused("a reason is required (leave, absence, ...)")
    if starts_on < today:
        raise DeputyRefused(f"the period cannot start in the past ({starts_on} is before {today})")
    if ends_on < starts_on:
        raise DeputyRefused(f"the period ends ({ends_on}) before it starts ({starts_on})")
    if ends_on - starts_on >= LONGEST:
        raise DeputyRefused(f"a period is at most {LONGEST.days} days; for longer, reassign the work")
    for p in existing:
        if p.ended or p.ends_on < starts_on or ends_on < p.starts_on:
            continue
        if p.principal_id == principal.id:
            raise DeputyRefused(f"{principal.email} already has a deputy from {p.starts_on} to {p.ends_on}")
        if p.deputy_id == deputy.id:
            raise DeputyRefused(f"{deputy.email} already stands in for someone from {p.starts_on} to {p.ends_on}")


def check_ending(by: Actor, period: DeputyPeriod, today: date) -> None:
    """May ``by`` end ``period`` now? The person, the deputy or the coordinator may.

    Raises:
        DeputyRefused: someone else asks, or the period is over already.
    """
    if by.person_id not in (period.principal_id, period.deputy_id) and by.role is not Role.COORDINATOR:
        raise DeputyRefused("only the person, their deputy or the coordinator ends a deputy period", not_yours=True)
    if period.ended or period.ends_on < today:
        raise DeputyRefused(f"the period ended on {period.ends_on} already" if not period.ended else "already ended")


def acting_for(principal: Person, deputy: Person, periods: Iterable[DeputyPeriod], today: date) -> Actor:
    """The actor ``deputy`` is when acting for ``principal`` today.

    Raises:
        DeputyRefused: no period names ``deputy`` as ``principal``'s deputy today.
    """
    if not any(p.deputy_id == deputy.id and p.principal_id == principal.id and p.covers(today) for p in periods):
        raise DeputyRefused(f"{deputy.email} is not {principal.email}'s deputy today ({today})", not_yours=True)
    return Actor(
        principal.id,
        principal.role,
        principal.agency_id,
        principal.name,
        Deputy(deputy.id, deputy.agency_id, deputy.name),
    )
