"""Sending the outbox: resolve role rows to people, claim what is due, send, mark what the server said.

The delivery guarantee is "effectively once". Every delivery has an idempotency
key and a Message-ID derived from it; it is marked ``sent`` only after the server
accepted it (its 250 reply is kept). A dispatcher that dies between the server's
acceptance and the mark leaves the row claimed until its lease ends; the next
round sends it again under the same Message-ID, which receiving systems and
people can recognise. A message is never lost: a row leaves ``pending`` only as
``sent`` (accepted) or ``dead`` (refused for good, out of attempts, or nobody to
send it to), and ``dhrflow notify failed`` shows every dead one with the reason.

Recipients are resolved when the row is first taken for sending, not when the
decision was made: a new director gets the escalations fired before they started.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from email.utils import format_datetime
from typing import Any, Protocol

from notifications.content import Notice
from notifications.errors import NotificationError
from notifications.message_id import message_id
from notifications.retry import next_attempt
from notifications.sender import Outcome, Outgoing, Verdict
from notifications.settings import NotifySettings
from notifications.templating import Templates
from storage.outbox import DEAD, PENDING, RESOLVED, SENT, Addressee, Delivery, Mark, NewDelivery, RoleRow, Settled
from workflows.ports import Tx, UowFactory
from workflows.runtime.clock import LONDON, Clock
from workflows.runtime.observability import get_logger

log = get_logger(__name__)

IMMEDIATE, DAILY = "immediate", "daily"


class Sender(Protocol):
    async def send_batch(self, messages: Sequence[Outgoing], date_header: str | None = None) -> dict[str, Outcome]:
        """Send each message; its outcome by key. Never raises for a delivery problem."""
        ...


@dataclass
class DispatchReport:
    """What one dispatch did (counts only: the outbox holds the rows)."""

    resolved: int = 0
    """Role rows resolved into deliveries."""
    sent: int = 0
    emails: int = 0
    """Emails accepted by the server (a digest carries several deliveries)."""
    retrying: int = 0
    dead: int = 0
    rounds: int = 0
    replies: dict[str, int] = field(default_factory=dict)
    """The failures' replies and how often each came (what to look at when something is wrong)."""


async def dispatch(
    settings: NotifySettings,
    *,
    uow_factory: UowFactory,
    clock: Clock,
    sender: Sender,
    templates: Templates | None = None,
    rng: random.Random | None = None,
    max_rounds: int = 1000,
) -> DispatchReport:
    """Send everything due now, in rounds of ``settings.notify_batch_size``.

    Each round is: resolve due role rows (one transaction), claim due deliveries
    (one transaction), send them (no transaction open), mark the outcomes (one
    transaction). Temporary failures come back after an exponential, jittered
    delay; a round ends the dispatch once it finds less than a full batch.
    """
    templates = templates or Templates(settings.base_url)
    report = DispatchReport()
    lease = timedelta(seconds=settings.notify_lease_s)
    batch = settings.notify_batch_size
    for _ in range(max_rounds):
        now = clock.now()
        async with uow_factory() as uow:
            resolved = await uow.run_and_commit(_resolve_due, now, settings)
        report.resolved += resolved.resolved
        report.dead += resolved.dead
        async with uow_factory() as uow:
            claimed = await uow.run_and_commit(_claim, now, batch, now + lease)
        if claimed:
            report.rounds += 1
            messages, carried, unsendable = _compose(claimed, settings, templates)
            outcomes = await sender.send_batch(messages, format_datetime(now)) | unsendable
            marks = _marks(carried, outcomes, clock.now(), settings, rng, report)
            async with uow_factory() as uow:
                await uow.run_and_commit(_mark, marks)
        if len(claimed) < batch and resolved.resolved + resolved.dead < batch:
            break
    log.info(
        "notifications_dispatched",
        resolved=report.resolved,
        sent=report.sent,
        emails=report.emails,
        retrying=report.retrying,
        dead=report.dead,
    )
    return report


def _claim(tx: Tx, now: datetime, limit: int, lease_until: datetime) -> list[Delivery]:
    return tx.outbox.claim_deliveries(now, limit, lease_until)


def _mark(tx: Tx, marks: list[Mark]) -> int:
    return tx.outbox.mark(marks)


# --- resolving role rows ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Resolved:
    resolved: int
    dead: int


def _resolve_due(tx: Tx, now: datetime, settings: NotifySettings) -> _Resolved:
    store = tx.outbox
    rows = store.claim_unresolved(now, settings.notify_batch_size)
    if not rows:
        return _Resolved(0, 0)
    partnerships = sorted({r.partnership_id for r in rows})
    people = store.people(partnerships)
    agencies = store.directors(partnerships)
    # Whoever stands in for someone today hears what they would: the deputy acts in their stead.
    stand_ins = tx.deputies.in_force(partnerships, now.astimezone(LONDON).date())
    by_id = {p.id: p for p in people}
    deliveries: list[NewDelivery] = []
    settled: list[Settled] = []
    dead = 0
    for row in rows:
        found, nobody = recipients_for(row, people, agencies)
        if not found:
            dead += 1
            settled.append(Settled(row.id, DEAD, nobody))
            log.warning("notification_has_no_recipient", outbox_id=row.id, kind=row.kind, reason=nobody)
            continue
        told = {p.id for p in found}
        for person in list(found):
            for deputy_id in stand_ins.get(person.id, ()):
                if deputy_id in by_id and deputy_id not in told:
                    told.add(deputy_id)
                    found.append(by_id[deputy_id])
        deliveries += [_delivery(row, person, now, settings) for person in found]
        names = ", ".join(f"person:{p.id}" for p in found)
        settled.append(Settled(row.id, RESOLVED, f"resolved to {names}"))
    store.add_deliveries(deliveries)
    store.settle_role_rows(settled)
    no_address = sum(1 for d in deliveries if d.status == DEAD)
    return _Resolved(len(rows) - dead, dead + no_address)


def recipients_for(
    row: RoleRow, people: Sequence[Addressee], agencies: dict[int, tuple[str, int | None]]
) -> tuple[list[Addressee], str]:
    """The people a role row goes to now, or nobody and why (the dead letter's reason).

    - lead officer: the action's lead officer today (a reassignment reaches the new one); the
      person the decision named when the action has none; else the agency's lead officers.
    - director of an agency: whoever directs it today. A director with no agency (a checker
      ladder's escalation) is the director of each commissioner's own agency.
    - commissioner: the partnership's commissioners, except those of the action's own agency
      (they may not verify it).
    - partnership assurer (and any other role): everyone in the partnership holding it.
    """
    role, agency_id = row.recipient_role, row.recipient_agency_id
    mine = [p for p in people if p.partnership_id == row.partnership_id]
    by_id = {p.id: p for p in mine}
    agency = agencies[agency_id][0] if agency_id in agencies else None
    if role == "lead_officer":
        for person_id in (row.action_lead_id, row.recipient_person_id):
            if person_id in by_id:
                return [by_id[person_id]], ""
        found = [p for p in mine if p.role == role and p.agency_id == agency_id]
        return found, f"no lead officer for the action in {agency or 'its agency'}: add one, then retry"
    if role == "director" and agency_id is not None:
        director = agencies.get(agency_id, ("", None))[1]
        return ([by_id[director]] if director in by_id else []), f"{agency or 'the agency'} has no director: add one"
    if role == "director":
        commissioning = {p.agency_id for p in mine if p.role == "commissioner" and p.agency_id in agencies}
        directors = sorted(
            {d for a in commissioning if a is not None and (d := agencies[a][1]) is not None and d in by_id}
        )
        return [by_id[d] for d in directors], "no commissioning body has a director: add one"
    if row.recipient_person_id in by_id:
        return [by_id[row.recipient_person_id]], ""
    found = [p for p in mine if p.role == role]
    if role == "commissioner":
        found = [p for p in found if p.agency_id is None or p.agency_id != row.action_agency_id]
    return found, f"nobody in the partnership is a {role.replace('_', ' ')}: add one, then retry"


def digest_slot(now: datetime, hour: int) -> tuple[date, datetime]:
    """The daily digest a row made ``now`` joins: today's if its hour (London) is still to come, else tomorrow's."""
    local = now.astimezone(LONDON)
    day = local.date() if local.hour < hour else local.date() + timedelta(days=1)
    return day, datetime.combine(day, time(hour), tzinfo=LONDON).astimezone(UTC)


def _delivery(row: RoleRow, person: Addressee, now: datetime, settings: NotifySettings) -> NewDelivery:
    daily = person.notify == DAILY
    digest_on, due = digest_slot(now, settings.notify_digest_hour) if daily else (None, now)
    email = (person.email or "").strip()
    key = f"{row.idempotency_key}>person:{person.id}"
    delivery = NewDelivery(
        idempotency_key=key,
        parent_id=row.id,
        partnership_id=row.partnership_id,
        decision_id=row.decision_id,
        kind=row.kind,
        review_id=row.review_id,
        action_id=row.action_id,
        recipient_role=row.recipient_role,
        recipient_agency_id=row.recipient_agency_id,
        recipient_person_id=person.id,
        recipient_email=email,
        message_id=message_id(key, settings.message_id_domain),
        next_attempt_at=due,
        created_at=now,
        digest_on=digest_on,
    )
    if not email:
        # Visible, not dropped: the delivery is dead at once and `dhrflow notify failed` names it.
        return replace(
            delivery, status=DEAD, last_reply=f"person:{person.id} has no email address: add one, then retry"
        )
    return delivery


# --- composing and marking -------------------------------------------------------------------------------


def _notice(row: Delivery) -> Notice:
    decided = row.decided_at or row.created_at
    return Notice(
        kind=row.kind,
        recipient_name=row.recipient_name or "colleague",
        recipient_role=row.recipient_role,
        review_ref=row.review_ref or "",
        review_id=row.review_id,
        action_ref=row.action_ref or "",
        action_id=row.action_id,
        decided_on=decided.astimezone(LONDON).date(),
        event=row.event or "",
        reason=row.reason or "",
        payload=row.payload,
        target_date=row.target_date,
        lead_name=row.lead_name or "",
        review_kind=row.review_kind or "",
    )


def _compose(
    claimed: Sequence[Delivery], settings: NotifySettings, templates: Templates
) -> tuple[list[Outgoing], dict[str, list[Delivery]], dict[str, Outcome]]:
    """The emails for the claimed rows: one per immediate row, one per person's digest.

    Returns the emails, the rows each email carries (by its key), and the outcome of
    rows that cannot become an email (no template: a permanent failure, kept visible).
    """
    messages: list[Outgoing] = []
    carried: dict[str, list[Delivery]] = {}
    broken: dict[str, Outcome] = {}
    digests: dict[tuple[int | None, date], list[Delivery]] = defaultdict(list)
    for row in claimed:
        if row.digest_on is not None:
            digests[(row.recipient_person_id, row.digest_on)].append(row)
            continue
        key = row.idempotency_key
        try:
            rendered = templates.render(_notice(row))
        except NotificationError as exc:
            carried[key] = [row]
            broken[key] = Outcome(Verdict.PERMANENT, str(exc))
            continue
        messages.append(Outgoing(key, row.message_id, row.recipient_email, *_parts(rendered)))
        carried[key] = [row]
    for (person_id, day), rows in digests.items():
        key = f"digest:{day.isoformat()}:person:{person_id}:" + ",".join(str(r.id) for r in rows)
        carried[key] = rows
        try:
            name = rows[0].recipient_name or "colleague"
            rendered = templates.render_digest(name, day, [_notice(r) for r in rows])
        except NotificationError as exc:
            broken[key] = Outcome(Verdict.PERMANENT, str(exc))
            continue
        # The digest's Message-ID names its rows: a re-send of the same digest carries the same one.
        mid = message_id(key, settings.message_id_domain)
        messages.append(Outgoing(key, mid, rows[0].recipient_email, *_parts(rendered)))
    return messages, carried, broken


def _parts(rendered: Any) -> tuple[str, str, str]:
    return rendered.subject, rendered.text, rendered.html


def _marks(
    carried: dict[str, list[Delivery]],
    outcomes: dict[str, Outcome],
    now: datetime,
    settings: NotifySettings,
    rng: random.Random | None,
    report: DispatchReport,
) -> list[Mark]:
    marks: list[Mark] = []
    for key, rows in carried.items():
        outcome = outcomes.get(key) or Outcome(Verdict.TEMPORARY, "no outcome from the sender")
        mid = rows[0].message_id if len(rows) == 1 and rows[0].digest_on is None else None
        if outcome.verdict is Verdict.ACCEPTED:
            report.emails += 1
        for row in rows:
            attempts = row.attempts  # read after the claim counted this one
            sent_at = None
            if outcome.verdict is Verdict.ACCEPTED:
                status, next_at, sent_at = SENT, now, now
                report.sent += 1
            elif outcome.verdict is Verdict.PERMANENT or attempts >= settings.notify_max_attempts:
                status, next_at = DEAD, now
                report.dead += 1
            else:
                status = PENDING
                next_at = next_attempt(
                    now, attempts, base_s=settings.notify_retry_base_s, max_s=settings.notify_retry_max_s, rng=rng
                )
                report.retrying += 1
            if outcome.verdict is not Verdict.ACCEPTED:
                report.replies[outcome.reply] = report.replies.get(outcome.reply, 0) + 1
            message = mid or message_id(key, settings.message_id_domain)
            marks.append(Mark(row.id, attempts, status, next_at, message, outcome.reply, sent_at=sent_at))
            log.info(
                "notification_outcome",
                outbox_id=row.id,
                kind=row.kind,
                review_ref=row.review_ref,
                action_ref=row.action_ref,
                outcome=status,
                attempts=attempts,
                reply=outcome.reply[:120],
            )
    return marks
