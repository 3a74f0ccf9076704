"""The kinds of review (``review_kind``): read whole, as there are a handful."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from domain.review_kinds import ReviewKind
from storage.repositories import _Repo
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
