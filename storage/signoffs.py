"""Frozen sign-offs of review plans."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from storage.repositories import _Repo
from storage.tables import metadata

SIGNOFF = metadata.tables["plan_signoff"]


class SignOffs(_Repo):
    def add(self, review_id: int, snapshot: str, sha256: str, signed_by: int, at: datetime, decision_id: int) -> int:
        values = {"review_id": review_id, "snapshot": snapshot, "sha256": sha256, "signed_by": signed_by}
        return self._insert(SIGNOFF, values | {"signed_at": at, "decision_id": decision_id})

    def for_review(self, review_id: int) -> dict[str, Any] | None:
        return self._one(select(SIGNOFF).where(SIGNOFF.c.review_id == review_id))
