"""Acknowledging an escalation: someone it told says they have it in hand.

Only an escalation is acknowledged (a reminder or an overdue notice is answered
by doing the action), once, and only by a person the step told: the agency's director
(as it is now) on the lead officer's ladder, the director of a commissioning
body on the commissioner's, the partnership's assurers on theirs. The ladder goes
on climbing: acknowledging says who is on it, not that it is done.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from domain.errors import DomainError, ErrorKind
from domain.ladders import AGENCY_DIRECTOR, LadderName, LadderStep
from domain.roles import Actor, Role


class AcknowledgeRefused(DomainError):
    kind = ErrorKind.NOT_YOURS

    def __init__(self, escalation_id: int, problem: str) -> None:
        self.escalation_id = escalation_id
        super().__init__(f"escalation {escalation_id}: {problem}")


class NothingToAcknowledge(DomainError):
    """No escalation of the action waits on the person: none fired, none told them, or all acknowledged."""

    kind = ErrorKind.NOT_NOW

    def __init__(self, action_ref: str) -> None:
        self.action_ref = action_ref
        super().__init__(f"action {action_ref}: no escalation of it waits on you to acknowledge")


@dataclass(frozen=True)
class FiredStep:
    """A step the ledger says fired, with what the refusal and the rule need about its action."""

    id: int
    action_ref: str
    agency_id: int | None
    lead_officer_id: int | None
    ladder: LadderName
    step: LadderStep
    acknowledged_by: int | None = None
    review_ref: str = ""
    """The review, for a step of the review's own ladder (no action: ``action_ref`` empty)."""

    @property
    def about(self) -> str:
        """ "action 3.1.1", or "review BDHR-7" for a step of a review's own ladder."""
        return f"action {self.action_ref}" if self.action_ref else f"review {self.review_ref}"


@dataclass(frozen=True)
class Desk:
    """Where a person sits, as the ladders see it now."""

    person: Actor
    directs: Collection[int] = ()
    """The agencies whose director the person is now (a replaced director directs none)."""
    commissioning: Collection[int] = ()
    """The agencies the partnership's commissioners work for: their directors hear of evidence left waiting."""


def told(fired: FiredStep, desk: Desk) -> bool:
    """Was the person at ``desk`` one of those ``fired`` told (or, for a new director, would they be now)?"""
    person = desk.person
    if person.role not in fired.step.notify:
        return False
    if person.role is Role.LEAD_OFFICER:  # the named one, or the agency's while none is named
        if fired.lead_officer_id is None:
            return person.agency_id is not None and person.agency_id == fired.agency_id
        return person.person_id == fired.lead_officer_id
    if person.role is Role.DIRECTOR:
        if fired.ladder in AGENCY_DIRECTOR:
            return fired.agency_id in desk.directs
        return any(agency in desk.commissioning for agency in desk.directs)
    return True  # commissioners and assurers are the partnership's own


def _doer(fired: FiredStep) -> str:
    """Who answers a reminder or an overdue notice by doing what it asks."""
    return "lead officer" if fired.action_ref else "coordinator"


def check_acknowledge(fired: FiredStep, desk: Desk) -> None:
    """May the person at ``desk`` acknowledge ``fired``?

    Raises:
        AcknowledgeRefused: not an escalation, not told to this person, or acknowledged already.
    """
    if fired.step.kind != "escalation":
        raise AcknowledgeRefused(
            fired.id,
            f"step {fired.step.key} is a {fired.step.kind} for the {_doer(fired)} to act on, not an escalation",
        )
    if not told(fired, desk):
        roles = " and ".join(r.label for r in fired.step.notify)
        raise AcknowledgeRefused(fired.id, f"it told the {roles} of {fired.about}, not you")
    if fired.acknowledged_by is not None:
        raise AcknowledgeRefused(fired.id, "it was acknowledged already")
