"""Impact checks: the row each assured action gets, its answer, and the partnership's months to it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, select, update

from domain.impact import ImpactCheck, ImpactOutcome
from domain.states import State
from storage.repositories import ACTION, AGENCY, PERSON, REVIEW, P, _Repo
from storage.tables import metadata

IMPACT = metadata.tables["impact_check"]


@dataclass(frozen=True)
class ImpactDue:
    """An unanswered impact check, with what its form shows beside it: the plan's own success measure."""

    action_id: int
    review_ref: str
    action_ref: str
    agency_id: int
    agency: str
    action: str
    success_measure: str
    due_on: date

    def to_json(self) -> dict[str, Any]:
        return self.__dict__ | {"due_on": self.due_on.isoformat()}


@dataclass(frozen=True)
class ImpactTally:
    """Assured actions of one review and agency, by where their impact check stands (on a day)."""

    review_id: int
    agency_id: int
    assured: int
    confirmed: int
    not_shown: int
    waiting: int
    """Unanswered, its day not yet past (due today or later)."""
    overdue: int
    """Unanswered, past its day."""
    unchecked: int
    """Assured without a check (the partnership did none then)."""


def _check(row: dict[str, Any]) -> ImpactCheck:
    return ImpactCheck(
        action_id=row["action_id"],
        due_on=row["due_on"],
        outcome=ImpactOutcome(row["outcome"]) if row["outcome"] else None,
        reason=row["reason"],
        decided_by=row["decided_by"],
        decided_on=row["decided_on"],
        decision_id=row["decision_id"],
    )


class ImpactChecks(_Repo):
    def months(self, partnership_id: int) -> int:
        """Months from assurance to the check (0: the partnership does none)."""
        row = self._one(select(P.c.impact_check_months).where(P.c.id == partnership_id))
        return int(row["impact_check_months"]) if row else 0

    def set_months(self, partnership_id: int, months: int) -> None:
        self._conn.execute(update(P).where(P.c.id == partnership_id).values(impact_check_months=months))

    def add(self, action_id: int, due_on: date) -> int:
        return self._insert(IMPACT, {"action_id": action_id, "due_on": due_on})

    def for_action(self, action_id: int) -> ImpactCheck | None:
        row = self._one(select(IMPACT).where(IMPACT.c.action_id == action_id))
        return _check(row) if row else None

    def for_actions(self, action_ids: Collection[int]) -> dict[int, ImpactCheck]:
        if not action_ids:
            return {}
        rows = self._all(select(IMPACT).where(IMPACT.c.action_id.in_(list(action_ids))))
        return {r["action_id"]: _check(r) for r in rows}

    def answer(self, check: ImpactCheck) -> bool:
        """Record ``check``'s answer; ``False`` when someone answered it first (nothing is written)."""
        assert check.outcome is not None
        stmt = (
            update(IMPACT)
            .where(IMPACT.c.action_id == check.action_id, IMPACT.c.outcome == "")
            .values(
                outcome=str(check.outcome),
                reason=check.reason,
                decided_by=check.decided_by,
                decided_on=check.decided_on,
                decision_id=check.decision_id,
            )
        )
        return bool(self._conn.execute(stmt).rowcount)

    def due(
        self, partnership_id: int, by: date | None = None, *, agency_ids: Collection[int] | None = None
    ) -> list[ImpactDue]:
        """The partnership's unanswered checks of assured actions, soonest first; ``by``: due on or before it;
        ``agency_ids``: of those agencies only."""
        stmt = (
            select(
                ACTION.c.id.label("action_id"),
                REVIEW.c.ref.label("review_ref"),
                ACTION.c.ref.label("action_ref"),
                ACTION.c.agency_id,
                AGENCY.c.name.label("agency"),
                ACTION.c.action,
                ACTION.c.success_measure,
                IMPACT.c.due_on,
            )
            .join(ACTION, ACTION.c.id == IMPACT.c.action_id)
            .join(REVIEW, REVIEW.c.id == ACTION.c.review_id)
            .join(AGENCY, AGENCY.c.id == ACTION.c.agency_id)
            .where(
                REVIEW.c.partnership_id == partnership_id,
                IMPACT.c.outcome == "",
                ACTION.c.state == str(State.PARTNERSHIP_ASSURED),
            )
            .order_by(IMPACT.c.due_on, REVIEW.c.ref, ACTION.c.position, ACTION.c.id)
        )
        if by is not None:
            stmt = stmt.where(IMPACT.c.due_on <= by)
        if agency_ids is not None:
            stmt = stmt.where(ACTION.c.agency_id.in_(list(agency_ids)))
        return [ImpactDue(**r) for r in self._all(stmt)]

    def tally(self, partnership_id: int, today: date) -> list[ImpactTally]:
        """Assured actions per review and agency, by their impact check on ``today``: one ``GROUP BY``."""
        unanswered = and_(IMPACT.c.id.is_not(None), IMPACT.c.outcome == "")

        def count(condition: Any) -> Any:
            return func.sum(case((condition, 1), else_=0))

        stmt = (
            select(
                ACTION.c.review_id,
                ACTION.c.agency_id,
                func.count().label("assured"),
                count(IMPACT.c.outcome == str(ImpactOutcome.CONFIRMED)).label("confirmed"),
                count(IMPACT.c.outcome == str(ImpactOutcome.NOT_SHOWN)).label("not_shown"),
                count(and_(unanswered, IMPACT.c.due_on >= today)).label("waiting"),
                count(and_(unanswered, IMPACT.c.due_on < today)).label("overdue"),
                count(IMPACT.c.id.is_(None)).label("unchecked"),
            )
            .join(REVIEW, REVIEW.c.id == ACTION.c.review_id)
            .outerjoin(IMPACT, IMPACT.c.action_id == ACTION.c.id)
            .where(REVIEW.c.partnership_id == partnership_id, ACTION.c.state == str(State.PARTNERSHIP_ASSURED))
            .group_by(ACTION.c.review_id, ACTION.c.agency_id)
        )
        return [ImpactTally(**{k: int(v) for k, v in r.items()}) for r in self._all(stmt)]

    def decided_by_name(self, person_id: int | None) -> str:
        if person_id is None:
            return ""
        row = self._one(select(PERSON.c.name).where(PERSON.c.id == person_id))
        return str(row["name"]) if row else ""
