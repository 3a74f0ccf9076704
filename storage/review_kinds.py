"""The kinds of review (``review_kind``): read whole, as there are a handful."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from sqlalchemy import select

from domain.review_kinds import ReviewKind
from storage.repositories import REVIEW, _Repo
from storage.tables import metadata

REVIEW_KIND = metadata.tables["review_kind"]


def kind_from_row(row: dict[str, Any]) -> ReviewKind:
    aliases = json.loads(row["aliases"] or "[]")
    vocabulary = json.loads(row["vocabulary"] or "{}")
    return ReviewKind(
        key=row["key"],
        name=row["name"],
        abbreviation=row["abbreviation"],
        quality_assurer=row["quality_assurer"],
        aliases=tuple(str(a) for a in aliases),
        vocabulary={str(k): str(v) for k, v in vocabulary.items()},
    )


class ReviewKinds(_Repo):
    def all(self) -> list[ReviewKind]:
        """Every kind, by key."""
        return [kind_from_row(r) for r in self._all(select(REVIEW_KIND).order_by(REVIEW_KIND.c.key))]

    def by_key(self, key: str) -> ReviewKind | None:
        row = self._one(select(REVIEW_KIND).where(REVIEW_KIND.c.key == key))
        return kind_from_row(row) if row else None

    def keys_by_ref(self, partnership_id: int) -> dict[str, str]:
        """The kind of each of the partnership's reviews by its ref (two columns, no notes): labels a list."""
        stmt = select(REVIEW.c.ref, REVIEW.c.kind).where(REVIEW.c.partnership_id == partnership_id)
        return {str(ref): str(kind) for ref, kind in self._conn.execute(stmt)}

    def keys_by_id(self, review_ids: Collection[int]) -> dict[int, str]:
        """The kind of each of these reviews by its id."""
        if not review_ids:
            return {}
        stmt = select(REVIEW.c.id, REVIEW.c.kind).where(REVIEW.c.id.in_(sorted(set(review_ids))))
        return {int(i): str(kind) for i, kind in self._conn.execute(stmt)}
