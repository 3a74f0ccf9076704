"""Deputy periods: who stands in for whom, from when to when."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select, update

from domain.deputies import DeputyPeriod
from storage.repositories import _Repo
from storage.tables import metadata

DEPUTY = metadata.tables["deputy"]


def _period(row: Any) -> DeputyPeriod:
    return DeputyPeriod(
        row.id, row.principal_id, row.deputy_id, row.starts_on, row.ends_on, row.reason, row.ended_at is not None
    )


class Deputies(_Repo):
    def add(self, partnership_id: int, period: DeputyPeriod, named_by: int, at: datetime) -> int:
        """``period`` (its id aside: the new one is returned), named by ``named_by`` at ``at``."""
        values: dict[str, Any] = {"partnership_id": partnership_id, "principal_id": period.principal_id}
        values |= {"deputy_id": period.deputy_id, "starts_on": period.starts_on, "ends_on": period.ends_on}
        return self._insert(DEPUTY, values | {"reason": period.reason, "named_by": named_by, "named_at": at})

    def end(self, period_id: int, by: int, at: datetime) -> bool:
        """Mark ``period_id`` ended; False when another writer ended it first."""
        statement = (
            update(DEPUTY).where(DEPUTY.c.id == period_id, DEPUTY.c.ended_at.is_(None)).values(ended_by=by, ended_at=at)
        )
        return self._conn.execute(statement).rowcount == 1

    def one(self, partnership_id: int, period_id: int) -> DeputyPeriod | None:
        query = select(DEPUTY).where(DEPUTY.c.partnership_id == partnership_id, DEPUTY.c.id == period_id)
        row = self._conn.execute(query).first()
        return _period(row) if row else None

    def of_principal(self, principal_id: int) -> list[DeputyPeriod]:
        query = select(DEPUTY).where(DEPUTY.c.principal_id == principal_id).order_by(DEPUTY.c.starts_on)
        return [_period(row) for row in self._conn.execute(query)]

    def of_deputy(self, deputy_id: int) -> list[DeputyPeriod]:
        query = select(DEPUTY).where(DEPUTY.c.deputy_id == deputy_id).order_by(DEPUTY.c.starts_on)
        return [_period(row) for row in self._conn.execute(query)]

    def standing_in(self, deputy_id: int, day: date) -> list[DeputyPeriod]:
        """The periods in which ``deputy_id`` stands in for someone on ``day``."""
        query = select(DEPUTY).where(
            DEPUTY.c.deputy_id == deputy_id,
            DEPUTY.c.ended_at.is_(None),
            DEPUTY.c.starts_on <= day,
            DEPUTY.c.ends_on >= day,
        )
        return [_period(row) for row in self._conn.execute(query.order_by(DEPUTY.c.id))]

    def in_force(self, partnership_ids: list[int], day: date) -> dict[int, list[int]]:
        """Per person of these partnerships with a deputy on ``day``: who stands in for them."""
        query = select(DEPUTY.c.principal_id, DEPUTY.c.deputy_id).where(
            DEPUTY.c.partnership_id.in_(partnership_ids),
            DEPUTY.c.ended_at.is_(None),
            DEPUTY.c.starts_on <= day,
            DEPUTY.c.ends_on >= day,
        )
        found: dict[int, list[int]] = {}
        for principal_id, deputy_id in self._conn.execute(query):
            found.setdefault(principal_id, []).append(deputy_id)
        return found

    def listing(self, partnership_id: int, since: date, person_id: int | None = None) -> list[DeputyPeriod]:
        """Periods of the partnership not over before ``since`` (or ended), optionally only those naming a person."""
        query = select(DEPUTY).where(
            DEPUTY.c.partnership_id == partnership_id, DEPUTY.c.ends_on >= since, DEPUTY.c.ended_at.is_(None)
        )
        if person_id is not None:
            query = query.where(or_(DEPUTY.c.principal_id == person_id, DEPUTY.c.deputy_id == person_id))
        return [_period(row) for row in self._conn.execute(query.order_by(DEPUTY.c.starts_on, DEPUTY.c.id))]
