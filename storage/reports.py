"""Reads for the documents dhrflow writes: a review's decisions, and what happened in a period."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from storage.chain import GENESIS
from storage.escalations import ESCALATION, LEDGER, LedgerEntry
from storage.repositories import ACTION, DECISION, LoggedDecision, _Repo, logged_decision


@dataclass(frozen=True)
class ActionDecision:
    """A decision about an action, and the action's agency now."""

    decision: LoggedDecision
    agency_id: int


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

    def decision(self, decision_id: int) -> LoggedDecision:
        row = self._one(select(DECISION).where(DECISION.c.id == decision_id))
        assert row is not None, "a sign-off names its decision (a foreign key)"
        return logged_decision(row)

    def review_decisions(self, review_id: int, events: Collection[str]) -> list[LoggedDecision]:
        """The review's decisions of these events about its actions, in log order."""
        stmt = (
            select(DECISION)
            .where(DECISION.c.review_id == review_id, DECISION.c.action_id.is_not(None), DECISION.c.event.in_(events))
            .order_by(DECISION.c.seq)
        )
        return [logged_decision(r) for r in self._all(stmt)]

    def decisions_between(
        self, partnership_id: int, review_ids: Collection[int], events: Collection[str], start: datetime, end: datetime
    ) -> list[ActionDecision]:
        """Decisions of these events about the reviews' actions taken from ``start`` up to (not at) ``end``."""
        stmt = (
            select(DECISION, ACTION.c.agency_id.label("agency_id_"))
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
        return [ActionDecision(logged_decision(r), r["agency_id_"]) for r in self._all(stmt)]

    def escalations_between(
        self, partnership_id: int, review_ids: Collection[int], first: date, last: date
    ) -> list[LedgerEntry]:
        """Ladder steps fired on the reviews' actions from ``first`` to ``last`` (both included), oldest first."""
        stmt = LEDGER.where(
            ESCALATION.c.partnership_id == partnership_id,
            ACTION.c.review_id.in_(list(review_ids)),
            ESCALATION.c.fired_on >= first,
            ESCALATION.c.fired_on <= last,
        ).order_by(ESCALATION.c.fired_on, ESCALATION.c.id)
        return [LedgerEntry(**r) for r in self._all(stmt)]
