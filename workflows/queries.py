"""Read models: what the CLI and the web app show. Reads only; nothing here changes state."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from documents.dates import milestones
from domain.ladders import CatchUp, Ladder, LadderName
from domain.model import Action, Agency, Person, Recommendation, Scope
from domain.rag import Rag, RagPolicy, rag
from domain.states import State
from domain.target_dates import Milestone
from storage import audit
from storage.chain import ChainReport, log_key, seal_problems, verify_chain
from storage.replay import decision_problems, guard_problems
from storage.repositories import ActionFilter
from storage.uow import Tx
from workflows.context import ActionKey, find_action, partnership_id
from workflows.errors import InvalidInput
from workflows.unit_of_work import UowFactory


@dataclass(frozen=True)
class ActionView:
    """An action as people read it: every column, where it stands, and its colour today."""

    review_ref: str
    ref: str
    agency: str
    recommendation: str
    action: str
    lead: str
    target_date: date | None
    target_date_text: str
    original_target_date: date | None
    """Set once an approved extension moved the target date."""
    desired_outcome: str
    monitoring: str
    success_measure: str
    outcome_progress: str
    evidence_location: str
    status_rag: str
    quality_assured_by: str
    extra: dict[str, str]
    route: str
    state: str
    rag: Rag
    version: int
    id: int
    """The action's id: how the web app and the API name it."""
    scope: tuple[Scope, ...] = ()
    """Its recommendation's scope: local, regional, national."""
    reported_complete: bool = False
    """The imported plan said it was done; only a person's decision assures it."""
    reported_complete_on: date | None = None

    def to_json(self) -> dict[str, Any]:
        data = self.__dict__.copy()
        data["target_date"] = self.target_date.isoformat() if self.target_date else None
        data["original_target_date"] = self.original_target_date.isoformat() if self.original_target_date else None
        data["scope"] = [str(s) for s in self.scope]
        data["reported_complete_on"] = self.reported_complete_on.isoformat() if self.reported_complete_on else None
        data["rag"] = str(self.rag)
        return data


@dataclass(frozen=True)
class DecisionView:
    seq: int
    at: datetime
    event: str
    actor: str
    role: str
    from_state: str
    to_state: str
    reason: str
    note: str
    evidence_hashes: list[str]
    hash: str
    on_behalf_of: str = ""
    """The name of the person a deputy acted for (empty when people acted for themselves)."""

    def to_json(self) -> dict[str, Any]:
        return self.__dict__ | {"at": self.at.isoformat()}


@dataclass(frozen=True)
class ActionDetail:
    action: ActionView
    timeline: list[DecisionView]
    evidence: list[dict[str, Any]] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    """The dated steps of a target cell that gives several; the target date is the last dated one."""

    def to_json(self) -> dict[str, Any]:
        evidence = [
            {k: e[k] for k in ("name", "sha256", "size", "content_type")} | {"at": e["at"].isoformat()}
            for e in self.evidence
        ]
        milestones = [
            {
                "label": m.label,
                "text": m.text,
                "due": m.due.isoformat() if m.due else None,
                "moved_to_next_year": m.moved_to_next_year,
            }
            for m in self.milestones
        ]
        return self.action.to_json() | {
            "timeline": [d.to_json() for d in self.timeline],
            "evidence": evidence,
            "milestones": milestones,
        }


@dataclass(frozen=True)
class ActionQuery:
    review_ref: str | None = None
    agency: str | None = None
    """Part of an agency's name, case-insensitive (``police`` finds West Midlands Police)."""
    states: tuple[str, ...] = ()
    rags: tuple[Rag, ...] = ()
    overdue: bool = False
    scope: Scope | None = None
    """Only actions of recommendations of this scope."""
    reported_complete: bool = False
    """Only actions the plan reported done and the partnership has yet to assure (or withdraw)."""


async def people(reader: UowFactory, partnership: str | None = None) -> list[tuple[Person, str]]:
    """The partnership's people, each with their agency's name ("" for partnership staff)."""

    def read(tx: Tx) -> list[tuple[Person, str]]:
        pid = partnership_id(tx, partnership)
        agencies = {a.id: a.name for a in tx.agencies.in_partnership(pid)}
        return [(p, agencies.get(p.agency_id, "") if p.agency_id else "") for p in tx.people.in_partnership(pid)]

    async with reader() as uow:
        return await uow.run(read)


def agency_matching(agencies: list[Agency], text: str) -> Agency:
    wanted = text.strip().lower()
    exact = [a for a in agencies if a.name.lower() == wanted]
    found = exact or [a for a in agencies if wanted in a.name.lower()]
    if len(found) == 1:
        return found[0]
    names = "; ".join(a.name for a in (found or agencies))
    raise InvalidInput(f"--agency {text!r} matches {'several' if found else 'no'} agencies ({names})")


def views_of(
    tx: Tx, partnership: int, rows: list[tuple[str, Action]], today: date, policy: RagPolicy
) -> list[ActionView]:
    agencies = {a.id: a.name for a in tx.agencies.in_partnership(partnership)}
    recommendations: dict[int, Recommendation] = {}
    for review_id in {a.review_id for _, a in rows}:
        recommendations |= {r.id: r for r in tx.recommendations.for_review(review_id)}
    return [
        ActionView(
            review_ref=review_ref,
            ref=a.ref,
            agency=agencies.get(a.agency_id, ""),
            recommendation=recommendations[a.recommendation_id].text if a.recommendation_id else "",
            action=a.columns.action,
            lead=a.columns.lead,
            target_date=a.target_date,
            target_date_text=a.columns.target_date_text,
            original_target_date=a.original_target_date,
            desired_outcome=a.columns.desired_outcome,
            monitoring=a.columns.monitoring,
            success_measure=a.columns.success_measure,
            outcome_progress=a.columns.outcome_progress,
            evidence_location=a.columns.evidence_location,
            status_rag=a.columns.status_rag,
            quality_assured_by=a.columns.quality_assured_by,
            extra=a.columns.extra,
            route=str(a.route),
            state=str(a.state),
            rag=rag(a, today, policy),
            version=a.version,
            id=a.id,
            scope=recommendations[a.recommendation_id].scope if a.recommendation_id else (),
            reported_complete=a.reported_complete,
            reported_complete_on=a.reported_complete_on,
        )
        for review_ref, a in rows
    ]


async def list_actions(
    reader: UowFactory, query: ActionQuery, *, today: date, policy: RagPolicy, partnership: str | None = None
) -> list[ActionView]:
    async with reader() as uow:
        views = await uow.run(_list_actions_in, query, today, policy, partnership)
    if query.rags:
        views = [v for v in views if v.rag in query.rags]
    return views


def _list_actions_in(
    tx: Tx, query: ActionQuery, today: date, policy: RagPolicy, partnership: str | None
) -> list[ActionView]:
    pid = partnership_id(tx, partnership)
    agency_id = None
    if query.agency:
        agency_id = agency_matching(tx.agencies.in_partnership(pid), query.agency).id
    if query.review_ref and tx.reviews.by_ref(pid, query.review_ref) is None:
        raise InvalidInput(f"no review {query.review_ref!r}")
    f = ActionFilter(
        partnership_id=pid,
        review_ref=query.review_ref,
        agency_id=agency_id,
        states=query.states,
        due_before=today if query.overdue else None,
        scope=query.scope,
        reported_complete=query.reported_complete,
    )
    return views_of(tx, pid, tx.actions.matching(f), today, policy)


async def action_detail(
    reader: UowFactory, key: ActionKey, *, today: date, policy: RagPolicy, partnership: str | None = None
) -> ActionDetail:
    async with reader() as uow:
        return await uow.run(_action_detail_in, key, today, policy, partnership)


def _action_detail_in(tx: Tx, key: ActionKey, today: date, policy: RagPolicy, partnership: str | None) -> ActionDetail:
    pid = partnership_id(tx, partnership)
    review_ref, action = find_action(tx, pid, key)
    return detail_for(tx, pid, review_ref, action, today, policy)


def detail_for(tx: Tx, pid: int, review_ref: str, action: Action, today: date, policy: RagPolicy) -> ActionDetail:
    """Every column of ``action``, its decision timeline and its evidence."""
    [view] = views_of(tx, pid, [(review_ref, action)], today, policy)
    decisions = tx.decisions.for_action(action.id)
    stood_in_for = {d["on_behalf_of_id"] for d in decisions if d["on_behalf_of_id"] is not None}
    names = {i: p.name for i in stood_in_for if (p := tx.people.by_id(i)) is not None}
    timeline = [
        DecisionView(
            seq=d["seq"],
            at=d["at"],
            event=d["event"],
            actor=d["actor_name"],
            role=d["actor_role"],
            from_state=d["from_state"],
            to_state=d["to_state"],
            reason=d["reason"],
            note=d["note"],
            evidence_hashes=json.loads(d["evidence_hashes"]),
            hash=d["hash"],
            on_behalf_of=names.get(d["on_behalf_of_id"], ""),
        )
        for d in decisions
    ]
    steps = milestones(action.columns.target_date_text, action.columns.action)
    return ActionDetail(view, timeline, tx.evidence.for_action(action.id), steps)


_FINAL = frozenset(str(s) for s in State if s.is_final)


@dataclass(frozen=True)
class ReviewSummary:
    partnership: str
    review_ref: str
    title: str
    status: str
    actions: int
    by_state: dict[str, int]
    by_rag: dict[str, int]
    by_agency: dict[str, dict[str, int]]
    """Agency -> RAG colour -> count."""
    recommendations: list[str]
    """The review's recommendations in numeric order (8 before 10), then its theme rows."""
    signed_off_sha256: str = ""
    """The SHA-256 of the plan frozen at sign-off, once signed off."""
    reported_complete: int = 0
    """Actions the plan reported done that the partnership has yet to assure or withdraw."""
    notes: list[dict[str, str]] = field(default_factory=list)
    """What the plan says beside its actions (``location``, ``text``), verbatim."""
    scopes: dict[str, int] = field(default_factory=dict)
    """Recommendations by scope (``local``, ``regional``, ``national``, ``unstated``)."""

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


async def review_summaries(reader: UowFactory, *, today: date, policy: RagPolicy) -> list[ReviewSummary]:
    async with reader() as uow:
        return await uow.run(_review_summaries_in, today, policy)


def _review_summaries_in(tx: Tx, today: date, policy: RagPolicy) -> list[ReviewSummary]:
    summaries = []
    for p in tx.partnerships.all():
        for review in tx.reviews.in_partnership(p["id"]):
            rows = [(review.ref, a) for a in tx.actions.for_review(review.id)]
            views = views_of(tx, p["id"], rows, today, policy)
            recommendations = tx.recommendations.for_review(review.id)
            scopes = Counter(str(s) for r in recommendations for s in r.scope)
            scopes["unstated"] = sum(1 for r in recommendations if not r.scope)
            by_agency: dict[str, Counter[str]] = {}
            for v in views:
                by_agency.setdefault(v.agency, Counter())[str(v.rag)] += 1
            summaries.append(
                ReviewSummary(
                    partnership=p["short_name"],
                    review_ref=review.ref,
                    title=review.title,
                    status=str(review.status),
                    actions=len(views),
                    by_state=dict(Counter(v.state for v in views)),
                    by_rag=dict(Counter(str(v.rag) for v in views)),
                    by_agency={name: dict(c) for name, c in by_agency.items()},
                    recommendations=[r.text for r in recommendations],
                    signed_off_sha256=(tx.signoffs.for_review(review.id) or {}).get("sha256", ""),
                    reported_complete=sum(1 for v in views if v.reported_complete and v.state not in _FINAL),
                    notes=[{"location": n.location, "text": n.text} for n in review.notes],
                    scopes={name: n for name, n in scopes.items() if n},
                )
            )
    return summaries


@dataclass(frozen=True)
class ExpectedHead:
    """A chain head written down earlier (``BCSP:14:3f2a...``): the log must still hold it."""

    partnership: str
    seq: int
    hash_prefix: str

    @classmethod
    def parse(cls, text: str) -> ExpectedHead:
        parts = text.strip().split(":")
        if len(parts) != 3 or not parts[1].isdigit() or len(parts[2]) < 12:
            raise InvalidInput(f"--expect-head {text!r}: give PARTNERSHIP:SEQ:HASH (at least 12 hex digits)")
        return cls(parts[0], int(parts[1]), parts[2].lower())


@dataclass(frozen=True)
class LogReport:
    partnership: str
    chain: ChainReport
    problems: list[str]
    """What the chain alone cannot show: actions or evidence that the log does not explain."""

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "partnership": self.partnership,
            "ok": self.ok,
            "checked": self.chain.checked,
            "head": {"seq": self.chain.head_seq, "hash": self.chain.head_hash},
            "problems": ([self.chain.problem] if self.chain.problem else []) + self.problems,
        }


async def verify_log(
    reader: UowFactory, *, expect: Sequence[ExpectedHead] = (), files: Path | None = None
) -> list[LogReport]:
    """Check every partnership's chain, its actions and evidence (and files, given the store's root)."""
    to_hash: dict[str, list[audit.StoredEvidence]] | None = {} if files is not None else None
    async with reader() as uow:
        reports = await uow.run(_verify_log_in, expect, to_hash)
    if files is not None and to_hash:
        for report in reports:  # the files are read after the transaction, off the event loop
            stored = to_hash.get(report.partnership, [])
            report.problems.extend(await asyncio.to_thread(audit.file_problems, files, stored))
    return reports


def _verify_log_in(
    tx: Tx, expect: Sequence[ExpectedHead], to_hash: dict[str, list[audit.StoredEvidence]] | None
) -> list[LogReport]:
    reports = []
    partnerships = {p["id"]: p["short_name"] for p in tx.partnerships.all()}
    known = {name.lower() for name in partnerships.values()}
    for e in expect:
        if e.partnership.lower() not in known:
            # The head was written down, so there was a log: it is the log that has gone.
            gone = f"the head written down (seq {e.seq}) is gone with every record of {e.partnership}"
            reports.append(LogReport(e.partnership, ChainReport(0), [gone]))
    guards = guard_problems(tx.connection)  # the database's, said in each partnership's report
    for pid, name in partnerships.items():
        chain = verify_chain(tx.decisions.chain(pid))
        problems = audit.action_problems(tx.connection, pid) + audit.deputy_problems(tx.connection, pid)
        problems += decision_problems(tx.connection, pid) + guards
        if (key := log_key(tx.connection)) is not None:
            problems += seal_problems(tx.decisions.chain(pid), key)
        files = to_hash.setdefault(name, []) if to_hash is not None else None
        problems += audit.evidence_problems(tx.connection, pid, files)
        for e in expect:
            if e.partnership.lower() == name.lower():
                problems += _head_problem(tx, pid, e)
        reports.append(LogReport(name, chain, problems))
    return reports


def _head_problem(tx: Tx, partnership: int, expected: ExpectedHead) -> list[str]:
    found = tx.decisions.at_seq(partnership, expected.seq)
    if found is None:
        return [f"the head written down (seq {expected.seq}) is gone: the log was cut short"]
    if not found["hash"].startswith(expected.hash_prefix):
        return [f"decision at seq {expected.seq} is not the one written down: the log was rewritten"]
    return []


async def ladders(reader: UowFactory, partnership: str | None = None) -> tuple[dict[LadderName, Ladder], CatchUp]:
    """The ladders in force in the partnership (its own, or the defaults) and its catch-up rule."""

    def read(tx: Tx) -> tuple[dict[LadderName, Ladder], CatchUp]:
        pid = partnership_id(tx, partnership)
        return tx.ladders.in_force(pid), tx.ladders.catch_up(pid)

    async with reader() as uow:
        return await uow.run(read)
