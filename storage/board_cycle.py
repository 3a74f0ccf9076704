"""The board's meeting dates and the ledger of progress requests sent before each (one per meeting, person
and kind: a repeat is refused by the unique key)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select, update

from storage.repositories import _Repo
from storage.tables import metadata

MEETING = metadata.tables["board_meeting"]
REQUEST = metadata.tables["progress_request"]
_DECISION = metadata.tables["decision"]
_OUTBOX = metadata.tables["outbox"]


@dataclass(frozen=True)
class Meeting:
    id: int
    partnership_id: int
    meets_on: date


@dataclass(frozen=True)
class Asked:
    person_id: int
    kind: str
    sent_on: date
    seq: int
    """The asking decision's place in the log: an answer is a later decision."""


class BoardMeetings(_Repo):
    def add(self, partnership_id: int, meets_on: date, at: datetime) -> int:
        """Set a meeting date; a date removed before is set again (its ledger kept)."""
        found = self._conn.execute(
            select(MEETING.c.id).where(MEETING.c.partnership_id == partnership_id, MEETING.c.meets_on == meets_on)
        ).scalar_one_or_none()
        if found is not None:
            self._conn.execute(update(MEETING).where(MEETING.c.id == found).values(removed_at=None, added_at=at))
            return int(found)
        return self._insert(MEETING, {"partnership_id": partnership_id, "meets_on": meets_on, "added_at": at})

    def remove(self, partnership_id: int, meets_on: date, at: datetime) -> int | None:
        stmt = (
            update(MEETING)
            .where(
                MEETING.c.partnership_id == partnership_id,
                MEETING.c.meets_on == meets_on,
                MEETING.c.removed_at.is_(None),
            )
            .values(removed_at=at)
            .returning(MEETING.c.id)
        )
        return self._conn.execute(stmt).scalar_one_or_none()

    def listing(self, partnership_ids: Collection[int], from_day: date | None = None) -> list[Meeting]:
        """Meeting dates set (not removed), in date order; from ``from_day`` on where given."""
        query = select(MEETING.c.id, MEETING.c.partnership_id, MEETING.c.meets_on).where(
            MEETING.c.partnership_id.in_(list(partnership_ids)), MEETING.c.removed_at.is_(None)
        )
        if from_day is not None:
            query = query.where(MEETING.c.meets_on >= from_day)
        return [Meeting(*row) for row in self._conn.execute(query.order_by(MEETING.c.meets_on))]

    def asked(self, meeting_id: int) -> list[Asked]:
        query = (
            select(REQUEST.c.person_id, REQUEST.c.kind, REQUEST.c.sent_on, _DECISION.c.seq)
            .join(_DECISION, _DECISION.c.id == REQUEST.c.decision_id)
            .where(REQUEST.c.meeting_id == meeting_id)
            .order_by(REQUEST.c.id)
        )
        return [Asked(*row) for row in self._conn.execute(query)]

    def record_ask(self, meeting_id: int, person_id: int, kind: str, sent_on: date, decision_id: int) -> None:
        values = {"meeting_id": meeting_id, "person_id": person_id, "kind": kind, "sent_on": sent_on}
        self._insert(REQUEST, values | {"decision_id": decision_id})

    def answered(self, partnership_id: int, since: dict[int, int], events: Collection[str]) -> set[int]:
        """Of the people in ``since`` (person id -> seq of the request to them), those who took one of
        ``events`` after it, themselves or through a deputy."""
        if not since:
            return set()
        first = min(since.values())
        query = select(_DECISION.c.actor_id, _DECISION.c.on_behalf_of_id, _DECISION.c.seq).where(
            _DECISION.c.partnership_id == partnership_id,
            _DECISION.c.seq > first,
            _DECISION.c.event.in_(list(events)),
            or_(
                _DECISION.c.actor_id.in_(list(since)),
                and_(_DECISION.c.on_behalf_of_id.is_not(None), _DECISION.c.on_behalf_of_id.in_(list(since))),
            ),
        )
        done: set[int] = set()
        for actor_id, behalf_id, seq in self._conn.execute(query):
            who = behalf_id if behalf_id is not None else actor_id
            if who in since and seq > since[who]:
                done.add(who)
        return done

    def outbox_key_taken(self, key: str) -> bool:
        """Whether an outbox row has this idempotency key (a notice already issued)."""
        return self._conn.execute(select(_OUTBOX.c.id).where(_OUTBOX.c.idempotency_key == key)).first() is not None
