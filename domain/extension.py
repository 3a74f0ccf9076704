"""Extensions: a lead officer asks for a later target date; the agency's director or the partnership decides.

An approved extension moves the target date (the first one is kept as the
original) and so restarts the lead officer's ladder: the escalation ledger keys
on the date the steps counted from. Each request and each answer is a decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.errors import DomainError, ErrorKind
from domain.lifecycle import leads_action
from domain.model import Action
from domain.roles import Actor, Role
from domain.states import State
from domain.target_dates import EARLIEST, LATEST, within_range


class ExtensionStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class ExtensionRefused(DomainError):
    """The request or the answer is not allowed; the message says why."""

    def __init__(self, action_ref: str, problem: str, *, not_yours: bool = False) -> None:
        self.action_ref = action_ref
        self.not_yours = not_yours
        """The person may not do this at all (as against: not now, or not with what they gave)."""
        self.kind = ErrorKind.NOT_YOURS if not_yours else ErrorKind.BAD_INPUT
        super().__init__(f"action {action_ref}: {problem}")


@dataclass(frozen=True)
class ExtensionRequest:
    action_id: int
    requested_by: int
    new_date: date
    reason: str
    requested_for: int | None = None
    """The lead officer a deputy asked for."""
    id: int | None = None
    """The request's id once it is stored."""


def check_request(action: Action, actor: Actor, new_date: date, reason: str, pending: bool) -> None:
    """May ``actor`` ask for ``action``'s target date to move to ``new_date``?

    Raises:
        ExtensionRefused: not the action's lead officer, not open, no reason, not a later date, or one pending.
    """
    if actor.role is not Role.LEAD_OFFICER:
        raise ExtensionRefused(
            action.ref, f"extensions are asked for by the lead officer, not the {actor.role.label}", not_yours=True
        )
    not_theirs = leads_action(action, actor)
    if not_theirs is not None:
        raise ExtensionRefused(action.ref, not_theirs, not_yours=True)
    if action.state is not State.OPEN:
        raise ExtensionRefused(action.ref, f"it is {action.state}: the target date no longer runs")
    if not reason.strip():
        raise ExtensionRefused(action.ref, "a reason is required")
    if not within_range(new_date):
        raise ExtensionRefused(action.ref, f"the new date {new_date} is outside {EARLIEST.year}-{LATEST.year}")
    if action.target_date is not None and new_date <= action.target_date:
        raise ExtensionRefused(action.ref, f"the new date must be after the target date {action.target_date}")
    if pending:
        raise ExtensionRefused(action.ref, "an extension is already waiting for a decision")


def check_decision(action: Action, actor: Actor, request: ExtensionRequest, approve: bool, reason: str) -> None:
    """May ``actor`` approve (or refuse) ``request``? The agency's director or the partnership decides.

    Raises:
        ExtensionRefused: the wrong person, their own request, or a refusal without a reason.
    """
    if actor.role is Role.DIRECTOR:
        if actor.agency_id != action.agency_id:
            raise ExtensionRefused(
                action.ref, "only the director of the action's agency (or the partnership) decides", not_yours=True
            )
    elif actor.role is not Role.PARTNERSHIP_ASSURER:
        who = f"a director or the partnership, not the {actor.role.label}"
        raise ExtensionRefused(action.ref, f"extensions are decided by {who}", not_yours=True)
    if {request.requested_by, request.requested_for} & actor.people:
        raise ExtensionRefused(action.ref, "nobody decides their own request", not_yours=True)
    if not approve and not reason.strip():
        raise ExtensionRefused(action.ref, "a reason is required to refuse")
    if approve and not within_range(request.new_date):  # asked for before dates were bounded: refuse it instead
        raise ExtensionRefused(
            action.ref, f"the date asked for, {request.new_date}, is outside {EARLIEST.year}-{LATEST.year}: refuse it"
        )


def may_request(action: Action, actor: Actor, *, pending: bool) -> bool:
    """Whether ``actor`` could ask for an extension of ``action`` now (given a reason and a later date)."""
    later = LATEST if action.target_date is None else date.fromordinal(action.target_date.toordinal() + 1)
    try:
        check_request(action, actor, later, "a reason", pending=pending)
    except ExtensionRefused:
        return False
    return True


def may_decide(action: Action, actor: Actor, request: ExtensionRequest) -> bool:
    """Whether ``actor`` could approve ``request`` (refusing needs a reason besides)."""
    try:
        check_decision(action, actor, request, True, "")
    except ExtensionRefused:
        return False
    return action.state is State.OPEN
