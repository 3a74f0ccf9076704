"""Reassigning an action's lead officer: the agency's director decides, within the agency."""

from __future__ import annotations

from domain.errors import DomainError, ErrorKind
from domain.model import Action, Person
from domain.roles import Actor, Role


class ReassignRefused(DomainError):
    kind = ErrorKind.NOT_YOURS

    def __init__(self, action_ref: str, problem: str) -> None:
        self.action_ref = action_ref
        super().__init__(f"action {action_ref}: {problem}")


def check_reassign(action: Action, actor: Actor, new_lead: Person) -> None:
    """May ``actor`` make ``new_lead`` the lead officer of ``action``?

    Raises:
        ReassignRefused: not the director of the action's agency, or the new lead is no lead officer of it.
    """
    problem = _refusal(action, actor)
    if problem is not None:
        raise ReassignRefused(action.ref, problem)
    if new_lead.role is not Role.LEAD_OFFICER or new_lead.agency_id != action.agency_id:
        raise ReassignRefused(action.ref, f"{new_lead.email} is not a lead officer of the action's agency")


def may_reassign(action: Action, actor: Actor) -> bool:
    """Whether ``actor`` could name another lead officer for ``action`` now."""
    return _refusal(action, actor) is None


def _refusal(action: Action, actor: Actor) -> str | None:
    if actor.role is not Role.DIRECTOR or actor.agency_id != action.agency_id:
        return "only the director of the action's agency reassigns its lead officer"
    if action.state.is_final:
        return f"it is {action.state}: there is nothing left to lead"
    return None
