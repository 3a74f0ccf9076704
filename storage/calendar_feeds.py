"""Calendar feeds: a person's secret address for their deadlines, kept as the SHA-256 of its token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from storage.repositories import _Repo
from storage.tables import metadata

FEED = metadata.tables["calendar_feed"]


@dataclass(frozen=True)
class CalendarFeed:
    id: int
    token_hash: str
    person_id: int
    created_at: datetime
    revoked_at: datetime | None


class CalendarFeeds(_Repo):
    def add(self, token_hash: str, person_id: int, at: datetime) -> int:
        return self._insert(FEED, {"token_hash": token_hash, "person_id": person_id, "created_at": at})

    def revoke_all(self, person_id: int, at: datetime) -> int:
        """Revoke every live feed of the person; how many there were."""
        stmt = update(FEED).where(FEED.c.person_id == person_id, FEED.c.revoked_at.is_(None)).values(revoked_at=at)
        return int(self._conn.execute(stmt).rowcount)

    def live(self, token_hash: str) -> int | None:
        """The person whose live feed this token opens."""
        stmt = select(FEED.c.person_id).where(FEED.c.token_hash == token_hash, FEED.c.revoked_at.is_(None))
        return self._conn.execute(stmt).scalar_one_or_none()

    def for_person(self, person_id: int) -> list[CalendarFeed]:
        return [
            CalendarFeed(**r) for r in self._all(select(FEED).where(FEED.c.person_id == person_id).order_by(FEED.c.id))
        ]
