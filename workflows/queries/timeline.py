"""Where a review stands on its own timeline: its kind, status, each milestone with its day and who recorded
it, what is next and when it is due, and its actions counted (with those whose target waits on publication).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain.errors import DomainError
from domain.milestone_ladder import MilestoneDue, milestone_due, review_ladder
from domain.milestones import (
    ORDER,
    KindWords,
    Recorded,
    ReviewMilestone,
    label,
    next_milestone,
    standing,
)
from domain.model import Review, ReviewStatus
from domain.review_kinds import ReviewKind
from workflows.context import partnership_id
from workflows.errors import ReviewNotFound
from workflows.ports import Tx, UowFactory
from workflows.runtime.working_days import england_and_wales


@dataclass(frozen=True)
class MilestoneLine:
    milestone: ReviewMilestone
    label: str
    happened_on: date | None
    """None: not recorded yet."""
    recorded_by: str = ""
    url: str = ""
    points: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "milestone": str(self.milestone),
            "label": self.label,
            "happened_on": self.happened_on.isoformat() if self.happened_on else None,
            "recorded_by": self.recorded_by or None,
            "url": self.url or None,
            "points": list(self.points),
        }


@dataclass(frozen=True)
class ReviewTimeline:
    review_id: int
    review_ref: str
    title: str
    kind: str
    status: str
    standing: str
    """Where it stands in a few words: "not yet submitted", "published 2025-03-31"."""
    milestones: list[MilestoneLine]
    """Every milestone in ``ORDER``, recorded or not."""
    next: MilestoneLine | None
    next_due_on: date | None
    """When the next is due, where a ladder chases it (the submission, counted from the plan's import:
    ``domain.milestone_ladder``); None for what is recorded when it happens."""
    actions: int
    by_state: dict[str, int] = field(default_factory=dict)
    awaiting_publication: int = 0
    """Actions whose target counts from publication and has no date yet."""
    imported_on: date | None = None
    review_kind: ReviewKind | None = None
    """Its kind, whose name and abbreviation the page shows."""
    overdue: bool = False
    """The next milestone's due day has passed (on the day the timeline was read)."""
    due_words: str = ""
    """ "submission due by 2025-03-14", "submission overdue since 2025-03-14"; empty when nothing is chased."""

    @property
    def label(self) -> str:
        """ "DARDR BDHR2011/12-03"."""
        return self.review_kind.label(self.review_ref) if self.review_kind else self.review_ref

    def to_json(self) -> dict[str, Any]:
        return {
            "review_id": self.review_id,
            "review_ref": self.review_ref,
            "title": self.title,
            "kind": self.kind,
            "status": self.status,
            "standing": self.standing,
            "imported_on": self.imported_on.isoformat() if self.imported_on else None,
            "milestones": [m.to_json() for m in self.milestones],
            "next": None
            if self.next is None
            else {
                "milestone": str(self.next.milestone),
                "label": self.next.label,
                "due_on": self.next_due_on.isoformat() if self.next_due_on else None,
                "overdue": self.overdue,
            },
            "actions": {
                "total": self.actions,
                "by_state": self.by_state,
                "awaiting_publication": self.awaiting_publication,
            },
        }


async def review_timeline(
    reader: UowFactory,
    review_ref: str = "",
    *,
    partnership: str | None = None,
    partnership_key: int | None = None,
    review_id: int | None = None,
    today: date | None = None,
) -> ReviewTimeline:
    """The timeline of ``review_ref`` (or of the review ``review_id``) in the partnership named (or
    ``partnership_key``'s, or the only one); whether the next milestone is overdue, on ``today`` (without it,
    never).

    Raises:
        ReviewNotFound: no such review there.
    """

    def read(tx: Tx) -> ReviewTimeline:
        pid = partnership_key if partnership_key is not None else partnership_id(tx, partnership)
        if review_id is not None:
            review = next((r for r in tx.reviews.in_partnership(pid) if r.id == review_id), None)
        else:
            review = tx.reviews.by_ref(pid, review_ref.strip())
        if review is None:
            raise ReviewNotFound(review_ref or f"#{review_id}")
        return timeline_of(tx, review, today)

    async with reader() as uow:
        return await uow.run(read)


def timeline_of(tx: Tx, review: Review, today: date | None = None) -> ReviewTimeline:
    recorded = tx.milestones.for_reviews([review.id]).get(review.id, [])
    words = tx.milestones.kind_words([review.id]).get(review.id, KindWords())
    actions = tx.actions.for_review(review.id)
    lines = lines_of(recorded, words)
    upcoming = next_milestone(recorded)
    owed = due_of(tx, review, recorded, today)
    chased = owed is not None and owed.milestone is upcoming
    return ReviewTimeline(
        review_id=review.id,
        review_ref=review.ref,
        title=review.title,
        kind=review.kind,
        status=str(review.status),
        standing=standing(recorded, owed),
        milestones=lines,
        next=next((line for line in lines if line.milestone is upcoming), None),
        next_due_on=owed.due_on if owed is not None and chased else None,
        overdue=bool(owed is not None and chased and owed.overdue),
        due_words=owed.words() if owed is not None and chased else "",
        actions=len(actions),
        by_state=dict(sorted(Counter(str(a.state) for a in actions).items())),
        awaiting_publication=sum(1 for a in actions if a.target_after is not None and a.target_date is None),
        imported_on=review.imported_on,
        review_kind=tx.review_kinds.by_key(review.kind),
    )


def due_of(tx: Tx, review: Review, recorded: list[Recorded], today: date | None) -> MilestoneDue | None:
    """What the review owes under its partnership's ladders and by when (``domain.milestone_ladder``);
    overdue only when ``today`` is given and past the day."""
    done = [r.milestone for r in recorded]
    if review_ladder(review.imported_on, review.status is ReviewStatus.SIGNED_OFF, done) is None:
        return None  # nothing chased: no need to read the ladders
    try:
        ladders = tx.ladders.in_force(review.partnership_id)
    except DomainError:  # the partnership's ladders no longer read: the sweep names that; the page still shows
        return None
    signed_off = review.status is ReviewStatus.SIGNED_OFF
    return milestone_due(ladders, review.imported_on, signed_off, done, today or date.min, england_and_wales())


def lines_of(recorded: list[Recorded], words: KindWords) -> list[MilestoneLine]:
    """Every milestone in order, in the kind's words, with what was recorded of it."""
    by_name = {r.milestone: r for r in recorded}
    lines = []
    for m in ORDER:
        r = by_name.get(m)
        if r is None:
            lines.append(MilestoneLine(m, label(m, words), None))
        else:
            lines.append(MilestoneLine(m, label(m, words), r.happened_on, r.recorded_by, r.url, r.points))
    return lines
