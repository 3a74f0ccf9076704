"""Business outcomes of decisions ("returned", "assured"), and who must hear of them.

Events are facts, not exceptions. Each names the people to tell by role and
scope, not by address: notifications resolve the person when they send, so a
change of director reaches the new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.model import Route
from domain.roles import Role
from domain.states import Event

if TYPE_CHECKING:
    from domain.lifecycle import Request
    from domain.model import Action
    from domain.roles import Actor


@dataclass(frozen=True)
class Recipient:
    """Who to tell: a person, or everyone in a role (within an agency where given)."""

    role: Role
    agency_id: int | None = None
    person_id: int | None = None

    def key(self) -> str:
        if self.person_id is not None:
            return f"person:{self.person_id}"
        return f"{self.role}:{self.agency_id if self.agency_id is not None else '*'}"


@dataclass(frozen=True)
class DomainEvent:
    """Something that happened to an action; ``kind`` names its notification template."""

    kind: str
    action_id: int
    action_ref: str
    recipients: tuple[Recipient, ...]


def _lead_officer(action: Action) -> Recipient:
    if action.lead_officer_id is not None:
        return Recipient(Role.LEAD_OFFICER, action.agency_id, action.lead_officer_id)
    return Recipient(Role.LEAD_OFFICER, action.agency_id)


def _checker(action: Action) -> Recipient:
    if action.route is Route.COMMISSIONER:
        return Recipient(Role.COMMISSIONER)
    return Recipient(Role.PARTNERSHIP_ASSURER)


_PARTNERSHIP = Recipient(Role.PARTNERSHIP_ASSURER)


def raised_by(event: Event, action: Action, actor: Actor, request: Request) -> tuple[DomainEvent, ...]:
    """The events a transition raises, with their recipients (before the action moves)."""

    def one(kind: str, *recipients: Recipient) -> tuple[DomainEvent, ...]:
        return (DomainEvent(kind, action.id, action.ref, tuple(recipients)),)

    if event is Event.SUBMIT_EVIDENCE:
        return one("evidence_submitted", _checker(action))
    if event is Event.VERIFY:
        return one("evidence_verified", _PARTNERSHIP, _lead_officer(action))
    if event is Event.REJECT:
        return one("evidence_returned", _lead_officer(action))
    if event is Event.ASSURE:
        return one("action_assured", _lead_officer(action))
    if event is Event.WITHDRAW:
        return one("action_withdrawn", _lead_officer(action), Recipient(Role.DIRECTOR, action.agency_id))
    return ()
