"""Progress at a glance: per review and, within it, per agency, the share assured, what is overdue and for how
long, the RAG counts, and the actions still to be assured by the month their target date falls in.

Counted from one aggregate query (``Reports.action_tallies``) with the RAG rule of ``domain.rag`` applied to
each group, so the page costs the same few queries for ten actions or two hundred thousand.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from domain.rag import DueBands, Rag, RagPolicy, colour, is_overdue
from domain.states import State
from storage.reports import ActionTally
from workflows.ports import Tx, UowFactory


@dataclass(frozen=True)
class Progress:
    """Where a set of actions stands on a day: one agency's actions of a review, or the whole review's."""

    actions: int = 0
    assured: int = 0
    withdrawn: int = 0
    overdue: int = 0
    """Open and past the target date: RAG red (``domain.rag.is_overdue``)."""
    most_days_overdue: int = 0
    """Calendar days the longest overdue of them is past its target date; 0 when none is overdue."""
    rag: dict[Rag, int] = field(default_factory=dict)

    @property
    def counted(self) -> int:
        """The actions a percentage assured is of: a withdrawn action is no longer counted."""
        return self.actions - self.withdrawn

    @property
    def percent_assured(self) -> int | None:
        """Assured of those not withdrawn, rounded down (100 only when every one is); None when none is left."""
        return self.assured * 100 // self.counted if self.counted else None

    def plus(self, other: Progress) -> Progress:
        return Progress(
            actions=self.actions + other.actions,
            assured=self.assured + other.assured,
            withdrawn=self.withdrawn + other.withdrawn,
            overdue=self.overdue + other.overdue,
            most_days_overdue=max(self.most_days_overdue, other.most_days_overdue),
            rag=dict(Counter(self.rag) + Counter(other.rag)),
        )


@dataclass(frozen=True)
class StillOpen:
    """The actions of a review not yet assured (nor withdrawn) whose target date falls in ``month``."""

    month: date
    """The month's first day."""
    actions: int
    overdue: int
    """Of them, open and past the target date (the rest are due later, or have evidence with a checker)."""


@dataclass(frozen=True)
class ReviewProgress:
    review_ref: str
    whole: Progress
    agencies: list[tuple[str, Progress]]
    """Each agency with actions in the review, in the order the partnership's agencies were added."""
    months: list[StillOpen]
    """Months holding at least one action still to be assured, earliest first; empty months are left out."""
    undated: int = 0
    """Actions still to be assured with no readable target date."""


async def review_progress(
    reader: UowFactory, partnership_id: int, *, today: date, policy: RagPolicy
) -> dict[str, ReviewProgress]:
    """Every review of the partnership (by ref) as it stands on ``today``; a review without actions is left out."""
    async with reader() as uow:
        return await uow.run(_review_progress_in, partnership_id, today, policy)


def _review_progress_in(tx: Tx, pid: int, today: date, policy: RagPolicy) -> dict[str, ReviewProgress]:
    refs = {r.id: r.ref for r in tx.reviews.in_partnership(pid)}
    agencies = {a.id: a.name for a in tx.agencies.in_partnership(pid)}
    return progress_of(tx.reports.action_tallies(pid, DueBands.on(today, policy)), refs, agencies, today, policy)


def progress_of(
    tallies: list[ActionTally], refs: dict[int, str], agencies: dict[int, str], today: date, policy: RagPolicy
) -> dict[str, ReviewProgress]:
    """Each review of ``tallies`` (by ref; ``refs`` names them, ``agencies`` their agencies) as it stands on
    ``today``."""
    by_review: dict[int, list[ActionTally]] = {}
    for t in tallies:
        by_review.setdefault(t.review_id, []).append(t)
    found = {}
    for review_id, tallies in by_review.items():
        counted: dict[int, _Counting] = {}
        for t in tallies:
            counted.setdefault(t.agency_id, _Counting()).add(t, today, policy)
        per_agency = {agency_id: c.progress() for agency_id, c in counted.items()}
        whole = Progress()
        for p in per_agency.values():
            whole = whole.plus(p)
        months, undated = _still_open(tallies)
        found[refs[review_id]] = ReviewProgress(
            review_ref=refs[review_id],
            whole=whole,
            agencies=[(agencies.get(i, ""), per_agency[i]) for i in sorted(per_agency)],
            months=months,
            undated=undated,
        )
    return found


class _Counting:
    """One agency's ``Progress`` while its tallies are added up (a page of reviews has thousands of them: one
    ``Progress`` per tally cost more than the query)."""

    def __init__(self) -> None:
        self.actions = self.assured = self.withdrawn = self.overdue = self.most_days_overdue = 0
        self.rag: Counter[Rag] = Counter()

    def add(self, t: ActionTally, today: date, policy: RagPolicy) -> None:
        late = is_overdue(t.state, t.due)
        self.actions += t.count
        self.assured += t.count if t.state is State.PARTNERSHIP_ASSURED else 0
        self.withdrawn += t.count if t.state is State.WITHDRAWN else 0
        if late:
            self.overdue += t.count
            if t.earliest is not None:
                self.most_days_overdue = max(self.most_days_overdue, (today - t.earliest).days)
        self.rag[colour(t.state, t.returned, t.due, policy)] += t.count

    def progress(self) -> Progress:
        rag = {r: n for r, n in self.rag.items() if n}
        return Progress(self.actions, self.assured, self.withdrawn, self.overdue, self.most_days_overdue, rag)


def _still_open(tallies: list[ActionTally]) -> tuple[list[StillOpen], int]:
    actions: Counter[date] = Counter()
    overdue: Counter[date] = Counter()
    undated = 0
    for t in tallies:
        if t.state.is_final:
            continue
        if t.year is None or t.month is None:
            undated += t.count
            continue
        month = date(t.year, t.month, 1)
        actions[month] += t.count
        if is_overdue(t.state, t.due):
            overdue[month] += t.count
    return [StillOpen(m, actions[m], overdue[m]) for m in sorted(actions)], undated
