"""Actions as people read them: the list with its filters, and one action with its timeline and evidence."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from documents.dates import milestones
from domain.ladders import ALSO_TOLD, ESCALATED
from domain.milestones import awaiting_words
from domain.model import Action, Scope
from domain.rag import Rag, RagPolicy, rag
from domain.target_dates import Milestone
from storage.action_lists import ActionFilter
from storage.repositories import LoggedDecision
from workflows.context import ActionKey, agency_matching, find_action, partnership_id
from workflows.errors import InvalidInput
from workflows.ports import Tx, UowFactory
from workflows.queries.escalation_steps import Staff, in_words, lateness, step_of
from workflows.queries.impact import ImpactView, impact_view
from workflows.queries.review_kinds import Labels, labels_in
from workflows.runtime.clock import LONDON
from workflows.runtime.working_days import england_and_wales


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
    target_after: str = ""
    """A target counted from publication, in words ("6 months after publication"); "" for one of its own date."""
    review_label: str = ""
    """Its review named with the review's kind, as people read it: "DARDR BDHR2011/12-03"."""
    review_kind: str = ""
    """The name of its review's kind ("Domestic Abuse Related Death Review"), a column of the CSV."""
    target_waits: str = ""
    """Shown where the target date would be while publication has not given it one: "6 months after
    publication (not yet published)"."""

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
    summary: str = ""
    """The decision in words where its event alone says too little: "Escalated to the director of West Midlands
    Police (Director WMP) (step 3, 15 working days late)" for a ladder's step."""

    def to_json(self) -> dict[str, Any]:
        return self.__dict__ | {"at": self.at.isoformat()}


@dataclass(frozen=True)
class ActionDetail:
    action: ActionView
    timeline: list[DecisionView]
    evidence: list[dict[str, Any]] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    """The dated steps of a target cell that gives several; the target date is the last dated one."""
    impact: ImpactView | None = None
    """Its impact check, once assured (none when the partnership did none then)."""
    impact_evidence: list[dict[str, Any]] = field(default_factory=list)
    """The files its impact check's answer named (not among ``evidence``, the submissions')."""

    def to_json(self) -> dict[str, Any]:
        evidence = _files(self.evidence)
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
            "impact_check": self._impact_json(),
        }

    def _impact_json(self) -> dict[str, Any] | None:
        if self.impact is None:
            return None
        return self.impact.to_json() | {"evidence": _files(self.impact_evidence)}


def _files(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: e[k] for k in ("name", "sha256", "size", "content_type")} | {"at": e["at"].isoformat()} for e in rows]


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
    text: str = ""
    """Only actions whose ref, review's ref or text holds this, in any case."""
    lead: str | None = None
    """Only actions this lead officer (an email) leads: named on them, or of their agency with none named."""


def views_of(
    tx: Tx, partnership: int, rows: list[tuple[str, Action]], today: date, policy: RagPolicy
) -> list[ActionView]:
    agencies = {a.id: a.name for a in tx.agencies.in_partnership(partnership)}
    recommendations = tx.recommendations.by_ids({a.recommendation_id for _, a in rows if a.recommendation_id})
    labels = labels_in(tx, partnership) if rows else Labels()
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
            target_after=a.target_after.describe() if a.target_after else "",
            target_waits=awaiting_words(a.target_after) if a.target_after and a.target_date is None else "",
            review_label=labels.label(review_ref),
            review_kind=kind.name if (kind := labels.kind(review_ref)) else "",
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
    stood_in_for = {d.on_behalf_of_id for d in decisions if d.on_behalf_of_id is not None}
    names = {i: p.name for i in stood_in_for if (p := tx.people.by_id(i)) is not None}
    words = _steps_in_words(tx, pid, action, [d for d in decisions if d.event == ESCALATED])
    timeline = [
        DecisionView(
            seq=d.seq,
            at=d.at,
            event=d.event,
            actor=d.actor_name,
            role=d.actor_role,
            from_state=d.from_state,
            to_state=d.to_state,
            reason=d.reason,
            note=d.note,
            evidence_hashes=list(d.evidence_hashes),
            hash=d.hash,
            on_behalf_of=names.get(d.on_behalf_of_id, "") if d.on_behalf_of_id is not None else "",
            summary=words.get(d.seq, ""),
        )
        for d in decisions
    ]
    steps = milestones(action.columns.target_date_text, action.columns.action)
    # The CLI and the web read the evidence by key (issue 15: ``EvidenceRecord`` once they read its fields).
    evidence = [asdict(e) for e in tx.evidence.for_action(action.id)]
    impact = impact_view(tx, action.id, today)
    answered = impact.check.decision_id if impact else None
    impact_files = [e for e in evidence if answered is not None and e["decision_id"] == answered]
    evidence = [e for e in evidence if answered is None or e["decision_id"] != answered]
    return ActionDetail(view, timeline, evidence, steps, impact, impact_files)


def _steps_in_words(tx: Tx, pid: int, action: Action, fired: list[LoggedDecision]) -> dict[int, str]:
    """Each ladder step the action's timeline records, in words, by the decision's ``seq``."""
    if not fired:
        return {}
    history, staff, calendar = tx.ladders.history(pid), Staff.of(tx, pid), england_and_wales()
    out: dict[int, str] = {}
    for d in fired:
        payload = d.payload
        if not {"ladder", "ladder_version", "step", "anchor_date"} <= payload.keys():
            continue
        placed = step_of(
            history, payload["ladder"], payload["ladder_version"], payload["step"], payload.get(ALSO_TOLD, ())
        )
        at = d.at if d.at.tzinfo else d.at.replace(tzinfo=UTC)
        fired_on = at.astimezone(LONDON).date()
        _, late = lateness(placed, date.fromisoformat(payload["anchor_date"]), fired_on, calendar)
        out[d.seq] = in_words(staff, placed, action.agency_id, action.lead_officer_id, late)
    return out
