"""Record a milestone of a review's own timeline (submitted, panel letter, family informed, published, taken
down), as a decision with its day and detail; publication gives every target counted from it its date.

Recording ``published`` dates, in the same transaction, every action of the review whose target counts from
publication ("within 6 months of publication"): each gets its target date (``AfterEvent.date_from``), a new
version and a ``target_dated`` decision of its own, and the sweep looks at it that day, so the lead
officer's ladder starts then (as an approved extension restarts it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from domain.milestones import (
    MILESTONE_RECORDED,
    PUBLICATION,
    TARGET_DATED,
    MilestoneRequest,
    ReviewMilestone,
    check_record,
    label,
    parse_milestone,
)
from domain.model import Action, Review
from domain.roles import Actor
from workflows.context import about_action, acting_to_decide, check_length, decision_about
from workflows.errors import ReviewNotFound
from workflows.ports import Tx, UowFactory
from workflows.runtime.clock import LONDON, Clock
from workflows.runtime.observability import get_logger

log = get_logger(__name__)


@dataclass(frozen=True)
class MilestoneCommand:
    review_ref: str
    milestone: str
    """Its name (``domain.milestones.ReviewMilestone``), as typed."""
    on: date
    url: str = ""
    """Where the report is published (``published``)."""
    points: tuple[str, ...] = ()
    """The panel letter's points (``panel_letter_received``)."""


@dataclass(frozen=True)
class MilestoneResult:
    review_ref: str
    milestone: ReviewMilestone
    label: str
    happened_on: date
    dated: list[tuple[str, date]] = field(default_factory=list)
    """Actions whose target counted from publication, with the date they got (``published`` only)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "review_ref": self.review_ref,
            "milestone": str(self.milestone),
            "label": self.label,
            "happened_on": self.happened_on.isoformat(),
            "dated": [{"ref": ref, "target_date": day.isoformat()} for ref, day in self.dated],
        }


async def record_milestone(
    actor_email: str, command: MilestoneCommand, *, uow_factory: UowFactory, clock: Clock
) -> MilestoneResult:
    """The coordinator (or the partnership assurer) records a milestone of a review.

    Raises:
        UnknownPerson, ReviewNotFound: no such person, or no such review in their partnership.
        MilestoneRefused: not theirs; recorded already; the milestone it needs missing or later; a day still to
            come; a bad ``--url``; detail the milestone does not take.
        InvalidInput: a point or address too long, or holding a NUL.
    """
    milestone = parse_milestone(command.milestone)
    check_length("--url", command.url)
    for point in command.points:
        check_length("--point", point)
    request = MilestoneRequest(milestone, command.on, command.url.strip(), tuple(p.strip() for p in command.points))
    at = clock.now()
    async with uow_factory() as uow:
        result = await uow.run_and_commit(_record_in, actor_email, command.review_ref.strip(), request, at)
    log.info("milestone_recorded", review_ref=result.review_ref, milestone=str(milestone), dated=len(result.dated))
    return result


def _record_in(tx: Tx, email: str, review_ref: str, request: MilestoneRequest, at: datetime) -> MilestoneResult:
    person, actor = acting_to_decide(tx, email, None, at)
    pid = person.partnership_id
    review = tx.reviews.by_ref(pid, review_ref)
    if review is None:
        raise ReviewNotFound(review_ref)
    today = at.astimezone(LONDON).date()
    recorded = tx.milestones.for_reviews([review.id]).get(review.id, [])
    check_record(review.ref, actor.role, request, recorded, today)
    detail: dict[str, Any] = {}
    if request.url:
        detail["url"] = request.url
    if request.points:
        detail["points"] = list(request.points)
    payload = {"milestone": str(request.milestone), "on": request.on.isoformat(), **detail}
    decision_id = tx.decisions.append(
        decision_about(actor, pid, MILESTONE_RECORDED, at, review_id=review.id, review_ref=review.ref, payload=payload)
    )
    tx.milestones.add(review.id, request.milestone, request.on, detail, person.id, at, decision_id)
    dated = []
    if request.milestone is ReviewMilestone.PUBLISHED:
        dated = date_targets(tx, actor, pid, review, request.on, at)
    words = tx.milestones.kind_words([review.id]).get(review.id)
    shown = label(request.milestone, words) if words else str(request.milestone)
    return MilestoneResult(review.ref, request.milestone, shown, request.on, dated)


def date_targets(
    tx: Tx, actor: Actor, pid: int, review: Review, published: date, at: datetime
) -> list[tuple[str, date]]:
    """Give every action of ``review`` whose target counts from publication its date: a new version, a
    ``target_dated`` decision each, and the sweep's look that day for those still under way."""
    today = at.astimezone(LONDON).date()
    dated = []
    for action in tx.actions.for_review(review.id):
        day = _counted_from(action, published)
        if day is None:
            continue
        values: dict[str, Any] = {"target_date": day}
        if not action.state.is_final:
            values["next_step_due_on"] = today  # the lead officer's ladder starts: the sweep works it out
        tx.actions.update_versioned(action, action.version, values)
        assert action.target_after is not None
        draft = decision_about(actor, pid, TARGET_DATED, at, **about_action(action, review.ref))
        after = action.target_after.describe()
        draft.payload = {"to": day.isoformat(), "after": after, "published": published.isoformat()}
        tx.decisions.append(draft)
        dated.append((action.ref, day))
    return dated


def _counted_from(action: Action, published: date) -> date | None:
    """The target date publication on ``published`` gives ``action``; None for one it gives none (a target of
    its own date, or one already dated)."""
    after = action.target_after
    if after is None or after.event != PUBLICATION or action.target_date is not None:
        return None
    return after.date_from(published)
