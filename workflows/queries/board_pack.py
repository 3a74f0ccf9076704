"""The board pack use case: gather one review's or all reviews' status and the period's events."""

from __future__ import annotations

import calendar
from collections import Counter
from datetime import date, datetime, time, timedelta

from documents.board_pack import (
    AgencyRag,
    BoardPack,
    Closure,
    Escalation,
    ExtensionGranted,
    ImpactCount,
    NoUpdate,
    Overdue,
    ReviewStatus,
)
from domain.board_cycle import ANSWERS, Ask, leads_with_open_actions
from domain.ladders import LadderName
from domain.rag import Rag, RagPolicy
from domain.states import Event, State
from storage.action_lists import ActionFilter
from workflows.context import Principal, partnership_by_id
from workflows.errors import InvalidInput
from workflows.ports import Tx, UowFactory
from workflows.queries.actions import views_of
from workflows.queries.escalation_steps import placed_row
from workflows.queries.exports import check_partnership_documents, local_day, log_head, review_named, scope
from workflows.runtime.clock import LONDON

CLOSING = (str(Event.ASSURE), str(Event.WITHDRAW))
EXTENDED = "extension_approved"


def default_period(today: date) -> tuple[date, date]:
    """The month up to ``today``: from the day after the same day a month before (or that month's last), to today."""
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    day = min(today.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) + timedelta(days=1), today


async def board_pack(
    reader: UowFactory,
    review_ref: str | None,
    first: date,
    last: date,
    *,
    today: date,
    policy: RagPolicy,
    partnership: str | None = None,
    principal: Principal | None = None,
) -> BoardPack:
    """The pack for ``review_ref`` (``None``: every review of the partnership) and the period ``first``-``last``.

    Raises:
        InvalidInput: no such review, no review at all, or a period that ends before it starts.
        NotVisible: asked for by an agency's person.
    """
    check_partnership_documents(principal)
    if last < first:
        raise InvalidInput(f"the period ends ({last}) before it starts ({first})")
    async with reader() as uow:
        return await uow.run(_pack_in, review_ref, first, last, today, policy, partnership, principal)


def _pack_in(
    tx: Tx,
    review_ref: str | None,
    first: date,
    last: date,
    today: date,
    policy: RagPolicy,
    partnership: str | None,
    principal: Principal | None,
) -> BoardPack:
    pid = scope(tx, principal, partnership)
    p = partnership_by_id(tx, pid)
    reviews = [review_named(tx, pid, review_ref)] if review_ref else tx.reviews.in_partnership(pid)
    if not reviews:
        raise InvalidInput(f"{p.short_name} has no review yet: import a plan first")
    agencies = {a.id: a.name for a in tx.agencies.in_partnership(pid)}
    impact = _impact_counts(tx, pid, today, agencies)
    kinds = {k.key: k.abbreviation for k in tx.review_kinds.all()}
    statuses, overdue = [], []
    for review in reviews:
        views = views_of(tx, pid, [(review.ref, a) for a in tx.actions.for_review(review.id)], today, policy)
        counts: dict[str, Counter[Rag]] = {}
        for v in views:
            counts.setdefault(v.agency, Counter())[v.rag] += 1
            if v.state == State.OPEN and v.target_date is not None and v.target_date < today:
                overdue.append(
                    Overdue(v.review_ref, v.ref, v.agency, v.target_date, (today - v.target_date).days, v.action)
                )
        rags = tuple(AgencyRag(agency, dict(c)) for agency, c in counts.items())
        status = ReviewStatus(
            review.ref, review.title, str(review.status), rags, impact.get(review.id, ()), kinds.get(review.kind, "")
        )
        statuses.append(status)
    overdue.sort(key=lambda o: (-o.days_late, o.review_ref))
    review_ids = [r.id for r in reviews]
    start = datetime.combine(first, time(), LONDON)
    end = datetime.combine(last + timedelta(days=1), time(), LONDON)
    closures, extensions = [], []
    for found in tx.reports.decisions_between(pid, review_ids, [*CLOSING, EXTENDED], start, end):
        d = found.decision
        agency, on = agencies.get(found.agency_id, ""), local_day(d.at)
        if d.event == EXTENDED:
            was = date.fromisoformat(d.payload["from"]) if d.payload.get("from") else None
            to = date.fromisoformat(d.payload["to"])
            extensions.append(ExtensionGranted(d.review_ref, d.action_ref, agency, on, was, to, d.actor_name))
        else:
            outcome = "assured" if d.event == Event.ASSURE else "withdrawn"
            closures.append(Closure(d.review_ref, d.action_ref, agency, on, outcome, d.actor_name, d.reason))
    escalations, other_steps = _escalations(tx, pid, review_ids, first, last, agencies)
    return BoardPack(
        partnership=p.name,
        short_name=p.short_name,
        first=first,
        last=last,
        as_of=today,
        reviews=tuple(statuses),
        overdue=tuple(overdue),
        escalations=tuple(escalations),
        other_steps=other_steps,
        closures=tuple(closures),
        extensions=tuple(extensions),
        log_head=log_head(tx, pid, p.short_name),
        no_update=no_update_in(tx, pid, first),
    )


def _impact_counts(tx: Tx, pid: int, today: date, agencies: dict[int, str]) -> dict[int, tuple[ImpactCount, ...]]:
    """Per review, its agencies' assured actions by where their impact check stands: one ``GROUP BY``."""
    found: dict[int, list[ImpactCount]] = {}
    order = {agency_id: n for n, agency_id in enumerate(agencies)}  # the order they were added, as the RAG table
    for t in sorted(tx.impact_checks.tally(pid, today), key=lambda t: order.get(t.agency_id, 0)):
        name = agencies.get(t.agency_id, "")
        count = ImpactCount(name, t.assured, t.confirmed, t.not_shown, t.waiting, t.overdue, t.unchecked)
        found.setdefault(t.review_id, []).append(count)
    return {review_id: tuple(counts) for review_id, counts in found.items()}


def _escalations(
    tx: Tx, pid: int, review_ids: list[int], first: date, last: date, agencies: dict[int, str]
) -> tuple[list[Escalation], int]:
    """The escalation steps fired in the period, and how many reminders and overdue notices went out."""
    history = tx.ladders.history(pid)
    listed, others = [], 0
    for row in tx.reports.escalations_between(pid, review_ids, first, last):
        ladder = history.get((LadderName(row.ladder), row.ladder_version))
        step = next((s for s in ladder.steps if s.key == row.step), None) if ladder else None
        if step is None or step.kind != "escalation":
            others += 1
            continue
        acknowledged = ""
        if row.acknowledged_by_name and row.acknowledged_at is not None:
            acknowledged = f"{row.acknowledged_by_name}, {local_day(row.acknowledged_at):%d/%m/%Y}"
        listed.append(
            Escalation(
                review_ref=row.review_ref,
                ref=row.action_ref or row.milestone_label,  # a step of the review's own ladder: its milestone
                agency=agencies.get(row.agency_id, "") if row.agency_id is not None else "",
                fired_on=row.fired_on,
                step=f"{row.ladder.replace('_', ' ')} / {row.step}",
                told=", ".join(role.label for role in placed_row(history, row).step.notify),
                acknowledged=acknowledged,
            )
        )
    return listed, others


def no_update_in(tx: Tx, pid: int, first: date) -> NoUpdate | None:
    """For the board pack: the first meeting from ``first`` on whose requests have gone, and who has not
    answered them yet; ``None`` when no request has gone for one."""
    for meeting in tx.board_meetings.listing([pid], first):
        asked = tx.board_meetings.asked(meeting.id)
        since = {a.person_id: a.seq for a in asked if a.kind == Ask.REQUEST.value}
        if not since:
            continue
        answered = tx.board_meetings.answered(pid, since, [str(e) for e in ANSWERS])
        people = {p.id: p for p in tx.people.in_partnership(pid)}
        agencies = {a.id: a.name for a in tx.agencies.in_partnership(pid)}
        actions = [a for _, a in tx.actions.matching(ActionFilter(pid, states=("open",)))]
        leads = leads_with_open_actions(actions, people.values())
        missing = [
            (people[i].name, agencies.get(people[i].agency_id or 0, ""), len(leads.get(i, [])))
            for i in sorted(set(since) - answered)
            if i in people
        ]
        return NoUpdate(meeting.meets_on, len(since), tuple(sorted(missing)))
    return None
