"""Business outcomes of decisions ("returned", "assured"), and who must hear of them.

Events are facts, not exceptions. Each names the people to tell by role and
scope, not by address: notifications resolve the person when they send, so a
change of director reaches the new one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.model import Route
from domain.roles import Role

if TYPE_CHECKING:
    from domain.lifecycle import Notice
    from domain.model import Action


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


def raised_by(notice: Notice | None, action: Action) -> tuple[DomainEvent, ...]:
    """The notification a transition's row names, its audience resolved against the action (before it moves)."""
    if notice is None:
        return ()
    recipients = tuple(_AUDIENCE[audience](action) for audience in notice.audience)
    return (DomainEvent(notice.kind, action.id, action.ref, recipients),)


_AUDIENCE: dict[str, Callable[[Action], Recipient]] = {
    "checker": lambda action: _checker(action),
    "partnership": lambda _action: _PARTNERSHIP,
    "lead_officer": lambda action: _lead_officer(action),
    "director": lambda action: Recipient(Role.DIRECTOR, action.agency_id),
}
"""Each ``domain.lifecycle.Audience`` as the recipient it is for an action."""
