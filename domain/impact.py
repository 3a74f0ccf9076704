"""Impact, not just completion: whether an assured action changed practice.

An action is assured when its evidence shows it was done (the training delivered); some months later the
partnership checks, against the plan's own "How will success be measured", whether practice changed. The
answer is a decision: ``impact_confirmed``, or ``impact_not_shown`` with the reason, which leaves the
recommendation the action serves only partly implemented.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.errors import DomainError, ErrorKind
from domain.model import Action
from domain.roles import Actor, Role
from domain.states import State
from domain.target_dates import AfterEvent


class ImpactOutcome(StrEnum):
    CONFIRMED = "impact_confirmed"
    """Practice changed, as the plan's success measure asked, with evidence."""
    NOT_SHOWN = "impact_not_shown"
    """The check found no change (the reason says why): the recommendation is only partly implemented."""


IMPACT_EVENTS = frozenset(str(o) for o in ImpactOutcome)
"""The decisions that answer an impact check: notes about the action (its state and version stay)."""
IMPACT_MONTHS_SET = "impact_check_months_set"
"""The partnership changed how many months after assurance its impact checks fall due."""
MAX_MONTHS = 60
"""The furthest after assurance a check may be asked for, in months (five years): further is a slip."""


class ImpactRefused(DomainError):
    """An impact check that cannot be scheduled or answered; the message names the action and why."""

    def __init__(self, action_ref: str, problem: str, *, kind: ErrorKind = ErrorKind.BAD_INPUT) -> None:
        self.action_ref = action_ref
        self.kind = kind
        super().__init__(f"action {action_ref}: {problem}")


@dataclass(frozen=True)
class ImpactCheck:
    """An assured action's check, due on a day; ``outcome`` is empty until it is answered."""

    action_id: int
    due_on: date
    outcome: ImpactOutcome | None = None
    reason: str = ""
    decided_by: int | None = None
    decided_on: date | None = None
    decision_id: int | None = None

    @property
    def answered(self) -> bool:
        return self.outcome is not None

    def overdue_on(self, today: date) -> bool:
        """Still unanswered after its day."""
        return not self.answered and self.due_on < today


def due_after(assured_on: date, months: int) -> date | None:
    """The day an action assured on ``assured_on`` is checked, ``months`` later (the same day, or that month's
    last); ``None`` when the partnership does no impact checks (``months`` 0)."""
    if months <= 0:
        return None
    return AfterEvent(months, "assurance").date_from(assured_on)


def check_months(months: int) -> None:
    """Refuse a number of months a partnership cannot mean (0 turns impact checks off)."""
    if not 0 <= months <= MAX_MONTHS:
        raise ImpactRefused("-", f"months {months} must be 0 (no impact checks) to {MAX_MONTHS}")


def check_due_on(action_ref: str, assured_on: date, due_on: date) -> None:
    """An assurer's own date for the check: after the assurance day, and within ``MAX_MONTHS`` of it."""
    if due_on <= assured_on:
        raise ImpactRefused(action_ref, f"the impact check date {due_on} must be after the assurance day {assured_on}")
    latest = AfterEvent(MAX_MONTHS, "assurance").date_from(assured_on)
    if due_on > latest:
        raise ImpactRefused(action_ref, f"the impact check date {due_on} is more than {MAX_MONTHS} months away")


def check_answer(
    action: Action,
    actor: Actor,
    check: ImpactCheck | None,
    outcome: ImpactOutcome,
    *,
    reason: str,
    note: str,
    evidence: int,
    on: date,
    decided_on: date,
) -> None:
    """May ``actor`` answer ``action``'s impact check with ``outcome`` on ``decided_on`` (the day ``on``)?

    The partnership assurer answers (a deputy in their stead too), as they assured it, and not for an action of
    their own agency. ``impact_confirmed`` needs evidence: a file or a note saying what changed; ``impact_not_shown``
    a reason. ``decided_on`` is the day the partnership found it, not after today.

    Raises:
        ImpactRefused: naming the action and what stops it.
    """
    if actor.role is not Role.PARTNERSHIP_ASSURER:
        raise ImpactRefused(
            action.ref,
            f"the partnership assurer records impact, not the {actor.role.label}",
            kind=ErrorKind.NOT_YOURS,
        )
    if action.agency_id in actor.agencies:
        raise ImpactRefused(
            action.ref, "nobody checks the impact of their own agency's action", kind=ErrorKind.NOT_YOURS
        )
    if action.state is not State.PARTNERSHIP_ASSURED:
        raise ImpactRefused(
            action.ref, f"it is {action.state}: only an assured action has an impact check", kind=ErrorKind.NOT_NOW
        )
    if check is None:
        raise ImpactRefused(
            action.ref, "it has no impact check (assured when the partnership did none)", kind=ErrorKind.NOT_NOW
        )
    if check.outcome is not None:
        raise ImpactRefused(
            action.ref, f"its impact check is answered already ({check.outcome})", kind=ErrorKind.NOT_NOW
        )
    if decided_on > on:
        raise ImpactRefused(action.ref, f"the date {decided_on} is in the future")
    if outcome is ImpactOutcome.NOT_SHOWN and not reason.strip():
        raise ImpactRefused(action.ref, "impact not shown needs a reason (--reason): what the check found")
    if outcome is ImpactOutcome.CONFIRMED and not evidence and not note.strip():
        raise ImpactRefused(action.ref, "impact confirmed needs evidence: a file (--evidence) or a note (--note)")
