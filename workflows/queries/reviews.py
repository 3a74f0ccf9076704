"""Each review summarised: its actions by state, RAG colour and agency, its recommendations and notes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain.errors import DomainError
from domain.milestone_ladder import MilestoneDue, milestone_due
from domain.milestones import Recorded, standing
from domain.model import Recommendation, Review, ReviewStatus
from domain.rag import ATTENTION, DueBands, Rag, RagPolicy, colour
from domain.review_kinds import ReviewKind
from domain.states import State
from storage.reports import ActionTally
from workflows.context import partnership_by_id
from workflows.ports import Tx, UowFactory
from workflows.queries import cursors
from workflows.queries.progress import ReviewProgress, progress_of
from workflows.runtime.clock import LONDON
from workflows.runtime.working_days import england_and_wales


@dataclass(frozen=True)
class ReviewSummary:
    partnership: str
    review_ref: str
    title: str
    status: str
    actions: int
    by_state: dict[str, int]
    by_rag: dict[str, int]
    by_agency: dict[str, dict[str, int]]
    """Agency -> RAG colour -> count."""
    recommendations: list[str]
    """The review's recommendations in numeric order (8 before 10), then its theme rows."""
    signed_off_sha256: str = ""
    """The SHA-256 of the plan frozen at sign-off, once signed off."""
    reported_complete: int = 0
    """Actions the plan reported done that the partnership has yet to assure or withdraw."""
    notes: list[dict[str, str]] = field(default_factory=list)
    """What the plan says beside its actions (``location``, ``text``), verbatim."""
    scopes: dict[str, int] = field(default_factory=dict)
    """Recommendations by scope (``local``, ``regional``, ``national``, ``unstated``)."""
    review_id: int = 0
    """Its id: the address of its page (``/reviews/{id}/timeline``)."""
    standing: str = "not yet submitted"
    """Where the review stands on its own timeline ("published 2025-03-31": ``domain.milestones.standing``)."""
    kind: ReviewKind | None = None
    """Its kind (a DARDR, a SAR, ...), for its label."""

    @property
    def label(self) -> str:
        """ "DARDR BDHR2011/12-03": the review's ref with its kind's abbreviation."""
        return self.kind.label(self.review_ref) if self.kind else self.review_ref

    def to_json(self) -> dict[str, Any]:
        kind = self.kind.to_json() if self.kind else None
        return {k: v for k, v in self.__dict__.items() if k != "kind"} | {"kind": kind}


REVIEWS_PER_PAGE = 10
"""Reviews on a page of the reviews page."""


@dataclass(frozen=True)
class ReviewPage:
    """A page of a partnership's reviews, summarised, with their progress and how many reviews there are."""

    summaries: list[ReviewSummary]
    progress: dict[str, ReviewProgress]
    """By review ref; a review without actions has none."""
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


async def review_page(
    reader: UowFactory,
    partnership_id: int,
    *,
    page: int = 1,
    size: int = REVIEWS_PER_PAGE,
    today: date,
    policy: RagPolicy,
) -> ReviewPage:
    """Page ``page`` of the partnership's reviews by ref (the last one, for a page past it): the same few
    statements for a page of a partnership of ten actions or of five thousand."""

    def read(tx: Tx) -> ReviewPage:
        total = tx.reviews.count(partnership_id)
        shown = min(max(page, 1), max(1, -(-total // size)))
        reviews = tx.reviews.page(partnership_id, size, offset=(shown - 1) * size)
        short = partnership_by_id(tx, partnership_id).short_name
        summaries, progress = _summarised(tx, partnership_id, short, reviews, today, policy)
        return ReviewPage(summaries, progress, total, shown, size)

    async with reader() as uow:
        return await uow.run(read)


async def review_place(reader: UowFactory, partnership_id: int, review_id: int) -> tuple[int, str] | None:
    """The page of the reviews page that shows review ``review_id``, and its ref; ``None`` for a review the
    partnership does not have."""

    def read(tx: Tx) -> tuple[int, str] | None:
        by_ref = tx.reviews.in_partnership(partnership_id)
        return next(((n // REVIEWS_PER_PAGE + 1, r.ref) for n, r in enumerate(by_ref) if r.id == review_id), None)

    async with reader() as uow:
        return await uow.run(read)


async def review_slice(
    reader: UowFactory, partnership_id: int, *, limit: int, cursor: str | None, today: date, policy: RagPolicy
) -> tuple[list[ReviewSummary], str | None]:
    """At most ``limit`` of the partnership's reviews after the one ``cursor`` names (by ref), summarised, and
    the cursor of the next slice (``None``: these were the last).

    Raises:
        InvalidInput: a cursor this list did not give.
    """
    after_ref = None
    if cursor:
        values = cursors.decode(cursor, "reviews")
        if len(values) != 1 or not cursors.is_text(values[0]):
            raise cursors.refused()
        after_ref = values[0]

    def read(tx: Tx) -> tuple[list[ReviewSummary], str | None]:
        reviews = tx.reviews.page(partnership_id, limit + 1, after_ref=after_ref)
        more = len(reviews) > limit
        short = partnership_by_id(tx, partnership_id).short_name
        summaries, _ = _summarised(tx, partnership_id, short, reviews[:limit], today, policy, progress=False)
        return summaries, cursors.encode("reviews", [reviews[limit - 1].ref]) if more else None

    async with reader() as uow:
        return await uow.run(read)


async def review_summaries(reader: UowFactory, *, today: date, policy: RagPolicy) -> list[ReviewSummary]:
    """Every review of every partnership, summarised (the command line's ``dhrflow reviews``): a few statements
    per partnership."""

    def read(tx: Tx) -> list[ReviewSummary]:
        found: list[ReviewSummary] = []
        for p in tx.partnerships.all():
            reviews = tx.reviews.in_partnership(p.id)
            found += _summarised(tx, p.id, p.short_name, reviews, today, policy, progress=False)[0]
        return found

    async with reader() as uow:
        return await uow.run(read)


def _summarised(
    tx: Tx, pid: int, short: str, reviews: list[Review], today: date, policy: RagPolicy, *, progress: bool = True
) -> tuple[list[ReviewSummary], dict[str, ReviewProgress]]:
    """``reviews`` (of partnership ``pid``) summarised, and (with ``progress``) their progress: one aggregate
    over their actions (``Reports.action_tallies``), their recommendations and sign-offs in one statement each."""
    if not reviews:
        return [], {}
    ids = [r.id for r in reviews]
    agencies = {a.id: a.name for a in tx.agencies.in_partnership(pid)}
    tallies = tx.reports.action_tallies(pid, DueBands.on(today, policy), ids)
    recommendations: dict[int, list[Recommendation]] = {}
    for rec in tx.recommendations.for_reviews(ids):
        recommendations.setdefault(rec.review_id, []).append(rec)
    signed = tx.signoffs.hashes(ids)
    timelines = tx.milestones.for_reviews(ids)
    owed = _owed(tx, pid, reviews, timelines, today)
    by_review: dict[int, list[ActionTally]] = {}
    for t in tallies:
        by_review.setdefault(t.review_id, []).append(t)
    summaries = []
    kinds = {k.key: k for k in tx.review_kinds.all()}
    for review in reviews:
        mine = by_review.get(review.id, [])
        recs = sorted(recommendations.get(review.id, []), key=Recommendation.sort_key)
        scopes = Counter(str(s) for r in recs for s in r.scope)
        scopes["unstated"] = sum(1 for r in recs if not r.scope)
        by_state: Counter[State] = Counter()
        by_rag: Counter[Rag] = Counter()
        by_agency: dict[int, Counter[Rag]] = {}
        for t in mine:
            colour_ = colour(t.state, t.returned, t.due, policy)
            by_state[t.state] += t.count
            by_rag[colour_] += t.count
            by_agency.setdefault(t.agency_id, Counter())[colour_] += t.count
        summaries.append(
            ReviewSummary(
                partnership=short,
                review_ref=review.ref,
                title=review.title,
                status=str(review.status),
                actions=sum(t.count for t in mine),
                by_state={str(s): by_state[s] for s in State if by_state[s]},
                by_rag={str(r): by_rag[r] for r in ATTENTION if by_rag[r]},
                by_agency={
                    agencies.get(a, ""): {str(r): c[r] for r in ATTENTION if c[r]} for a, c in sorted(by_agency.items())
                },
                recommendations=[r.text for r in recs],
                signed_off_sha256=signed.get(review.id, ""),
                reported_complete=sum(t.count for t in mine if t.reported_complete and not t.state.is_final),
                notes=[{"location": n.location, "text": n.text} for n in review.notes],
                scopes={name: n for name, n in scopes.items() if n},
                review_id=review.id,
                standing=standing(timelines.get(review.id, []), owed.get(review.id)),
                kind=kinds.get(review.kind),
            )
        )
    if not progress:
        return summaries, {}
    return summaries, progress_of(tallies, {r.id: r.ref for r in reviews}, agencies, today, policy)


def _owed(
    tx: Tx, pid: int, reviews: list[Review], timelines: dict[int, list[Recorded]], today: date
) -> dict[int, MilestoneDue]:
    """What each review owes and by when (its submission, counted from its plan's import), by review id; none
    where the partnership's ladders no longer read (the sweep names that)."""
    if all(r.imported_on is None for r in reviews):
        return {}
    try:
        ladders = tx.ladders.in_force(pid)
    except DomainError:
        return {}
    calendar = england_and_wales()
    found = {}
    for r in reviews:
        done = [m.milestone for m in timelines.get(r.id, [])]
        due = milestone_due(ladders, r.imported_on, r.status is ReviewStatus.SIGNED_OFF, done, today, calendar)
        if due is not None:
            found[r.id] = due
    return found


async def first_import_on(reader: UowFactory) -> date | None:
    """The day (England and Wales) the first plan was imported: an action's ladder starts at its import, so a
    sweep for a day before it has nothing to fire."""
    async with reader() as uow:
        at = await uow.run(lambda tx: tx.reports.first_at("import_plan"))
    return at.astimezone(LONDON).date() if at is not None else None
