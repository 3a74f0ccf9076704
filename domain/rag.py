"""RAG status, derived from the state and the dates; never typed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from domain.model import Action
from domain.states import State


class Rag(StrEnum):
    BLUE = "blue"
    """Assured: complete and signed off."""
    GREEN = "green"
    """On track."""
    AMBER = "amber"
    """Due within the warning window, evidence returned, or no readable target date."""
    RED = "red"
    """Past the target date and no evidence submitted."""
    GREY = "grey"
    """Withdrawn or superseded: no longer counted."""


@dataclass(frozen=True)
class RagPolicy:
    """A partnership's RAG settings.

    Attributes:
        warning_days: calendar days before the target date at which an open action turns amber.
        undated: the colour of an open action with no readable target date.
    """

    warning_days: int = 14
    undated: Rag = Rag.AMBER


def rag(action: Action, today: date, policy: RagPolicy = RagPolicy()) -> Rag:
    """The colour of ``action`` on ``today``.

    Evidence waiting for a check is not the lead officer's lateness: it stays
    green past the target date; the escalation ladder chases the checker.
    """
    if action.state is State.PARTNERSHIP_ASSURED:
        return Rag.BLUE
    if action.state is State.WITHDRAWN:
        return Rag.GREY
    if action.state is not State.OPEN:
        return Rag.GREEN
    if action.target_date is None:
        return policy.undated
    if today > action.target_date:
        return Rag.RED
    if action.returned or today >= action.target_date - timedelta(days=policy.warning_days):
        return Rag.AMBER
    return Rag.GREEN
