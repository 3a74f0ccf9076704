"""Recommendations tracked in their own right: where each stands, derived from its actions.

A recommendation is what the review asked for; its actions are how the partnership answers it. Its status is
never typed in: it follows from its actions' states and impact checks, except that the body it is addressed
to may not accept it (a decision, with the reason).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache

from domain.errors import DomainError
from domain.impact import ImpactOutcome
from domain.model import DottedNumber, Recommendation, Scope
from domain.states import State


class RecommendationStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    IMPLEMENTED = "implemented"
    PARTLY_IMPLEMENTED = "partly_implemented"
    """With a reason: an action withdrawn, or an impact check that found no change in practice."""
    NOT_ACCEPTED = "not_accepted"
    """With a reason: the body it is addressed to did not accept it."""

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


RECOMMENDATION_SET = "recommendation_set"
"""The coordinator set a recommendation's scope or addressee (a decision about its review)."""
RECOMMENDATION_NOT_ACCEPTED = "recommendation_not_accepted"
"""The body a recommendation is addressed to did not accept it, with the reason."""
RECOMMENDATION_ACCEPTED = "recommendation_accepted"
"""A recommendation recorded as not accepted is accepted after all: its status follows its actions again."""


@dataclass(frozen=True, slots=True)
class ActionFacts:
    """What a recommendation's status reads of one of its actions."""

    ref: str
    state: State
    progress_recorded: bool = False
    """The lead officer recorded progress on it at least once."""
    target_date: date | None = None
    assured_on: date | None = None
    """The day it was last assured (``None`` unless it is assured)."""
    impact: ImpactOutcome | None = None
    """Its impact check's outcome, once decided."""
    impact_reason: str = ""


@dataclass(frozen=True, slots=True)
class Standing:
    """A recommendation's status, why (for the statuses that need a reason), and its dates."""

    status: RecommendationStatus
    reason: str = ""
    first_target: date | None = None
    """The earliest target date of its actions still standing (not withdrawn)."""
    latest_target: date | None = None
    """The latest such target date: when the recommendation is due to be implemented."""
    implemented_on: date | None = None
    """The day its last action was assured, once every action is settled (implemented or partly)."""


def standing(actions: Sequence[ActionFacts], not_accepted_reason: str = "") -> Standing:
    """Where a recommendation stands, from its actions and whether it was accepted.

    The rules, first match wins:

    1. A reason for not accepting it: **not accepted**, with that reason (whatever its actions did).
    2. No actions: **not started** ("no actions"). Every action open with no progress recorded (none withdrawn,
       none moved): **not started** ("no action has started").
    3. Every action withdrawn: **partly implemented** ("every action withdrawn: 1.1, 1.2"): it was settled
       without being done, which "not started" would hide.
    4. Every action not withdrawn assured, none withdrawn, and no impact check ``impact_not_shown``:
       **implemented** (a pending or confirmed impact check leaves it implemented).
    5. Every action settled (assured or withdrawn) but some withdrawn, or an impact check found no change:
       **partly implemented**, the reason naming each ("action 1.2 withdrawn; impact not shown for 1.1: ...").
    6. Otherwise (some action still open, awaiting a check, or moved on from open): **in progress**. An
       impact not shown on one action while others are still under way leaves it in progress: the reason
       says so.

    Dates: the first and latest target of the actions not withdrawn (of all of them when every one is
    withdrawn); ``implemented_on`` the day the last action was assured, for implemented and partly
    implemented (``None`` when none was assured).
    """
    standing_ones = [a for a in actions if a.state is not State.WITHDRAWN] or list(actions)
    targets = sorted(a.target_date for a in standing_ones if a.target_date is not None)
    first, latest = (targets[0], targets[-1]) if targets else (None, None)
    assured_days = [a.assured_on for a in actions if a.state is State.PARTNERSHIP_ASSURED and a.assured_on]
    settled_on = max(assured_days) if assured_days else None

    def _is(status: RecommendationStatus, reason: str = "", done: date | None = None) -> Standing:
        return Standing(status, reason, first, latest, done)

    if not_accepted_reason.strip():
        return _is(RecommendationStatus.NOT_ACCEPTED, not_accepted_reason.strip())
    if not actions:
        return _is(RecommendationStatus.NOT_STARTED, "no actions")
    if all(a.state is State.OPEN and not a.progress_recorded for a in actions):
        return _is(RecommendationStatus.NOT_STARTED, "no action has started")
    withdrawn = [a.ref for a in actions if a.state is State.WITHDRAWN]
    if len(withdrawn) == len(actions):
        return _is(RecommendationStatus.PARTLY_IMPLEMENTED, "every action withdrawn: " + ", ".join(withdrawn))
    no_impact = [a for a in actions if a.state is State.PARTNERSHIP_ASSURED and a.impact is ImpactOutcome.NOT_SHOWN]
    if all(a.state.is_final for a in actions):
        if not withdrawn and not no_impact:
            return _is(RecommendationStatus.IMPLEMENTED, done=settled_on)
        return _is(RecommendationStatus.PARTLY_IMPLEMENTED, _shortfall(withdrawn, no_impact), settled_on)
    return _is(RecommendationStatus.IN_PROGRESS, _shortfall([], no_impact))


def _shortfall(withdrawn: Iterable[str], no_impact: Iterable[ActionFacts]) -> str:
    """Why a recommendation falls short: which actions were withdrawn, which showed no impact and why."""
    parts = [f"action {ref} withdrawn" for ref in withdrawn]
    for a in no_impact:
        parts.append(
            f"impact not shown for {a.ref}" + (f": {a.impact_reason.strip()}" if a.impact_reason.strip() else "")
        )
    return "; ".join(parts)


class InvalidScope(DomainError):
    """A scope other than local, regional and national."""

    def __init__(self, value: str) -> None:
        self.value = value
        super().__init__(f"scope {value!r} is not one of: local, regional, national")


def parse_scopes(values: Iterable[str]) -> tuple[Scope, ...]:
    """The scopes named, exactly (several allowed, each by itself or comma separated: ``local,national``), in
    the order local, regional, national.

    Raises:
        InvalidScope: a value that is none of the three (named, with the three).
    """
    named: set[Scope] = set()
    for value in values:
        for part in value.split(","):
            word = part.strip().casefold()
            if not word:
                continue
            try:
                named.add(Scope(word))
            except ValueError:
                raise InvalidScope(part.strip()) from None
    return tuple(s for s in Scope if s in named)


_LEADING_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)*)[.):]\s")
"""A recommendation written "1. Officers recognise ..." (the Home Office template's column) is number 1."""


def _numbers(recommendation: Recommendation) -> tuple[str, ...]:
    if recommendation.numbers:
        return _written(recommendation.numbers)
    leading = _LEADING_NUMBER.match(recommendation.text)
    return (leading.group(1),) if leading else ()


@lru_cache(maxsize=4096)
def _written(numbers: tuple[DottedNumber, ...]) -> tuple[str, ...]:
    """Numbers as written, once per set of numbers (a long list repeats "1", "2", ... thousands of times)."""
    return tuple(str(n) for n in numbers)


def number_of(recommendation: Recommendation) -> str:
    """How people name a recommendation of a review: its numbers ("5, 7, 10"; "1" for a text opening "1. "), or
    for a theme row without one its place in the plan as written ("#3": the third grouping row)."""
    return ", ".join(_numbers(recommendation)) or f"#{recommendation.position + 1}"


def named(recommendations: Iterable[Recommendation], number: str) -> Recommendation | None:
    """The one of a review's recommendations that ``number`` names: one of its numbers ("7" names
    "Recommendations 5, 7 and 10"), or ``#N``, its place in the plan (``number_of``)."""
    wanted = number.strip()
    for rec in recommendations:
        if wanted == f"#{rec.position + 1}" or wanted in _numbers(rec):
            return rec
    return None
