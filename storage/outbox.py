"""The outbox as the dispatcher sees it: rows for a role resolved into deliveries, claimed, marked.

Two kinds of row share the ``outbox`` table. A decision writes a row per event
and *role* (``parent_id`` empty: "the agency's director"). When the dispatcher
first takes it, it is resolved to the people who hold the role then, one
*delivery* row each (``parent_id`` set, ``recipient_email`` the address used),
and the role row becomes ``resolved``. Deliveries are what is sent, retried and
dead-lettered. Statuses: ``pending`` (waiting or due), ``resolved`` (role rows
only), ``sent``, ``dead``.

Claims lock rows ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (SQLite's write lock,
taken at BEGIN, lets one dispatcher in at a time) and then push the rows'
``next_attempt_at`` to the end of a lease and count the attempt, all in the claim's
short transaction: the sending happens after it commits, holding no lock. A
dispatcher that dies mid-round leaves its rows to be taken again when the lease
ends. Only outbox rows are locked here, never a partnership's log or an action,
so the dispatcher cannot deadlock with a decision.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, bindparam, case, func, insert, or_, select, tuple_, update

from domain.events import DomainEvent
from storage.driver import sqlite_driver
from storage.repositories import ACTION, AGENCY, DECISION, OUTBOX, PERSON, REVIEW, _Repo, insert_many, outbox_rows
from storage.tables import metadata

_LEAD = PERSON.alias("lead_")
_RECIPIENT = PERSON.alias("recipient_")
_KIND = metadata.tables["review_kind"]

PENDING, RESOLVED, SENT, DEAD = "pending", "resolved", "sent", "dead"

_MARK = (
    update(OUTBOX)
    .where(
        OUTBOX.c.id == bindparam("row_id"),
        OUTBOX.c.attempts == bindparam("claimed_attempts"),
        OUTBOX.c.status == PENDING,
    )
    .values(
        status=bindparam("new_status"),
        next_attempt_at=bindparam("new_next"),
        sent_at=bindparam("new_sent_at"),
        message_id=bindparam("new_message_id"),
        last_reply=bindparam("new_reply"),
    )
)
"""The attempt count claimed is a fence: a row another dispatcher took since (lease ended) is not overwritten."""


@dataclass(frozen=True)
class OutboxEntry:
    """A notification a use case queues for a role (or a person), keyed so that it is queued once."""

    idempotency_key: str
    partnership_id: int
    decision_id: int | None
    kind: str
    recipient_role: str
    at: datetime
    """When it was queued, and so first due."""
    review_id: int | None = None
    action_id: int | None = None
    recipient_agency_id: int | None = None
    recipient_person_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class RoleRow(OutboxEntry):
    """A due row for a role as it was queued, with what resolving it needs: the action's agency and lead
    officer today (``None`` for a row about no action)."""

    id: int
    action_agency_id: int | None
    action_lead_id: int | None


@dataclass(frozen=True)
class Addressee:
    """A person a role row may resolve to, with how they want to be told (``immediate`` or ``daily``)."""

    id: int
    partnership_id: int
    name: str
    email: str
    role: str
    agency_id: int | None
    notify: str = "immediate"


@dataclass(frozen=True)
class NewDelivery:
    """A role row resolved to one person: the row that is sent, retried and dead-lettered."""

    idempotency_key: str
    parent_id: int
    partnership_id: int
    decision_id: int | None
    kind: str
    review_id: int | None
    action_id: int | None
    recipient_role: str
    recipient_agency_id: int | None
    recipient_person_id: int
    recipient_email: str
    message_id: str
    next_attempt_at: datetime
    created_at: datetime
    digest_on: date | None
    status: str = PENDING
    last_reply: str = ""
    attempts: int = 0


@dataclass(frozen=True)
class Settled:
    """What became of a role row: ``resolved`` (deliveries made) or ``dead`` (nobody to tell), and why."""

    row_id: int
    status: str
    reply: str


@dataclass(frozen=True)
class Delivery:
    """A claimed delivery (its attempt counted) with what its message needs; never the evidence note."""

    id: int
    idempotency_key: str
    kind: str
    review_id: int | None
    action_id: int | None
    recipient_role: str
    recipient_person_id: int | None
    recipient_email: str
    message_id: str
    attempts: int
    """Counting the attempt this claim makes."""
    next_attempt_at: datetime
    created_at: datetime
    digest_on: date | None
    recipient_name: str | None
    review_ref: str | None
    action_ref: str | None
    target_date: date | None
    lead_name: str | None
    event: str | None
    """The decision's event, its reason, payload and time (``None`` for a row no decision made)."""
    reason: str | None
    payload: dict[str, Any]
    decided_at: datetime | None
    review_kind: str | None = None
    """The abbreviation of its review's kind ("DARDR", "SAR"), which names the review in the message."""


@dataclass(frozen=True)
class Mark:
    """What the server said of a delivery's attempt: its new status, next attempt, Message-ID and reply.

    ``claimed_attempts`` is the fence: a row another dispatcher took since is not overwritten."""

    row_id: int
    claimed_attempts: int
    status: str
    next_attempt_at: datetime
    message_id: str
    reply: str
    sent_at: datetime | None = None


@dataclass(frozen=True)
class DeadLetterRow:
    """A row that will not go without someone acting: a delivery, or a role row nobody held."""

    id: int
    kind: str
    parent_id: int | None
    recipient_role: str
    recipient_agency_id: int | None
    recipient_email: str
    recipient_name: str | None
    review_ref: str | None
    action_ref: str | None
    attempts: int
    last_reply: str
    next_attempt_at: datetime
    recipient_agency_name: str | None = None
    """The name of the agency a role row was for (its director, its lead officers)."""


@dataclass(frozen=True)
class MailTroubleRow:
    """Mail of a partnership that is not going: dead letters, and messages waiting to retry after a failed try
    (``failing_since``: when the oldest of those was queued); ``last_reply``: the newest reason."""

    dead: int
    retrying: int
    failing_since: datetime | None
    last_reply: str


def _columns(row: type[Any]) -> tuple[str, ...]:
    """The fields of ``row`` that are outbox columns (the rest come from joins)."""
    return tuple(f.name for f in fields(row) if f.name in OUTBOX.c)


_ROLE_ROW = _columns(RoleRow)
_DELIVERY = _columns(Delivery)
_DEAD_LETTER = _columns(DeadLetterRow)
_ADDRESSEE = tuple(f.name for f in fields(Addressee))


class Outbox(_Repo):
    """The outbox table: rows queued with the decisions that raise them, claimed and marked by the dispatcher,
    dead letters listed and requeued. The one class for it, ``Tx.outbox``."""

    def add_for_events(
        self, partnership_id: int, review_id: int | None, decision_id: int, events: Sequence[DomainEvent], at: datetime
    ) -> int:
        """One pending row per event and recipient; returns how many were added."""
        rows = outbox_rows(partnership_id, review_id, decision_id, events, at)
        if rows and sqlite_driver(self._conn) is not None:
            insert_many(self._conn, OUTBOX, rows)  # straight to the driver (storage.driver)
        elif rows:
            self._conn.execute(insert(OUTBOX), rows[0] if len(rows) == 1 else rows)
        return len(rows)

    def add_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        """Rows made with ``outbox_rows`` for many decisions, in one statement."""
        insert_many(self._conn, OUTBOX, rows)

    def queue(self, entries: Sequence[OutboxEntry]) -> None:
        """Pending rows for ``entries``, in one statement."""
        self.add_rows(
            [
                {
                    "idempotency_key": e.idempotency_key,
                    "partnership_id": e.partnership_id,
                    "decision_id": e.decision_id,
                    "kind": e.kind,
                    "review_id": e.review_id,
                    "action_id": e.action_id,
                    "recipient_role": e.recipient_role,
                    "recipient_agency_id": e.recipient_agency_id,
                    "recipient_person_id": e.recipient_person_id,
                    "next_attempt_at": e.at,
                    "created_at": e.at,
                }
                for e in entries
            ]
        )

    def pending_by_kind(self, now: datetime) -> dict[str, int]:
        """Rows pending whose next attempt is due by ``now``, counted by kind (the ``(status, next_attempt_at)``
        index): what the next dispatch will take."""
        query = (
            select(OUTBOX.c.kind, func.count())
            .where(OUTBOX.c.status == PENDING, OUTBOX.c.next_attempt_at <= now)
            .group_by(OUTBOX.c.kind)
            .order_by(OUTBOX.c.kind)
        )
        return {str(kind): int(n) for kind, n in self._conn.execute(query)}

    # --- role rows -> deliveries -------------------------------------------------------------------------

    def claim_unresolved(self, now: datetime, limit: int) -> list[RoleRow]:
        """Due role rows with what resolving them needs: the action's agency and current lead officer."""
        ids = self._claim_ids(OUTBOX.c.parent_id.is_(None), now, limit)
        if not ids:
            return []
        stmt = (
            select(
                *(OUTBOX.c[name] for name in _ROLE_ROW),
                OUTBOX.c.created_at.label("at"),
                ACTION.c.agency_id.label("action_agency_id"),
                ACTION.c.lead_officer_id.label("action_lead_id"),
            )
            .outerjoin(ACTION, ACTION.c.id == OUTBOX.c.action_id)
            .where(OUTBOX.c.id.in_(ids))
            .order_by(OUTBOX.c.id)
        )
        return [RoleRow(**r) for r in self._all(stmt)]

    def people(self, partnership_ids: Sequence[int]) -> list[Addressee]:
        stmt = (
            select(*(PERSON.c[name] for name in _ADDRESSEE))
            .where(PERSON.c.partnership_id.in_(list(partnership_ids)))
            .order_by(PERSON.c.id)
        )
        return [Addressee(**r) for r in self._all(stmt)]

    def directors(self, partnership_ids: Sequence[int]) -> dict[int, tuple[str, int | None]]:
        """Agency id -> (agency name, its director's person id) today."""
        stmt = select(AGENCY.c.id, AGENCY.c.name, AGENCY.c.director_id).where(
            AGENCY.c.partnership_id.in_(list(partnership_ids))
        )
        return {row.id: (row.name, row.director_id) for row in self._conn.execute(stmt)}

    def add_deliveries(self, rows: Sequence[NewDelivery]) -> None:
        if rows:
            self._conn.execute(OUTBOX.insert(), [asdict(r) for r in rows])

    def settle_role_rows(self, settled: Sequence[Settled]) -> None:
        """Role rows done with: ``resolved`` (deliveries made) or ``dead`` (nobody to tell), with a reply."""
        if settled:
            stmt = (
                update(OUTBOX)
                .where(OUTBOX.c.id == bindparam("row_id"))
                .values(status=bindparam("new_status"), last_reply=bindparam("new_reply"))
            )
            params = [{"row_id": s.row_id, "new_status": s.status, "new_reply": s.reply} for s in settled]
            self._conn.execute(stmt, params)

    # --- deliveries ---------------------------------------------------------------------------------------

    def claim_deliveries(self, now: datetime, limit: int, lease_until: datetime) -> list[Delivery]:
        """Due deliveries (with every due row of the same digests), their attempt counted and leased.

        Each comes with what its message needs: the decision's event, reason, payload
        and day, the review and action refs, the action's target date and its lead
        officer's name, the recipient's name. Never the evidence note.
        """
        ids = self._claim_ids(OUTBOX.c.parent_id.is_not(None), now, limit)
        if not ids:
            return []
        groups = self._conn.execute(
            select(OUTBOX.c.recipient_person_id, OUTBOX.c.digest_on)
            .where(OUTBOX.c.id.in_(ids), OUTBOX.c.digest_on.is_not(None))
            .distinct()
        ).all()
        if groups:
            # A digest goes out whole: the rest of its rows join the claim even past the limit.
            more = (
                select(OUTBOX.c.id)
                .where(
                    OUTBOX.c.status == PENDING,
                    OUTBOX.c.next_attempt_at <= now,
                    tuple_(OUTBOX.c.recipient_person_id, OUTBOX.c.digest_on).in_([tuple(g) for g in groups]),
                    OUTBOX.c.id.not_in(ids),
                )
                .order_by(OUTBOX.c.id)
            )
            if self._conn.dialect.name == "postgresql":
                more = more.with_for_update(skip_locked=True)
            ids += [row[0] for row in self._conn.execute(more)]
        self._conn.execute(
            update(OUTBOX)
            .where(OUTBOX.c.id.in_(ids))
            .values(attempts=OUTBOX.c.attempts + 1, next_attempt_at=lease_until)
        )
        stmt = (
            select(
                *(OUTBOX.c[name] for name in _DELIVERY),
                DECISION.c.event.label("event"),
                DECISION.c.reason.label("reason"),
                DECISION.c.payload.label("payload"),
                DECISION.c.at.label("decided_at"),
                REVIEW.c.ref.label("review_ref"),
                _KIND.c.abbreviation.label("review_kind"),
                ACTION.c.ref.label("action_ref"),
                ACTION.c.target_date.label("target_date"),
                _LEAD.c.name.label("lead_name"),
                _RECIPIENT.c.name.label("recipient_name"),
            )
            .outerjoin(DECISION, DECISION.c.id == OUTBOX.c.decision_id)
            .outerjoin(REVIEW, REVIEW.c.id == OUTBOX.c.review_id)
            .outerjoin(_KIND, _KIND.c.key == REVIEW.c.kind)
            .outerjoin(ACTION, ACTION.c.id == OUTBOX.c.action_id)
            .outerjoin(_LEAD, _LEAD.c.id == ACTION.c.lead_officer_id)
            .outerjoin(_RECIPIENT, _RECIPIENT.c.id == OUTBOX.c.recipient_person_id)
            .where(OUTBOX.c.id.in_(ids))
            .order_by(OUTBOX.c.id)
        )
        rows = self._all(stmt)
        return [Delivery(**(row | {"payload": json.loads(row["payload"]) if row["payload"] else {}})) for row in rows]

    def mark(self, marks: Sequence[Mark]) -> int:
        """Record outcomes; returns how many rows took them."""
        if not marks:
            return 0
        params = [
            {
                "row_id": m.row_id,
                "claimed_attempts": m.claimed_attempts,
                "new_status": m.status,
                "new_next": m.next_attempt_at,
                "new_sent_at": m.sent_at,
                "new_message_id": m.message_id,
                "new_reply": m.reply,
            }
            for m in marks
        ]
        result = self._conn.execute(_MARK, params)
        return int(result.rowcount)

    # --- failures -----------------------------------------------------------------------------------------

    def dead(self, partnership_id: int | None = None, limit: int = 500) -> list[DeadLetterRow]:
        """Dead letters, newest first, with their refs and recipient."""
        stmt = (
            select(
                *(OUTBOX.c[name] for name in _DEAD_LETTER),
                REVIEW.c.ref.label("review_ref"),
                ACTION.c.ref.label("action_ref"),
                _RECIPIENT.c.name.label("recipient_name"),
                AGENCY.c.name.label("recipient_agency_name"),
            )
            .outerjoin(REVIEW, REVIEW.c.id == OUTBOX.c.review_id)
            .outerjoin(AGENCY, AGENCY.c.id == OUTBOX.c.recipient_agency_id)
            .outerjoin(ACTION, ACTION.c.id == OUTBOX.c.action_id)
            .outerjoin(_RECIPIENT, _RECIPIENT.c.id == OUTBOX.c.recipient_person_id)
            .where(OUTBOX.c.status == DEAD)
            .order_by(OUTBOX.c.id.desc())
            .limit(limit)
        )
        if partnership_id is not None:
            stmt = stmt.where(OUTBOX.c.partnership_id == partnership_id)
        return [DeadLetterRow(**r) for r in self._all(stmt)]

    def trouble(self, partnership_id: int) -> MailTroubleRow:
        """How much of the partnership's mail is not going, in three index reads (by status first)."""
        mine = OUTBOX.c.partnership_id == partnership_id
        dead = and_(OUTBOX.c.status == DEAD, mine)
        # Tried and failed: a row claimed for its first try counts an attempt too, but has no reply yet.
        retrying = and_(OUTBOX.c.status == PENDING, OUTBOX.c.attempts > 0, OUTBOX.c.last_reply != "", mine)
        counted = self._one(select(func.count().label("n")).where(dead))
        oldest = func.min(OUTBOX.c.created_at).label("since")
        waiting = self._one(select(func.count().label("n"), oldest).where(retrying))
        n_dead, n_retrying = (counted or {}).get("n", 0), (waiting or {}).get("n", 0)
        reply = ""
        if n_dead or n_retrying:
            latest = select(OUTBOX.c.last_reply).where(or_(dead, retrying)).order_by(OUTBOX.c.id.desc()).limit(1)
            reply = ((self._one(latest) or {}).get("last_reply")) or ""
        return MailTroubleRow(n_dead, n_retrying, (waiting or {}).get("since"), reply)

    def requeue(self, now: datetime, row_id: int | None, partnership_id: int | None = None) -> list[int]:
        """Dead letters back to ``pending`` with their attempts reset; ``None``: all of them.

        A delivery takes its person's current address (the reason it failed may have
        been a wrong one); a role row is resolved afresh (someone may hold the role now).
        """
        where = OUTBOX.c.status == DEAD
        if row_id is not None:
            where = and_(where, OUTBOX.c.id == row_id)
        if partnership_id is not None:
            where = and_(where, OUTBOX.c.partnership_id == partnership_id)
        ids = [row[0] for row in self._conn.execute(select(OUTBOX.c.id).where(where).order_by(OUTBOX.c.id))]
        if not ids:
            return []
        current_email = select(PERSON.c.email).where(PERSON.c.id == OUTBOX.c.recipient_person_id).scalar_subquery()
        self._conn.execute(
            update(OUTBOX)
            .where(OUTBOX.c.id.in_(ids))
            .values(
                status=PENDING,
                attempts=0,
                next_attempt_at=now,
                # only deliveries carry an address; a role row keeps its empty one
                recipient_email=case(
                    (OUTBOX.c.parent_id.is_not(None), func.coalesce(current_email, OUTBOX.c.recipient_email)),
                    else_=OUTBOX.c.recipient_email,
                ),
            )
        )
        return ids

    def status_counts(self) -> dict[str, int]:
        stmt = select(OUTBOX.c.status, func.count()).group_by(OUTBOX.c.status)
        return {str(status): int(n) for status, n in self._conn.execute(stmt)}

    # --- shared -------------------------------------------------------------------------------------------

    def _claim_ids(self, which: Any, now: datetime, limit: int) -> list[int]:
        stmt = (
            select(OUTBOX.c.id)
            .where(OUTBOX.c.status == PENDING, OUTBOX.c.next_attempt_at <= now, which)
            .order_by(OUTBOX.c.next_attempt_at, OUTBOX.c.id)
            .limit(limit)
        )
        if self._conn.dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        return [row[0] for row in self._conn.execute(stmt)]
