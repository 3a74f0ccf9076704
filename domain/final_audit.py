"""The final audit: the partnership starts it for a review, then signs the whole plan off.

Signing off needs every action assured or withdrawn. It freezes a snapshot of
the plan (every action's columns, state and version, and the decision log's
head at that moment) whose SHA-256 is recorded in the sign-off decision: later
edits, or a log rewritten underneath, no longer match it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from domain.errors import DomainError, ErrorKind
from domain.model import Action, Review, ReviewStatus
from domain.roles import Actor, Role


class FinalAuditRefused(DomainError):
    def __init__(self, review_ref: str, problem: str, *, not_yours: bool = False) -> None:
        self.review_ref = review_ref
        self.not_yours = not_yours
        self.kind = ErrorKind.NOT_YOURS if not_yours else ErrorKind.NOT_NOW
        super().__init__(f"review {review_ref}: {problem}")


def check_start(review: Review, actor: Actor) -> None:
    """May ``actor`` start ``review``'s final audit?"""
    _assurer(review, actor, "starts the final audit")
    if review.status is not ReviewStatus.ACTIVE:
        raise FinalAuditRefused(review.ref, f"its final audit has already started ({review.status})")


def check_sign_off(review: Review, actor: Actor, actions: Sequence[Action]) -> None:
    """May ``actor`` sign ``review``'s plan off now?"""
    _assurer(review, actor, "signs the plan off")
    if review.status is ReviewStatus.SIGNED_OFF:
        raise FinalAuditRefused(review.ref, "it is signed off already")
    if review.status is not ReviewStatus.FINAL_AUDIT:
        raise FinalAuditRefused(review.ref, "start its final audit first")
    open_ = [a.ref for a in actions if not a.state.is_final]
    if open_:
        shown = ", ".join(open_[:8]) + (" ..." if len(open_) > 8 else "")
        raise FinalAuditRefused(review.ref, f"{len(open_)} action(s) not yet assured or withdrawn: {shown}")


def _assurer(review: Review, actor: Actor, doing: str) -> None:
    if actor.role is not Role.PARTNERSHIP_ASSURER:
        raise FinalAuditRefused(review.ref, f"the partnership {doing}, not the {actor.role.label}", not_yours=True)


def snapshot(review: Review, actions: Sequence[Action], log_head: tuple[int, str]) -> dict[str, Any]:
    """What the sign-off freezes: the plan as it stands and the log's head."""
    return {
        "review": {"ref": review.ref, "title": review.title},
        "log_head": {"seq": log_head[0], "hash": log_head[1]},
        "actions": [
            {
                "ref": a.ref,
                "agency_id": a.agency_id,
                "state": str(a.state),
                "version": a.version,
                "route": str(a.route),
                "target_date": _day(a.target_date),
                "original_target_date": _day(a.original_target_date),
                "columns": asdict(a.columns),
            }
            for a in sorted(actions, key=lambda a: a.id)
        ],
    }


def snapshot_text(frozen: dict[str, Any]) -> str:
    """The canonical text of a snapshot: what its SHA-256 is taken of."""
    return json.dumps(frozen, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def snapshot_hash(frozen: dict[str, Any]) -> str:
    return hashlib.sha256(snapshot_text(frozen).encode()).hexdigest()


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None
