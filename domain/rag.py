"""RAG status, derived from the state and the dates; never typed in.

The rule is in two parts so that a database can apply it to many actions at once: where the target date
stands on the day (``due_on``: past, within the warning window, later, or no date), given as date bounds
(``DueBands``) a query can compare a column with; then the colour of a state, the returned flag and that
standing (``colour``). ``rag`` of one action is the two together.
"""

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


ATTENTION = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, Rag.GREY)
"""The colours in the order that needs attention first: a chart's bars, a table's columns, a list sorted by RAG."""


@dataclass(frozen=True)
class RagPolicy:
    """A partnership's RAG settings.

    Attributes:
        warning_days: calendar days before the target date at which an open action turns amber.
        undated: the colour of an open action with no readable target date.
    """

    warning_days: int = 14
    undated: Rag = Rag.AMBER


class Due(StrEnum):
    """Where a target date stands on a day."""

    UNDATED = "undated"
    """No readable target date."""
    PAST = "past"
    """Before the day: an open action is overdue."""
    SOON = "soon"
    """From the day to the end of the warning window."""
    LATER = "later"


@dataclass(frozen=True)
class DueBands:
    """The bounds of ``Due`` on one day: a target before ``past_before`` is past, one up to ``soon_until``
    (included) is soon, a later one later."""

    past_before: date
    soon_until: date

    @classmethod
    def on(cls, today: date, policy: RagPolicy = RagPolicy()) -> DueBands:
        return cls(past_before=today, soon_until=today + timedelta(days=policy.warning_days))

    def due(self, target: date | None) -> Due:
        if target is None:
            return Due.UNDATED
        if target < self.past_before:
            return Due.PAST
        if target <= self.soon_until:
            return Due.SOON
        return Due.LATER


def is_overdue(state: State, due: Due) -> bool:
    """Open and past its target date: the lead officer's lateness (evidence waiting for a check is the
    checker's, and the escalation ladder chases it)."""
    return state is State.OPEN and due is Due.PAST


def colour(state: State, returned: bool, due: Due, policy: RagPolicy = RagPolicy()) -> Rag:
    """The colour of an action in ``state``, returned or not, whose target date stands at ``due``.

    Evidence waiting for a check is not the lead officer's lateness: it stays
    green past the target date; the escalation ladder chases the checker.
    """
    if state is State.PARTNERSHIP_ASSURED:
        return Rag.BLUE
    if state is State.WITHDRAWN:
        return Rag.GREY
    if state is not State.OPEN:
        return Rag.GREEN
    if due is Due.UNDATED:
        return policy.undated
    if is_overdue(state, due):
        return Rag.RED
    if returned or due is Due.SOON:
        return Rag.AMBER
    return Rag.GREEN


def rag(action: Action, today: date, policy: RagPolicy = RagPolicy()) -> Rag:
    """The colour of ``action`` on ``today``."""
    return colour(action.state, action.returned, DueBands.on(today, policy).due(action.target_date), policy)
