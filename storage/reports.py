"""Reads for the documents and dashboards dhrflow writes: a review's decisions, what happened in a period, and
the partnership's actions counted by review, agency, state and target month."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, extract, func, select

from domain.rag import Due, DueBands
from domain.states import State
from storage.chain import GENESIS
from storage.escalations import ESCALATION, LEDGER, LEDGER_REVIEW_ID, LedgerEntry
from storage.repositories import ACTION, DECISION, REVIEW, LoggedDecision, _Repo, logged_decision


@dataclass(frozen=True)
class ActionDecision:
    """A decision about an action, and the action's agency now."""

    decision: LoggedDecision
    agency_id: int


@dataclass(frozen=True)
class ActionTally:
    """How many actions of one review and agency are in one state, returned or not, with their target date
    standing at ``due`` and falling in one month (``year`` and ``month`` are None for no target date)."""

    review_id: int
    agency_id: int
    state: State
    returned: bool
    due: Due
    year: int | None
    month: int | None
    count: int
    earliest: date | None
    """The earliest target date among them: how long the most overdue of them has been overdue."""
    reported_complete: bool = False
    """Whether the plan reported them done when it was imported."""


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

    def first_at(self, event: str) -> datetime | None:
        """When the first decision of ``event`` was taken, in any partnership; None while there is none."""
        first: datetime | None = self._conn.execute(
            select(func.min(DECISION.c.at)).where(DECISION.c.event == event)
        ).scalar_one()
        return first

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
        """Ladder steps fired on the reviews' actions (and on the reviews' own ladders) from ``first`` to ``last``
        (both included), oldest first."""
        stmt = LEDGER.where(
            ESCALATION.c.partnership_id == partnership_id,
            LEDGER_REVIEW_ID.in_(list(review_ids)),
            ESCALATION.c.fired_on >= first,
            ESCALATION.c.fired_on <= last,
        ).order_by(ESCALATION.c.fired_on, ESCALATION.c.id)
        return [LedgerEntry(**r) for r in self._all(stmt)]

    def action_tallies(
        self, partnership_id: int, bands: DueBands, review_ids: Collection[int] | None = None
    ) -> list[ActionTally]:
        """The partnership's actions (of ``review_ids`` only, where given: a page of reviews) counted by review,
        agency, state, returned flag, where the target date stands on the day of ``bands``, target month and
        completion reported in the plan: one aggregate query, whatever the number of actions (the groups are
        bounded by the reviews, agencies and months, not by the actions)."""
        target = ACTION.c.target_date
        due = case(
            (target.is_(None), Due.UNDATED.value),
            (target < bands.past_before, Due.PAST.value),
            (target <= bands.soon_until, Due.SOON.value),
            else_=Due.LATER.value,
        )
        rows = (
            select(
                ACTION.c.review_id,
                ACTION.c.agency_id,
                ACTION.c.state,
                ACTION.c.returned,
                due.label("due"),
                extract("year", target).label("year"),
                extract("month", target).label("month"),
                target,
                ACTION.c.reported_complete,
            )
            .join(REVIEW, REVIEW.c.id == ACTION.c.review_id)
            .where(REVIEW.c.partnership_id == partnership_id)
        )
        if review_ids is not None:
            rows = rows.where(ACTION.c.review_id.in_(sorted(set(review_ids))))
        each = rows.subquery()
        # Grouped outside the subquery: PostgreSQL takes the CASE's bound dates in the SELECT and in a GROUP BY
        # for different expressions.
        c = each.c
        keys = (c.review_id, c.agency_id, c.state, c.returned, c.due, c.year, c.month, c.reported_complete)
        stmt = select(*keys, func.count().label("n"), func.min(c.target_date).label("earliest")).group_by(*keys)
        return [
            ActionTally(
                review_id=r["review_id"],
                agency_id=r["agency_id"],
                state=State(r["state"]),
                returned=bool(r["returned"]),
                due=Due(r["due"]),
                year=int(r["year"]) if r["year"] is not None else None,
                month=int(r["month"]) if r["month"] is not None else None,
                count=r["n"],
                earliest=r["earliest"],
                reported_complete=bool(r["reported_complete"]),
            )
            for r in self._all(stmt)
        ]
