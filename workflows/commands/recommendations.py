"""The coordinator records what a recommendation is beside its text: its scope, the body it is addressed to,
and whether that body accepted it. Each change is a decision about the review, in the log.

A recommendation is named by its review and its number (``domain.recommendations.named``): one of the numbers
its row gives, or ``#N``, its place in the review's list, for a theme row with none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.addressees import normalise
from domain.errors import ErrorKind
from domain.model import Recommendation, Review
from domain.recommendations import (
    RECOMMENDATION_ACCEPTED,
    RECOMMENDATION_NOT_ACCEPTED,
    RECOMMENDATION_SET,
    named,
    number_of,
    parse_scopes,
)
from workflows.context import Attribution, check_length, coordinator_by_email, decision_about
from workflows.errors import InvalidInput, WorkflowError
from workflows.ports import Tx, UowFactory
from workflows.runtime.clock import Clock

MAX_ADDRESSEE = 200
"""The longest addressee kept: a body's name, not a paragraph."""


class AlreadyAccepted(WorkflowError):
    """Accepting a recommendation that stands accepted: nothing to undo."""

    kind = ErrorKind.NOT_NOW

    def __init__(self, review_ref: str, number: str) -> None:
        super().__init__(f"recommendation {number} of {review_ref} is not recorded as not accepted: nothing to undo")


@dataclass(frozen=True)
class RecommendationChange:
    """What a decision about a recommendation changed (``changes`` empty: nothing, and nothing was written)."""

    review_ref: str
    number: str
    changes: dict[str, dict[str, str]]

    def to_json(self) -> dict[str, Any]:
        return {"review_ref": self.review_ref, "number": self.number, "changes": self.changes}


def find_recommendation(tx: Tx, pid: int, review_ref: str, number: str) -> tuple[Review, Recommendation, str]:
    """The review ``review_ref`` of the partnership, its recommendation ``number``, and that number as shown.

    Raises:
        InvalidInput: no such review, or no such recommendation in it (the message lists the numbers it has).
    """
    review = tx.reviews.by_ref(pid, review_ref.strip())
    if review is None:
        raise InvalidInput(f"no review {review_ref!r}")
    recommendations = tx.recommendations.for_review(review.id)
    found = named(recommendations, number)
    if found is None:
        have = "; ".join(number_of(r) for r in recommendations) or "none"
        raise InvalidInput(f"review {review.ref} has no recommendation {number!r} (it has: {have})")
    return review, found, number_of(found)


async def set_recommendation(
    actor_email: str,
    review_ref: str,
    number: str,
    *,
    scopes: Sequence[str] | None = None,
    addressee: str | None = None,
    uow_factory: UowFactory,
    clock: Clock,
) -> RecommendationChange:
    """The coordinator sets the recommendation's scope (``scopes``: exactly local, regional, national; several
    allowed; an empty list clears it) and/or its addressee (a national body's name or abbreviation, an agency of
    the plan, normalised; "" clears it). One ``recommendation_set`` decision names what changed from what; a
    change to what it already is writes nothing.

    Raises:
        UnknownPerson, InvalidInput: not a coordinator; no such review or recommendation; an addressee too long.
        InvalidScope: a scope other than the three.
    """
    new_scope = parse_scopes(scopes) if scopes is not None else None
    if addressee is not None:
        check_length("--addressee", addressee)
        if len(addressee) > MAX_ADDRESSEE:
            raise InvalidInput(f"--addressee is {len(addressee)} characters; the most is {MAX_ADDRESSEE}")
    at = clock.now()

    def change(tx: Tx) -> RecommendationChange:
        actor = coordinator_by_email(tx, actor_email, "sets a recommendation's scope and addressee")
        review, rec, shown = find_recommendation(tx, actor.partnership_id, review_ref, number)
        changes: dict[str, dict[str, str]] = {}
        if new_scope is not None and new_scope != rec.scope:
            changes["scope"] = {"from": ",".join(rec.scope), "to": ",".join(new_scope)}
            tx.recommendations.set_scope(rec.id, new_scope)
        if addressee is not None:
            agencies = [a.name for a in tx.agencies.in_partnership(actor.partnership_id)]
            to = normalise(addressee, agencies)
            if to != rec.addressee:
                changes["addressee"] = {"from": rec.addressee, "to": to}
                tx.recommendations.set_addressee(rec.id, to)
        if changes:
            _log(tx, actor, review, rec, shown, RECOMMENDATION_SET, at, changes=changes)
        return RecommendationChange(review.ref, shown, changes)

    async with uow_factory() as uow:
        return await uow.run_and_commit(change)


async def set_not_accepted(
    actor_email: str, review_ref: str, number: str, reason: str, *, uow_factory: UowFactory, clock: Clock
) -> RecommendationChange:
    """The coordinator records that the body the recommendation is addressed to did not accept it, and why:
    its status is "not accepted" whatever its actions do. Recording a new reason replaces the old (a decision
    again).

    Raises:
        UnknownPerson, InvalidInput: not a coordinator; no such recommendation; no reason, or one too long.
    """
    check_length("--reason", reason)
    why = reason.strip()
    if not why:
        raise InvalidInput("--reason: say why the recommendation was not accepted")
    at = clock.now()

    def record(tx: Tx) -> RecommendationChange:
        actor = coordinator_by_email(tx, actor_email, "records a recommendation not accepted")
        review, rec, shown = find_recommendation(tx, actor.partnership_id, review_ref, number)
        if rec.not_accepted_reason == why:
            return RecommendationChange(review.ref, shown, {})
        changes = {"not_accepted_reason": {"from": rec.not_accepted_reason, "to": why}}
        tx.recommendations.set_not_accepted(rec.id, why)
        _log(tx, actor, review, rec, shown, RECOMMENDATION_NOT_ACCEPTED, at, reason=why, changes=changes)
        return RecommendationChange(review.ref, shown, changes)

    async with uow_factory() as uow:
        return await uow.run_and_commit(record)


async def set_accepted(
    actor_email: str, review_ref: str, number: str, note: str = "", *, uow_factory: UowFactory, clock: Clock
) -> RecommendationChange:
    """The coordinator records that a recommendation recorded as not accepted is accepted after all: its status
    follows its actions again.

    Raises:
        UnknownPerson, InvalidInput: not a coordinator; no such recommendation.
        AlreadyAccepted: it stands accepted.
    """
    check_length("--note", note)
    at = clock.now()

    def record(tx: Tx) -> RecommendationChange:
        actor = coordinator_by_email(tx, actor_email, "records a recommendation accepted")
        review, rec, shown = find_recommendation(tx, actor.partnership_id, review_ref, number)
        if not rec.not_accepted_reason:
            raise AlreadyAccepted(review.ref, shown)
        changes = {"not_accepted_reason": {"from": rec.not_accepted_reason, "to": ""}}
        tx.recommendations.set_not_accepted(rec.id, "")
        _log(tx, actor, review, rec, shown, RECOMMENDATION_ACCEPTED, at, note=note.strip(), changes=changes)
        return RecommendationChange(review.ref, shown, changes)

    async with uow_factory() as uow:
        return await uow.run_and_commit(record)


def _log(
    tx: Tx,
    actor: Attribution,
    review: Review,
    rec: Recommendation,
    shown: str,
    event: str,
    at: datetime,
    *,
    changes: dict[str, dict[str, str]],
    reason: str = "",
    note: str = "",
) -> None:
    payload = {"recommendation_id": rec.id, "number": shown, "changes": changes}
    tx.decisions.append(
        decision_about(
            actor,
            actor.partnership_id,
            event,
            at,
            review_id=review.id,
            review_ref=review.ref,
            reason=reason,
            note=note,
            payload=payload,
        )
    )


async def decide_recommendation(
    actor_email: str,
    recommendation_id: int,
    *,
    scopes: Sequence[str],
    addressee: str,
    not_accepted_reason: str,
    uow_factory: UowFactory,
    clock: Clock,
) -> RecommendationChange:
    """The coordinator's form on the recommendations page, in one transaction: the recommendation's scope and
    addressee as given, and accepted (``not_accepted_reason`` empty) or not accepted with that reason. Each
    change is its decision (``recommendation_set``, ``recommendation_not_accepted``, ``recommendation_accepted``);
    a refusal writes none of them.

    Raises:
        UnknownPerson, InvalidInput: not a coordinator; no such recommendation in their partnership; text too long.
        InvalidScope: a scope other than the three.
    """
    new_scope = parse_scopes(scopes)
    for name, text_ in (("addressee", addressee), ("reason", not_accepted_reason)):
        check_length(name, text_)
    if len(addressee) > MAX_ADDRESSEE:
        raise InvalidInput(f"addressee is {len(addressee)} characters; the most is {MAX_ADDRESSEE}")
    why = not_accepted_reason.strip()
    at = clock.now()

    def decide(tx: Tx) -> RecommendationChange:
        actor = coordinator_by_email(tx, actor_email, "records decisions about recommendations")
        review, rec, shown = _by_id(tx, actor.partnership_id, recommendation_id)
        changes: dict[str, dict[str, str]] = {}
        if new_scope != rec.scope:
            changes["scope"] = {"from": ",".join(rec.scope), "to": ",".join(new_scope)}
            tx.recommendations.set_scope(rec.id, new_scope)
        to = normalise(addressee, [a.name for a in tx.agencies.in_partnership(actor.partnership_id)])
        if to != rec.addressee:
            changes["addressee"] = {"from": rec.addressee, "to": to}
            tx.recommendations.set_addressee(rec.id, to)
        if changes:
            _log(tx, actor, review, rec, shown, RECOMMENDATION_SET, at, changes=dict(changes))
        if why != rec.not_accepted_reason:
            moved = {"not_accepted_reason": {"from": rec.not_accepted_reason, "to": why}}
            tx.recommendations.set_not_accepted(rec.id, why)
            event = RECOMMENDATION_NOT_ACCEPTED if why else RECOMMENDATION_ACCEPTED
            _log(tx, actor, review, rec, shown, event, at, reason=why, changes=moved)
            changes |= moved
        return RecommendationChange(review.ref, shown, changes)

    async with uow_factory() as uow:
        return await uow.run_and_commit(decide)


def _by_id(tx: Tx, pid: int, recommendation_id: int) -> tuple[Review, Recommendation, str]:
    found = tx.recommendations.by_ids([recommendation_id]).get(recommendation_id)
    reviews = {r.id: r for r in tx.reviews.in_partnership(pid)}
    if found is None or found.review_id not in reviews:
        raise InvalidInput(f"no recommendation {recommendation_id} in the partnership")
    return reviews[found.review_id], found, number_of(found)
