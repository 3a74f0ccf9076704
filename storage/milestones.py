"""The review's own timeline: milestones as recorded, the review kind's words for them, and the day a review's
plan was first imported (what an overdue submission counts from)."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update

from domain.milestones import KindWords, Recorded, ReviewMilestone
from storage.repositories import DECISION, PERSON, REVIEW, _Repo
from storage.review_kinds import kind_from_row
from storage.tables import metadata

MILESTONE = metadata.tables["review_milestone"]
KIND = metadata.tables["review_kind"]


class Milestones(_Repo):
    def for_reviews(self, review_ids: Collection[int]) -> dict[int, list[Recorded]]:
        """The milestones recorded for these reviews (one statement, for a page of a list), by review id, each
        review's in the order they happened."""
        if not review_ids:
            return {}
        stmt = (
            select(MILESTONE, PERSON.c.name.label("recorded_by_name"))
            .join(PERSON, PERSON.c.id == MILESTONE.c.recorded_by)
            .where(MILESTONE.c.review_id.in_(sorted(set(review_ids))))
            .order_by(MILESTONE.c.review_id, MILESTONE.c.happened_on, MILESTONE.c.id)
        )
        found: dict[int, list[Recorded]] = {}
        for row in self._all(stmt):
            found.setdefault(row["review_id"], []).append(_recorded(row))
        return found

    def add(
        self,
        review_id: int,
        milestone: ReviewMilestone,
        happened_on: date,
        detail: dict[str, Any],
        recorded_by: int,
        at: datetime,
        decision_id: int,
    ) -> int:
        values = {"review_id": review_id, "milestone": str(milestone), "happened_on": happened_on}
        values |= {"detail": json.dumps(detail, sort_keys=True, ensure_ascii=False), "recorded_by": recorded_by}
        return self._insert(MILESTONE, values | {"recorded_at": at, "decision_id": decision_id})

    def kind_words(self, review_ids: Collection[int]) -> dict[int, KindWords]:
        """What each review's kind calls the body its report goes to and its quality assurer (the two columns
        of ``review_kind`` the timeline needs), by review id."""
        if not review_ids:
            return {}
        stmt = (
            select(REVIEW.c.id.label("review_id_"), KIND)
            .join(KIND, KIND.c.key == REVIEW.c.kind)
            .where(REVIEW.c.id.in_(sorted(set(review_ids))))
        )
        return {row["review_id_"]: KindWords.of(kind_from_row(row)) for row in self._all(stmt)}

    def first_import_at(self, review_id: int) -> datetime | None:
        """When the review's plan was first imported (its first ``import_plan`` decision)."""
        stmt = select(func.min(DECISION.c.at)).where(
            DECISION.c.review_id == review_id, DECISION.c.event == "import_plan"
        )
        found: datetime | None = self._conn.execute(stmt).scalar_one_or_none()
        return found

    def set_imported_on(self, review_id: int, day: date) -> None:
        """The day the review's plan was first imported, set once; the sweep looks at the review's own ladder
        (``report_submission``, which counts from that day) from then on."""
        self._conn.execute(
            update(REVIEW)
            .where(REVIEW.c.id == review_id, REVIEW.c.imported_on.is_(None))
            .values(imported_on=day, next_step_due_on=day)
        )


def _recorded(row: dict[str, Any]) -> Recorded:
    try:
        detail = json.loads(row["detail"] or "{}")
    except ValueError:
        detail = {}
    if not isinstance(detail, dict):
        detail = {}
    return Recorded(
        ReviewMilestone(row["milestone"]),
        row["happened_on"],
        row["recorded_by_name"],
        url=str(detail.get("url", "")),
        points=tuple(str(p) for p in detail.get("points", ())),
    )
