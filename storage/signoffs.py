"""Frozen sign-offs of review plans."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from storage.repositories import _Repo
from storage.tables import metadata

SIGNOFF = metadata.tables["plan_signoff"]


@dataclass(frozen=True)
class SignOff:
    """A review's plan as signed off: the frozen snapshot (JSON) and the SHA-256 its decision logged."""

    id: int
    review_id: int
    snapshot: str
    sha256: str
    signed_by: int
    signed_at: datetime
    decision_id: int


class SignOffs(_Repo):
    def add(self, review_id: int, snapshot: str, sha256: str, signed_by: int, at: datetime, decision_id: int) -> int:
        values = {"review_id": review_id, "snapshot": snapshot, "sha256": sha256, "signed_by": signed_by}
        return self._insert(SIGNOFF, values | {"signed_at": at, "decision_id": decision_id})

    def for_review(self, review_id: int) -> SignOff | None:
        row = self._one(select(SIGNOFF).where(SIGNOFF.c.review_id == review_id))
        return SignOff(**row) if row else None

    def hashes(self, review_ids: Collection[int]) -> dict[int, str]:
        """The SHA-256 of each of these reviews' frozen plans, for those signed off (their snapshots unread)."""
        if not review_ids:
            return {}
        stmt = select(SIGNOFF.c.review_id, SIGNOFF.c.sha256).where(SIGNOFF.c.review_id.in_(sorted(set(review_ids))))
        return {review_id: sha for review_id, sha in self._conn.execute(stmt)}
