"""The REST API under ``/api/v1``: bearer tokens, JSON in and out, errors as ``application/problem+json``."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Path, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from domain.model import Scope
from domain.rag import Rag
from domain.roles import Role
from domain.states import Event, State
from web.attachments import plan_file
from web.before_body import CheckedFirst, checked_first, path_id
from web.params import MAX_ID, Day, Id
from web.plan_uploads import check_may_import, import_upload
from web.security import api_principal, dhr
from workflows.commands.acknowledgements import acknowledge, escalations
from workflows.commands.deputies import deputies, end_deputy, name_deputy
from workflows.commands.extensions import decide_extension, request_extension
from workflows.commands.final_audit import sign_off, start_final_audit
from workflows.commands.transitions import MAX_EVIDENCE_BYTES, MAX_TEXT_CHARS, TransitionCommand, take_transition
from workflows.context import ActionKey, Principal
from workflows.errors import InvalidInput
from workflows.queries import desk
from workflows.queries.actions import ActionQuery
from workflows.queries.reviews import review_summaries

router = APIRouter(tags=["dhrflow"], route_class=CheckedFirst)
Caller = Annotated[Principal, Depends(api_principal)]
Json = dict[str, Any]
_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No or a revoked API token"} | _PROBLEM,
    403: {"description": "Outside the caller's role or agency"} | _PROBLEM,
    404: {"description": "Not in the caller's partnership"} | _PROBLEM,
    409: {"description": "Stale version, or the state no longer allows it"} | _PROBLEM,
    422: {"description": "Bad input"} | _PROBLEM,
}
Text = Annotated[str, Field(max_length=MAX_TEXT_CHARS)]
OnBehalfOf = Annotated[str | None, Field(max_length=320)]
"""The email of the person the caller stands in for as deputy (``None``: the caller acts for themselves)."""
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class EvidenceIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=255)]
    content_base64: Annotated[str, Field(max_length=(MAX_EVIDENCE_BYTES * 4) // 3 + 4)]


class TransitionIn(BaseModel):
    event: Event
    expected_version: Annotated[int, Field(ge=0, le=2**31 - 1)]
    """The version the caller saw: a decision in between makes this a 409, never a silent overwrite."""
    reason: Text = ""
    note: Text = ""
    evidence: Annotated[list[EvidenceIn], Field(max_length=20)] = []
    on_behalf_of: OnBehalfOf = None


class AcknowledgeIn(BaseModel):
    note: Text = ""
    on_behalf_of: OnBehalfOf = None


class ExtensionIn(BaseModel):
    to: Day
    reason: Text
    on_behalf_of: OnBehalfOf = None


class ExtensionDecisionIn(BaseModel):
    approve: bool
    reason: Text = ""
    on_behalf_of: OnBehalfOf = None


class DeputyIn(BaseModel):
    deputy: Annotated[str, Field(min_length=3, max_length=320)]
    """The deputy's email."""
    starts_on: Day
    ends_on: Day
    reason: Annotated[str, Field(min_length=1, max_length=MAX_TEXT_CHARS)]
    principal: OnBehalfOf = None
    """Whose deputy (an email): the caller, unless the caller is the coordinator naming one for someone."""


class DeputyEndIn(BaseModel):
    reason: Text = ""


@router.get("/me", responses=ERRORS)
async def me(caller: Caller) -> Json:
    p = caller.person
    return {"id": p.id, "name": p.name, "email": p.email, "role": str(p.role), "agency_id": p.agency_id}


@router.get("/reviews", responses=ERRORS)
async def reviews(request: Request, caller: Caller) -> list[Json]:
    app = dhr(request)
    mine = await desk.partnership_name(app.reader, caller)
    found = await review_summaries(app.reader, today=app.clock.today(), policy=app.rag_policy)
    return [s.to_json() for s in found if s.partnership == mine]


@router.get("/actions", responses=ERRORS)
async def actions(
    request: Request,
    caller: Caller,
    review: Annotated[str | None, Query(max_length=200)] = None,
    agency: Annotated[str | None, Query(max_length=200)] = None,
    state: Annotated[list[State] | None, Query()] = None,
    rag: Annotated[list[Rag] | None, Query()] = None,
    overdue: bool = False,
    scope: Scope | None = None,
    reported_complete: bool = False,
) -> list[Json]:
    """The actions the caller may see, filtered (``scope``: of recommendations of that scope;
    ``reported_complete``: the plan said done, not yet assured); each with the moves the caller may start now."""
    app = dhr(request)
    query = ActionQuery(
        review,
        agency,
        tuple(str(s) for s in state or ()),
        tuple(rag or ()),
        overdue,
        scope=scope,
        reported_complete=reported_complete,
    )
    cards = await desk.visible_actions(app.reader, caller, query, today=app.clock.today(), policy=app.rag_policy)
    return [c.view.to_json() | {"moves": [str(m.event) for m in c.moves], "returned": c.returned} for c in cards]


@router.get("/actions/{action_id}", responses=ERRORS)
async def action(request: Request, caller: Caller, action_id: Id) -> Json:
    """Every column, the evidence with hashes, the decision timeline and the caller's moves."""
    app = dhr(request)
    page = await desk.action_page(app.reader, caller, action_id, today=app.clock.today(), policy=app.rag_policy)
    evidence = [
        {k: e[k] for k in ("id", "name", "sha256", "size", "content_type")} | {"at": e["at"].isoformat()}
        for e in page.detail.evidence
    ]
    as_deputy = [{"for": p.for_email, "moves": [str(m.event) for m in p.moves]} for p in page.stand_ins]
    own = [str(m.event) for m in page.moves]
    return page.detail.to_json() | {"evidence": evidence, "moves": own, "as_deputy": as_deputy}


async def _may_move(request: Request) -> None:
    """A transition's caller, before its body (up to 64 MB of base64 evidence) is read: refused if they could
    take no step on the action in any state, as the page refuses its form (``desk.check_may_move``)."""
    caller = await api_principal(request)
    action_id = path_id(request, "action_id")
    if action_id is not None:
        app = dhr(request)
        await desk.check_may_move(app.reader, caller, action_id, app.clock.today())


@router.post("/actions/{action_id}/transitions", responses=ERRORS)
@checked_first(_may_move)
async def transition(request: Request, caller: Caller, action_id: Id, body: TransitionIn) -> Json:
    """Fire an event on the action as the caller, at the version they saw."""
    app = dhr(request)
    uploads = [(e.name, _decode(e)) for e in body.evidence]
    command = TransitionCommand(
        caller.person.email,
        ActionKey.by_id(action_id),
        body.event,
        reason=body.reason,
        note=body.note,
        uploads=uploads,
        expected_version=body.expected_version,
        on_behalf_of=body.on_behalf_of,
    )
    result = await take_transition(command, uow_factory=app.uow, clock=app.clock, store=app.store)
    return result.to_json()


def _decode(evidence: EvidenceIn) -> bytes:
    try:
        return base64.b64decode(evidence.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(f"evidence {evidence.name!r}: content_base64 is not base64") from None


@router.get("/actions/{action_id}/evidence/{evidence_id}", responses=ERRORS)
async def evidence(
    request: Request,
    caller: Caller,
    action_id: Id,
    evidence_id: Id,
) -> Response:
    """The file, for someone who may see the action; every download is logged."""
    app = dhr(request)
    found = await desk.evidence_file(app.uow, caller, action_id, evidence_id, store=app.store, clock=app.clock)
    disposition = f"attachment; filename*=UTF-8''{quote(found.name)}"
    headers = {"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"}
    return Response(found.content, media_type=found.content_type, headers=headers)


@router.get("/escalations", responses=ERRORS)
async def escalations_list(request: Request, caller: Caller) -> list[Json]:
    """The steps that told the caller, the ones still to acknowledge first."""
    found = await escalations(dhr(request).reader, mine=caller.person.email)
    return [e.to_json() for e in found]


@router.post("/escalations/{escalation_id}/acknowledge", responses=ERRORS)
async def escalation_acknowledge(request: Request, caller: Caller, escalation_id: Id, body: AcknowledgeIn) -> Json:
    app = dhr(request)
    done = await acknowledge(
        caller.person.email,
        escalation_id,
        body.note,
        uow_factory=app.uow,
        clock=app.clock,
        on_behalf_of=body.on_behalf_of,
    )
    return done.to_json()


@router.post("/actions/{action_id}/extensions", responses=ERRORS)
async def extension_request(request: Request, caller: Caller, action_id: Id, body: ExtensionIn) -> Json:
    """The lead officer asks for a later target date."""
    app = dhr(request)
    key = await _key(request, caller, action_id)
    done = await request_extension(
        caller.person.email,
        key,
        body.to,
        body.reason,
        uow_factory=app.uow,
        clock=app.clock,
        on_behalf_of=body.on_behalf_of,
    )
    return {
        "status": str(done.status),
        "target_date": _iso(done.target_date),
        "requested_date": _iso(done.requested_date),
    }


@router.post("/actions/{action_id}/extensions/decision", responses=ERRORS)
async def extension_decide(request: Request, caller: Caller, action_id: Id, body: ExtensionDecisionIn) -> Json:
    """The agency's director or the partnership approves or refuses the waiting extension."""
    app = dhr(request)
    key = await _key(request, caller, action_id)
    done = await decide_extension(
        caller.person.email,
        key,
        body.approve,
        body.reason,
        uow_factory=app.uow,
        clock=app.clock,
        on_behalf_of=body.on_behalf_of,
    )
    return {
        "status": str(done.status),
        "target_date": _iso(done.target_date),
        "requested_date": _iso(done.requested_date),
    }


async def _key(request: Request, caller: Principal, action_id: int) -> ActionKey:
    app = dhr(request)
    return await desk.action_key(app.reader, caller, action_id, app.clock.today())


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


class ReviewIn(BaseModel):
    review_ref: Annotated[str, Field(min_length=1, max_length=200)]
    on_behalf_of: OnBehalfOf = None


@router.post("/reviews/final-audit", responses=ERRORS)
async def final_audit(request: Request, caller: Caller, body: ReviewIn) -> Json:
    """The partnership starts a review's final audit."""
    app = dhr(request)
    done = await start_final_audit(
        caller.person.email, body.review_ref, uow_factory=app.uow, clock=app.clock, on_behalf_of=body.on_behalf_of
    )
    return {"review_ref": done.review_ref, "status": str(done.status), "actions": done.actions}


@router.post("/reviews/sign-off", responses=ERRORS)
async def review_sign_off(request: Request, caller: Caller, body: ReviewIn) -> Json:
    """The partnership signs a review's plan off: a snapshot is frozen and its SHA-256 logged."""
    app = dhr(request)
    done = await sign_off(
        caller.person.email, body.review_ref, uow_factory=app.uow, clock=app.clock, on_behalf_of=body.on_behalf_of
    )
    return {"review_ref": done.review_ref, "status": str(done.status), "actions": done.actions, "sha256": done.sha256}


_FILES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The document, as an attachment",
        "content": {media: {} for media in (_DOCX, _XLSX, "application/pdf", "text/csv")},
    }
}


@router.get("/reviews/{ref:path}/export", responses=ERRORS | _FILES, response_class=Response)
async def review_export(
    request: Request,
    caller: Caller,
    ref: Annotated[str, Path(min_length=1, max_length=200, description="The review's reference, e.g. BDHR2011/12-03")],
    format: Literal["docx", "xlsx", "pdf", "csv"] = "docx",
    public: bool = False,
) -> Response:
    """The review's plan in its own layout, with live progress, RAG and quality assurance; ``public=true`` for the
    public version (the partnership's staff only). A lead officer or a director gets their own agency's actions."""
    return await plan_file(dhr(request), caller, ref, format, public)


@router.get("/log", responses=ERRORS)
async def log(
    request: Request,
    caller: Caller,
    after: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> Json:
    """The decision log, a page at a time (``after`` the last ``seq`` seen), for the partnership's own staff."""
    page = await desk.decision_log(dhr(request).reader, caller, after=after, limit=limit)
    return {"partnership": page.partnership, "decisions": page.decisions, "next_after": page.next_after}


@router.get("/deputies", responses=ERRORS)
async def deputies_list(request: Request, caller: Caller) -> list[Json]:
    """The deputy periods in force or to come that name the caller (every one of the partnership, for the
    coordinator)."""
    app = dhr(request)
    today = app.clock.today()
    if caller.person.role is Role.COORDINATOR:
        found = await deputies(app.reader, today=today, partnership=await desk.partnership_name(app.reader, caller))
    else:
        found = await deputies(app.reader, today=today, person_email=caller.person.email)
    return [v.to_json() for v in found]


@router.post("/deputies", responses=ERRORS)
async def deputy_name(request: Request, caller: Caller, body: DeputyIn) -> Json:
    """Name a deputy for a period: the caller for themselves, or the coordinator for anyone."""
    app = dhr(request)
    me = caller.person.email
    done = await name_deputy(
        me,
        body.principal or me,
        body.deputy,
        body.starts_on,
        body.ends_on,
        body.reason,
        uow_factory=app.uow,
        clock=app.clock,
    )
    return done.to_json()


@router.post("/deputies/{period_id}/end", responses=ERRORS)
async def deputy_end(request: Request, caller: Caller, period_id: Id, body: DeputyEndIn) -> Json:
    """End a deputy period now: the person, their deputy or the coordinator."""
    app = dhr(request)
    done = await end_deputy(caller.person.email, period_id, body.reason, uow_factory=app.uow, clock=app.clock)
    return done.to_json()


async def _may_import(request: Request) -> None:
    """An import's caller, before the plan (up to 11 MB) is read: the coordinator only."""
    check_may_import(await api_principal(request))


@router.post("/imports", responses=ERRORS)
@checked_first(_may_import)
async def import_(
    request: Request,
    caller: Caller,
    plan: Annotated[UploadFile, File(description="The action plan: .txt, .tsv, .docx, .xlsx or .csv")],
    dry_run: Annotated[bool, Query(description="Only say what importing would change")] = False,
) -> Json:
    """The coordinator imports a review's action plan (or, with ``dry_run``, previews it): added, updated
    and unchanged actions, and the anomalies kept as warnings."""
    report = await import_upload(request, caller, plan, dry_run=dry_run)
    return report.to_json()
