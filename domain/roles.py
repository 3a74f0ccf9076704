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
