"""Use cases that gather what a document going out shows: the plan, the public version, the certificate,
and the decision log's head that the board pack, the certificate and the board email print.

Reads only. Each takes either a ``Principal`` (the web app and the API: what the
person may see, by ``domain.access``) or none (the CLI, run by whoever runs the
machine, as every CLI read is).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime

from documents.certificate import Certificate
from documents.dates import milestones
from documents.plan_out import Check, Plan, PlanAction, Progress
from documents.redact import Named, public_version
from domain.access import may_read_partnership_documents, may_see
from domain.final_audit import snapshot_hash
from domain.log_head import LogHead
from domain.model import Review
from domain.rag import RagPolicy
from domain.states import Event
from storage.chain import verify_chain
from storage.repositories import LoggedDecision
from workflows.context import Principal, partnership_by_id, partnership_id
from workflows.errors import InvalidInput, NotVisible
from workflows.ports import Tx, UowFactory
from workflows.queries.actions import views_of
from workflows.queries.review_kinds import kind_of, name_used
from workflows.runtime.clock import LONDON

LIVE_EVENTS = (
    Event.RECORD_PROGRESS,
    Event.SUBMIT_EVIDENCE,
    Event.VERIFY,
    Event.REJECT,
    Event.ASSURE,
    Event.WITHDRAW,
)
"""The decisions a plan export reads: the latest progress, and who checked the action."""
_CHECKS = {Event.VERIFY: "Verified", Event.ASSURE: "Assured", Event.WITHDRAW: "Withdrawn"}


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def local_day(at: datetime) -> date:
    """The day in England and Wales of an instant the database gives back (UTC)."""
    return _utc(at).astimezone(LONDON).date()


def check_partnership_documents(principal: Principal | None) -> None:
    """Refuse an agency's people the documents that cover every agency (``domain.access``)."""
    if principal is not None and not may_read_partnership_documents(principal.actor):
        raise NotVisible("the board pack, the public version and the certificate are for the partnership's own staff")


def scope(tx: Tx, principal: Principal | None, partnership: str | None) -> int:
    """The partnership read: the person's own, or the one named on the command line."""
    return principal.person.partnership_id if principal is not None else partnership_id(tx, partnership)


def review_named(tx: Tx, pid: int, review_ref: str) -> Review:
    review = tx.reviews.by_ref(pid, review_ref.strip())
    if review is None:
        raise InvalidInput(f"no review {review_ref!r}")
    return review


def log_head(tx: Tx, pid: int, short_name: str) -> LogHead:
    """The partnership's decision log head now: what a document going out prints for people to keep,
    and ``dhrflow log verify --expect-head`` checks later (``LogHead.text``)."""
    seq, hash_ = tx.reports.log_head(pid)
    return LogHead(short_name, seq, hash_)


async def plan_export(
    reader: UowFactory,
    review_ref: str,
    *,
    today: date,
    policy: RagPolicy,
    partnership: str | None = None,
    principal: Principal | None = None,
    public: bool = False,
) -> Plan:
    """The review's plan as it stands on ``today``; with ``public``, the version fit to publish.

    A lead officer or a director gets their own agency's actions only.

    Raises:
        InvalidInput: no such review (or partnership).
        NotVisible: the public version asked for by an agency's person.
    """
    if public:
        check_partnership_documents(principal)
    async with reader() as uow:
        return await uow.run(_plan_in, review_ref, today, policy, partnership, principal, public)


def _plan_in(
    tx: Tx,
    review_ref: str,
    today: date,
    policy: RagPolicy,
    partnership: str | None,
    principal: Principal | None,
    public: bool,
) -> Plan:
    pid = scope(tx, principal, partnership)
    review = review_named(tx, pid, review_ref)
    p = partnership_by_id(tx, pid)
    actions = tx.actions.for_review(review.id)
    if principal is not None:
        actions = [a for a in actions if may_see(principal.actor, a)]
    views = views_of(tx, pid, [(review.ref, a) for a in actions], today, policy)
    agencies = {a.id: a.name for a in tx.agencies.in_partnership(pid)}
    people = tx.people.in_partnership(pid)
    where = {
        person.id: agencies.get(person.agency_id, p.short_name) if person.agency_id else p.short_name
        for person in people
    }
    progress, checks = _live(tx.reports.review_decisions(review.id, [str(e) for e in LIVE_EVENTS]), where)
    plan = Plan(
        partnership=p.name,
        short_name=p.short_name,
        review_ref=review.ref,
        title=review.title,
        as_of=today,
        actions=tuple(
            PlanAction(
                ref=v.ref,
                agency=v.agency,
                recommendation=v.recommendation,
                columns=a.columns,
                target_date=v.target_date,
                original_target_date=v.original_target_date,
                route=v.route,
                state=v.state,
                rag=v.rag,
                version=v.version,
                progress=progress.get(a.id),
                checks=tuple(checks.get(a.id, {}).values()),
                milestones=tuple(milestones(a.columns.target_date_text, a.columns.action)),
                target_after=a.target_after.describe() if a.target_after else "",
            )
            for v, a in zip(views, actions, strict=True)
        ),
        notes=tuple(note.text for note in review.notes),
        kind=(kind := kind_of(tx, review.id)),
        former_name=name_used(kind, review.title, tx.review_kinds.all()),
    )
    if not public:
        return plan
    named = [Named(person.name, person.email, person.role.label, where[person.id]) for person in people]
    return public_version(plan, named)


def _live(
    decisions: Iterable[LoggedDecision], where: dict[int, str]
) -> tuple[dict[int, Progress], dict[int, dict[str, Check]]]:
    """Per action: the latest progress the lead officer recorded, and the checks standing now.

    A return to the lead officer voids the verification and assurance before it.
    """
    progress: dict[int, Progress] = {}
    checks: dict[int, dict[str, Check]] = {}
    for d in decisions:
        action_id, event, on = d.action_id, d.event, local_day(d.at)
        if action_id is None:
            continue  # a review's decision about no action: none is read here
        if event in (Event.RECORD_PROGRESS, Event.SUBMIT_EVIDENCE) and d.note.strip():
            kind = "Progress update" if event == Event.RECORD_PROGRESS else "Evidence submitted"
            progress[action_id] = Progress(kind, on, d.actor_name, d.note)
        elif event == Event.REJECT:
            checks.pop(action_id, None)
        elif event in _CHECKS:
            agency = where.get(d.actor_id, "") if d.actor_id is not None else ""
            role = d.actor_role.replace("_", " ")
            checks.setdefault(action_id, {})[_CHECKS[Event(event)]] = Check(
                _CHECKS[Event(event)], d.actor_name, role, agency, on
            )
    return progress, checks


async def certificate(
    reader: UowFactory, review_ref: str, *, partnership: str | None = None, principal: Principal | None = None
) -> Certificate:
    """The sign-off certificate of a signed-off review, with the frozen snapshot checked again now.

    Raises:
        InvalidInput: no such review, or it is not signed off.
        NotVisible: asked for by an agency's person.
    """
    check_partnership_documents(principal)
    async with reader() as uow:
        return await uow.run(_certificate_in, review_ref, partnership, principal)


def _certificate_in(tx: Tx, review_ref: str, partnership: str | None, principal: Principal | None) -> Certificate:
    pid = scope(tx, principal, partnership)
    review = review_named(tx, pid, review_ref)
    signed = tx.signoffs.for_review(review.id)
    if signed is None:
        raise InvalidInput(f"review {review.ref} is not signed off ({str(review.status).replace('_', ' ')})")
    p = partnership_by_id(tx, pid)
    signer = tx.people.by_id(signed.signed_by)
    decision = tx.reports.decision(signed.decision_id)
    frozen = json.loads(signed.snapshot)
    chain = verify_chain(tx.decisions.chain(pid))
    states: dict[str, int] = {}
    for action in frozen["actions"]:
        states[action["state"]] = states.get(action["state"], 0) + 1
    return Certificate(
        partnership=p.name,
        short_name=p.short_name,
        review_ref=review.ref,
        title=review.title,
        signed_by=signer.name if signer else decision.actor_name,
        signed_role=decision.actor_role.replace("_", " "),
        signed_at=_utc(signed.signed_at).astimezone(LONDON),
        snapshot_sha256=signed.sha256,
        snapshot_matches=snapshot_hash(frozen) == signed.sha256,
        logged_sha256=decision.payload.get("snapshot_sha256", ""),
        decision_seq=decision.seq,
        decision_hash=decision.hash,
        log_head_seq=frozen["log_head"]["seq"],
        log_head_hash=frozen["log_head"]["hash"],
        head_now=log_head(tx, pid, p.short_name),
        actions_by_state=states,
        chain_ok=chain.ok,
        chain_checked=chain.checked,
        chain_problem=chain.problem,
        kind=(kind := kind_of(tx, review.id)),
        former_name=name_used(kind, review.title, tx.review_kinds.all()),
    )
