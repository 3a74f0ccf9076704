"""The board pack: where every review's plan stands, and what happened in the period.

One review or all of a partnership's: per review, RAG counts per agency (drawn
as a bar chart); then, across them, the overdue actions with the days they are
late, the escalations fired in the period, the actions closed (assured or
withdrawn) in it and the extensions granted in it; and per review, the actions assured against those whose
impact the partnership has confirmed (not shown, still to check, overdue). Its header prints the
decision log's head when the pack was made, for the board to keep and check later
with ``dhrflow log verify --expect-head``. ``board_html`` and ``board_pdf`` write it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.log_head import LogHead
from domain.rag import ATTENTION, Rag

RAG_ORDER = ATTENTION
"""The order of the bars' segments and of the count columns: what needs attention first."""


@dataclass(frozen=True)
class AgencyRag:
    agency: str
    counts: dict[Rag, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class ImpactCount:
    """One agency's assured actions of a review, by where their impact check stands on the pack's day."""

    agency: str
    assured: int
    confirmed: int = 0
    not_shown: int = 0
    waiting: int = 0
    """Unanswered, not yet past its day."""
    overdue: int = 0
    """Unanswered, past its day."""
    unchecked: int = 0
    """Assured while the partnership did no impact checks."""

    def cells(self) -> tuple[int, ...]:
        return (self.assured, self.confirmed, self.not_shown, self.waiting, self.overdue)


IMPACT_HEADERS = ("Assured", "Impact confirmed", "Impact not shown", "Check still due", "Check overdue")
"""The impact table's count columns, in ``ImpactCount.cells``' order."""


@dataclass(frozen=True)
class ReviewStatus:
    review_ref: str
    title: str
    status: str
    agencies: tuple[AgencyRag, ...]
    impact: tuple[ImpactCount, ...] = ()
    """Assured actions against impact confirmed, per agency (none assured: empty)."""
    kind: str = ""
    """The review's kind, as labels show it ("DARDR")."""

    @property
    def label(self) -> str:
        """ "DARDR BDHR2011/12-03": the review's heading in the pack."""
        return f"{self.kind} {self.review_ref}" if self.kind else self.review_ref

    @property
    def impact_totals(self) -> ImpactCount:
        cells = [sum(c) for c in zip(*(i.cells() for i in self.impact), strict=True)] or [0] * 5
        return ImpactCount("All agencies", *cells)

    @property
    def totals(self) -> dict[Rag, int]:
        return {rag: sum(a.counts.get(rag, 0) for a in self.agencies) for rag in RAG_ORDER}

    @property
    def actions(self) -> int:
        return sum(a.total for a in self.agencies)


@dataclass(frozen=True)
class Overdue:
    review_ref: str
    ref: str
    agency: str
    target_date: date
    days_late: int
    """Calendar days past the target date, on the pack's day."""
    action: str


@dataclass(frozen=True)
class Escalation:
    review_ref: str
    ref: str
    agency: str
    fired_on: date
    step: str
    told: str
    acknowledged: str
    """Who said they have it in hand, and when; empty while nobody has."""


@dataclass(frozen=True)
class Closure:
    review_ref: str
    ref: str
    agency: str
    on: date
    outcome: str
    """``assured`` or ``withdrawn``."""
    by: str
    reason: str


@dataclass(frozen=True)
class ExtensionGranted:
    review_ref: str
    ref: str
    agency: str
    on: date
    from_date: date | None
    to_date: date
    by: str


@dataclass(frozen=True)
class NoUpdate:
    """Who was asked for a progress update before a board meeting and gave none (by the pack's day)."""

    meets_on: date
    asked: int
    people: tuple[tuple[str, str, int], ...] = ()
    """(name, agency, open actions) of each who did not answer."""


@dataclass(frozen=True)
class BoardPack:
    partnership: str
    short_name: str
    first: date
    last: date
    """The period, both days included."""
    as_of: date
    reviews: tuple[ReviewStatus, ...]
    overdue: tuple[Overdue, ...]
    escalations: tuple[Escalation, ...]
    other_steps: int
    """Reminders and overdue notices sent in the period (counted, not listed)."""
    closures: tuple[Closure, ...]
    extensions: tuple[ExtensionGranted, ...]
    log_head: LogHead
    """The partnership's decision log head when the pack was made."""
    no_update: NoUpdate | None = None
    """The board cycle: who did not answer the request before the meeting the pack is for (none set: ``None``)."""

    @property
    def scope(self) -> str:
        return self.reviews[0].review_ref if len(self.reviews) == 1 else f"all {len(self.reviews)} reviews"


@dataclass(frozen=True)
class Segment:
    rag: Rag
    count: int
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    """One agency's bar: its segments laid out from 0 to ``width`` at most (the largest agency fills it)."""

    label: str
    total: int
    segments: tuple[Segment, ...]


def bars(review: ReviewStatus, width: float) -> list[Bar]:
    """The chart of ``review``: a stacked bar per agency, red first, scaled to the largest agency."""
    most = max((a.total for a in review.agencies), default=0) or 1
    drawn = []
    for agency in review.agencies:
        x = 0.0
        segments = []
        for rag in RAG_ORDER:
            count = agency.counts.get(rag, 0)
            if count:
                length = width * count / most
                segments.append(Segment(rag, count, x, length))
                x += length
        drawn.append(Bar(agency.agency, agency.total, tuple(segments)))
    return drawn
