"""Reads for the documents dhrflow writes: a review's decisions, and what happened in a period."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from storage.chain import GENESIS
from storage.escalations import ESCALATION
from storage.repositories import ACTION, DECISION, PERSON, REVIEW, _Repo

_DECISION_COLUMNS = (
    DECISION.c.seq,
    DECISION.c.action_id,
    DECISION.c.action_ref,
    DECISION.c.review_ref,
    DECISION.c.event,
    DECISION.c.actor_id,
    DECISION.c.actor_name,
    DECISION.c.actor_role,
    DECISION.c.reason,
    DECISION.c.note,
    DECISION.c.payload,
    DECISION.c.at,
)


class Reports(_Repo):
    def log_head(self, partnership_id: int) -> tuple[int, str]:
        """The partnership's last decision's seq and hash; ``(0, GENESIS)`` while it has none.

        Read without the chain's lock (``Decisions.head`` takes it, for a writer about to
        append): a document printing the head must not hold up the decisions being taken.
        """
        stmt = (
            select(DECISION.c.seq, DECISION.c.hash)
            .where(DECISION.c.partnership_id == partnership_id)
            .order_by(DECISION.c.seq.desc())
            .limit(1)
        )
        row = self._one(stmt)
        return (row["seq"], row["hash"]) if row else (0, GENESIS)

    def decision(self, decision_id: int) -> dict[str, Any]:
        row = self._one(select(DECISION).where(DECISION.c.id == decision_id))
        assert row is not None, "a sign-off names its decision (a foreign key)"
        return row

    def review_decisions(self, review_id: int, events: Collection[str]) -> list[dict[str, Any]]:
        """The review's decisions of these events about its actions, in log order."""
        stmt = (
            select(*_DECISION_COLUMNS)
            .where(DECISION.c.review_id == review_id, DECISION.c.action_id.is_not(None), DECISION.c.event.in_(events))
            .order_by(DECISION.c.seq)
        )
        return self._all(stmt)

    def decisions_between(
        self, partnership_id: int, review_ids: Collection[int], events: Collection[str], start: datetime, end: datetime
    ) -> list[dict[str, Any]]:
        """Decisions of these events about the reviews' actions taken from ``start`` up to (not at) ``end``."""
        stmt = (
            select(*_DECISION_COLUMNS, ACTION.c.agency_id)
            .join(ACTION, ACTION.c.id == DECISION.c.action_id)
            .where(
                DECISION.c.partnership_id == partnership_id,
                DECISION.c.review_id.in_(list(review_ids)),
                DECISION.c.event.in_(events),
                DECISION.c.at >= start,
                DECISION.c.at < end,
            )
            .order_by(DECISION.c.seq)
        )
        return self._all(stmt)

    def escalations_between(
        self, partnership_id: int, review_ids: Collection[int], first: date, last: date
    ) -> list[dict[str, Any]]:
        """Ladder steps fired on the reviews' actions from ``first`` to ``last`` (both included), oldest first."""
        stmt = (
            select(
                ESCALATION,
                ACTION.c.ref.label("action_ref"),
                ACTION.c.agency_id,
                REVIEW.c.ref.label("review_ref"),
                PERSON.c.name.label("acknowledged_by_name"),
            )
            .join(ACTION, ACTION.c.id == ESCALATION.c.action_id)
            .join(REVIEW, REVIEW.c.id == ACTION.c.review_id)
            .outerjoin(PERSON, PERSON.c.id == ESCALATION.c.acknowledged_by)
            .where(
                ESCALATION.c.partnership_id == partnership_id,
                ACTION.c.review_id.in_(list(review_ids)),
                ESCALATION.c.fired_on >= first,
                ESCALATION.c.fired_on <= last,
            )
            .order_by(ESCALATION.c.fired_on, ESCALATION.c.id)
        )
        return self._all(stmt)
