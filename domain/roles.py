"""The roles people hold, and the actor a decision is attributed to."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a person may do; see ``domain.lifecycle`` for who fires which event."""

    LEAD_OFFICER = "lead_officer"
    COMMISSIONER = "commissioner"
    DIRECTOR = "director"
    PARTNERSHIP_ASSURER = "partnership_assurer"
    COORDINATOR = "coordinator"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


@dataclass(frozen=True)
class Actor:
    """The person a decision is attributed to, in the role they act in.

    ``agency_id`` is the organisation the person works for (a commissioner's
    commissioning body is an agency too); ``None`` for partnership staff.
    """

    person_id: int
    role: Role
    agency_id: int | None
    name: str = ""
    deputy: Deputy | None = None
    """Who really acts, when a deputy acts in this person's stead (``domain.deputies``)."""

    @property
    def acting_id(self) -> int:
        """The person who takes the decision: the deputy, when there is one."""
        return self.deputy.person_id if self.deputy else self.person_id

    @property
    def people(self) -> frozenset[int]:
        """Everyone segregation of duties applies to: the person and their deputy."""
        return frozenset({self.person_id, self.deputy.person_id} if self.deputy else {self.person_id})

    @property
    def agencies(self) -> frozenset[int]:
        """The agencies of the person and of their deputy."""
        ids = (self.agency_id, self.deputy.agency_id if self.deputy else None)
        return frozenset(i for i in ids if i is not None)


@dataclass(frozen=True)
class Deputy:
    """A person acting in another's stead for a named period, in the other's role and agency."""

    person_id: int
    agency_id: int | None
    name: str = ""
