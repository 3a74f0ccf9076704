"""An in-memory outbox: rows for a role as decisions queue them, the deliveries the dispatcher resolves them
into, claims with their attempts counted, marks fenced by those counts (``workflows.ports.notices``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from domain.events import DomainEvent, Recipient
from domain.roles import Role
from storage.outbox import (
    DEAD,
    PENDING,
    Addressee,
    DeadLetterRow,
    Delivery,
    MailTroubleRow,
    Mark,
    NewDelivery,
    OutboxEntry,
    RoleRow,
    Settled,
)
from storage.repositories import outbox_key_suffix

if TYPE_CHECKING:
    from tests.unit.fakes import FakeTx


@dataclass
class OutboxRow:
    """A row of the outbox table: for a role (``parent_id`` None) or a delivery to one person."""

    id: int
    entry: OutboxEntry
    status: str = PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None
    parent_id: int | None = None
    recipient_email: str = ""
    message_id: str = ""
    digest_on: date | None = None
    last_reply: str = ""
    sent_at: datetime | None = None

    @property
    def due(self) -> datetime:
        return self.next_attempt_at or self.entry.at

    def told(self) -> tuple[str, str]:
        """(kind, who: ``Recipient.key``)."""
        e = self.entry
        return e.kind, Recipient(Role(e.recipient_role), e.recipient_agency_id, e.recipient_person_id).key()


class FakeOutbox:
    def __init__(self, db: FakeTx) -> None:
        self.db = db
        self.rows: dict[int, OutboxRow] = {}

    def told(self) -> list[tuple[str, str]]:
        """(kind, who) of each row queued for a role, in order."""
        return [r.told() for r in self.rows.values() if r.parent_id is None]

    def deliveries(self) -> list[OutboxRow]:
        return [r for r in self.rows.values() if r.parent_id is not None]

    def _add(self, row: OutboxRow) -> None:
        assert all(r.entry.idempotency_key != row.entry.idempotency_key for r in self.rows.values()), "a unique key"
        self.rows[row.id] = row

    def add_for_events(
        self, partnership_id: int, review_id: int | None, decision_id: int, events: Sequence[DomainEvent], at: datetime
    ) -> int:
        entries = [
            OutboxEntry(
                f"decision:{decision_id}{outbox_key_suffix(event.kind, r)}",
                partnership_id,
                decision_id,
                event.kind,
                str(r.role),
                at,
                review_id,
                event.action_id,
                r.agency_id,
                r.person_id,
            )
            for event in events
            for r in event.recipients
        ]
        self.queue(entries)
        return len(entries)

    def queue(self, entries: Sequence[OutboxEntry]) -> None:
        for entry in entries:
            self._add(OutboxRow(len(self.rows) + 1, entry))

    def pending_by_kind(self, now: datetime) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.rows.values():
            if r.status == PENDING and r.due <= now:
                counts[r.entry.kind] = counts.get(r.entry.kind, 0) + 1
        return dict(sorted(counts.items()))

    def _due(self, now: datetime, role_rows: bool) -> list[OutboxRow]:
        due = [r for r in self.rows.values() if r.status == PENDING and r.due <= now]
        return sorted((r for r in due if (r.parent_id is None) == role_rows), key=lambda r: (r.due, r.id))

    def claim_unresolved(self, now: datetime, limit: int) -> list[RoleRow]:
        claimed = []
        for r in sorted(self._due(now, role_rows=True)[:limit], key=lambda r: r.id):
            action = self.db.actions.rows.get(r.entry.action_id or 0)
            agency, lead = (action.agency_id, action.lead_officer_id) if action else (None, None)
            claimed.append(RoleRow(**asdict(r.entry), id=r.id, action_agency_id=agency, action_lead_id=lead))
        return claimed

    def people(self, partnership_ids: Sequence[int]) -> list[Addressee]:
        people = self.db.people
        return [
            Addressee(
                p.id, p.partnership_id, p.name, p.email, str(p.role), p.agency_id, people.notify.get(p.id, "immediate")
            )
            for pid in partnership_ids
            for p in people.in_partnership(pid)
        ]

    def directors(self, partnership_ids: Sequence[int]) -> dict[int, tuple[str, int | None]]:
        return {a.id: (a.name, a.director_id) for pid in partnership_ids for a in self.db.agencies.in_partnership(pid)}

    def add_deliveries(self, rows: Sequence[NewDelivery]) -> None:
        for d in rows:
            entry = OutboxEntry(
                d.idempotency_key,
                d.partnership_id,
                d.decision_id,
                d.kind,
                d.recipient_role,
                d.created_at,
                d.review_id,
                d.action_id,
                d.recipient_agency_id,
                d.recipient_person_id,
            )
            self._add(
                OutboxRow(
                    len(self.rows) + 1,
                    entry,
                    status=d.status,
                    attempts=d.attempts,
                    next_attempt_at=d.next_attempt_at,
                    parent_id=d.parent_id,
                    recipient_email=d.recipient_email,
                    message_id=d.message_id,
                    digest_on=d.digest_on,
                    last_reply=d.last_reply,
                )
            )

    def settle_role_rows(self, settled: Sequence[Settled]) -> None:
        for s in settled:
            self.rows[s.row_id].status, self.rows[s.row_id].last_reply = s.status, s.reply

    def claim_deliveries(self, now: datetime, limit: int, lease_until: datetime) -> list[Delivery]:
        due = self._due(now, role_rows=False)
        claimed = due[:limit]
        digests = {(r.entry.recipient_person_id, r.digest_on) for r in claimed if r.digest_on is not None}
        claimed += [r for r in due[limit:] if (r.entry.recipient_person_id, r.digest_on) in digests]
        for r in claimed:
            r.attempts += 1
            r.next_attempt_at = lease_until
        return [self._delivery(r) for r in sorted(claimed, key=lambda r: r.id)]

    def _delivery(self, r: OutboxRow) -> Delivery:
        e, db = r.entry, self.db
        action = db.actions.rows.get(e.action_id or 0)
        review = db.reviews.rows.get(e.review_id or 0)
        lead = db.people.by_id(action.lead_officer_id) if action and action.lead_officer_id else None
        recipient = db.people.by_id(e.recipient_person_id) if e.recipient_person_id else None
        decision = db.decisions.by_id(e.decision_id) if e.decision_id else None
        return Delivery(
            id=r.id,
            idempotency_key=e.idempotency_key,
            kind=e.kind,
            review_id=e.review_id,
            action_id=e.action_id,
            recipient_role=e.recipient_role,
            recipient_person_id=e.recipient_person_id,
            recipient_email=r.recipient_email,
            message_id=r.message_id,
            attempts=r.attempts,
            next_attempt_at=r.due,
            created_at=e.at,
            digest_on=r.digest_on,
            recipient_name=recipient.name if recipient else None,
            review_ref=review.ref if review else None,
            action_ref=action.ref if action else None,
            target_date=action.target_date if action else None,
            lead_name=lead.name if lead else None,
            event=decision.event if decision else None,
            reason=decision.reason if decision else None,
            payload=dict(decision.payload) if decision else {},
            decided_at=decision.at if decision else None,
            review_kind=kind.abbreviation if review and (kind := db.review_kinds.by_key(review.kind)) else None,
        )

    def mark(self, marks: Sequence[Mark]) -> int:
        taken = 0
        for m in marks:
            r = self.rows[m.row_id]
            if r.attempts != m.claimed_attempts or r.status != PENDING:
                continue  # another dispatcher took it since
            r.status, r.next_attempt_at, r.sent_at = m.status, m.next_attempt_at, m.sent_at
            r.message_id, r.last_reply = m.message_id, m.reply
            taken += 1
        return taken

    def trouble(self, partnership_id: int) -> MailTroubleRow:
        mine = [r for r in self.rows.values() if r.entry.partnership_id == partnership_id]
        dead = [r for r in mine if r.status == DEAD]
        retrying = [r for r in mine if r.status == PENDING and r.attempts > 0 and r.last_reply]
        since = min((r.entry.at for r in retrying), default=None)
        latest = max(dead + retrying, key=lambda r: r.id, default=None)
        return MailTroubleRow(len(dead), len(retrying), since, latest.last_reply if latest else "")

    def dead(self, partnership_id: int | None = None, limit: int = 500) -> list[DeadLetterRow]:
        found = [r for r in self.rows.values() if r.status == DEAD and partnership_id in (None, r.entry.partnership_id)]
        letters = []
        for r in sorted(found, key=lambda r: -r.id)[:limit]:
            d = self._delivery(r)
            letters.append(
                DeadLetterRow(
                    r.id,
                    d.kind,
                    r.parent_id,
                    d.recipient_role,
                    r.entry.recipient_agency_id,
                    r.recipient_email,
                    d.recipient_name,
                    d.review_ref,
                    d.action_ref,
                    r.attempts,
                    r.last_reply,
                    d.next_attempt_at,
                    agency.name if (agency := self.db.agencies.rows.get(r.entry.recipient_agency_id or 0)) else None,
                )
            )
        return letters

    def requeue(self, now: datetime, row_id: int | None, partnership_id: int | None = None) -> list[int]:
        ids = []
        for r in sorted(self.rows.values(), key=lambda r: r.id):
            if r.status != DEAD or row_id not in (None, r.id) or partnership_id not in (None, r.entry.partnership_id):
                continue
            r.status, r.attempts, r.next_attempt_at = PENDING, 0, now
            person = self.db.people.by_id(r.entry.recipient_person_id or 0)
            if r.parent_id is not None and person is not None:
                r.recipient_email = person.email
            ids.append(r.id)
        return ids

    def status_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.rows.values():
            counts[r.status] = counts.get(r.status, 0) + 1
        return counts
