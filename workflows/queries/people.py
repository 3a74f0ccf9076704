"""The partnership's people, as the people pages and commands list them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.model import Person
from domain.roles import Role
from workflows.context import partnership_id
from workflows.ports import Tx, UowFactory


async def people(reader: UowFactory, partnership: str | None = None) -> list[tuple[Person, str]]:
    """The partnership's people, each with their agency's name ("" for partnership staff)."""

    def read(tx: Tx) -> list[tuple[Person, str]]:
        pid = partnership_id(tx, partnership)
        agencies = {a.id: a.name for a in tx.agencies.in_partnership(pid)}
        return [(p, agencies.get(p.agency_id, "") if p.agency_id else "") for p in tx.people.in_partnership(pid)]

    async with reader() as uow:
        return await uow.run(read)


@dataclass(frozen=True)
class AgencyView:
    name: str
    director: str
    """The director's email, or empty while the agency has none (its escalations then reach nobody)."""
    lead_officers: int
    commissioners: int
    actions: int
    running: int

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


async def agencies(reader: UowFactory, partnership: str | None = None) -> list[AgencyView]:
    """The partnership's agencies with their director, people and actions, by name."""

    def read(tx: Tx) -> list[AgencyView]:
        pid = partnership_id(tx, partnership)
        people = tx.people.in_partnership(pid)
        emails = {p.id: p.email for p in people}
        counts = tx.actions.count_by_agency(pid)
        views = []
        for a in sorted(tx.agencies.in_partnership(pid), key=lambda a: a.name.lower()):
            staff = [p for p in people if p.agency_id == a.id]
            total, running = counts.get(a.id, (0, 0))
            views.append(
                AgencyView(
                    a.name,
                    emails.get(a.director_id, "") if a.director_id else "",
                    sum(p.role is Role.LEAD_OFFICER for p in staff),
                    sum(p.role is Role.COMMISSIONER for p in staff),
                    total,
                    running,
                )
            )
        return views

    async with reader() as uow:
        return await uow.run(read)
