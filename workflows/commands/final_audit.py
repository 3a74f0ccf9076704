"""Use cases of the final audit: the partnership starts it for a review, then signs the plan off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.final_audit import check_sign_off, check_start, snapshot, snapshot_hash, snapshot_text
from domain.model import Review, ReviewStatus
from domain.roles import Actor
from workflows.context import acting_to_decide, decision_about
from workflows.errors import InvalidInput
from workflows.ports import Tx, UowFactory
from workflows.runtime.clock import Clock


@dataclass(frozen=True)
class FinalAudit:
    review_ref: str
    status: ReviewStatus
    actions: int
    sha256: str = ""
    """The frozen snapshot's SHA-256, once signed off."""


async def start_final_audit(
    actor_email: str, review_ref: str, *, uow_factory: UowFactory, clock: Clock, on_behalf_of: str | None = None
) -> FinalAudit:
    """The partnership opens ``review_ref``'s final audit.

    Raises:
        UnknownPerson, InvalidInput: no such person or review.
        FinalAuditRefused: not the partnership, or started already.
    """
    at = clock.now()
    async with uow_factory() as uow:
        return await uow.run_and_commit(_start_in, actor_email, on_behalf_of, review_ref, at)


async def sign_off(
    actor_email: str, review_ref: str, *, uow_factory: UowFactory, clock: Clock, on_behalf_of: str | None = None
) -> FinalAudit:
    """The partnership signs ``review_ref``'s plan off: its snapshot is frozen and its hash logged.

    Raises:
        UnknownPerson, InvalidInput: no such person or review.
        FinalAuditRefused: not the partnership, not in final audit, or an action still under way.
    """
    at = clock.now()
    async with uow_factory() as uow:
        return await uow.run_and_commit(_sign_off_in, actor_email, on_behalf_of, review_ref, at)


def _review(tx: Tx, email: str, on_behalf_of: str | None, review_ref: str, at: datetime) -> tuple[Actor, int, Review]:
    person, actor = acting_to_decide(tx, email, on_behalf_of, at)
    review = tx.reviews.by_ref(person.partnership_id, review_ref.strip())
    if review is None:
        raise InvalidInput(f"no review {review_ref!r}")
    return actor, person.partnership_id, review


def _start_in(tx: Tx, email: str, on_behalf_of: str | None, review_ref: str, at: datetime) -> FinalAudit:
    actor, pid, review = _review(tx, email, on_behalf_of, review_ref, at)
    check_start(review, actor)
    tx.reviews.set_status(review.id, str(ReviewStatus.FINAL_AUDIT))
    tx.decisions.append(
        decision_about(actor, pid, "final_audit_started", at, review_id=review.id, review_ref=review.ref)
    )
    return FinalAudit(review.ref, ReviewStatus.FINAL_AUDIT, len(tx.actions.for_review(review.id)))


def _sign_off_in(tx: Tx, email: str, on_behalf_of: str | None, review_ref: str, at: datetime) -> FinalAudit:
    actor, pid, review = _review(tx, email, on_behalf_of, review_ref, at)
    actions = tx.actions.for_review(review.id)
    check_sign_off(review, actor, actions)
    frozen = snapshot(review, actions, tx.decisions.head(pid))
    digest = snapshot_hash(frozen)
    payload: dict[str, object] = {"snapshot_sha256": digest, "actions": len(actions), "log_head": frozen["log_head"]}
    signed = decision_about(
        actor, pid, "plan_signed_off", at, review_id=review.id, review_ref=review.ref, payload=payload
    )
    decision_id = tx.decisions.append(signed)
    tx.signoffs.add(review.id, snapshot_text(frozen), digest, actor.acting_id, at, decision_id)
    tx.reviews.set_status(review.id, str(ReviewStatus.SIGNED_OFF))
    return FinalAudit(review.ref, ReviewStatus.SIGNED_OFF, len(actions), digest)
