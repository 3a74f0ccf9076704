"""The HTML pages: server-rendered, plain forms, no JavaScript needed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

import structlog
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.background import BackgroundTask
from starlette.datastructures import UploadFile

from domain.access import may_read_partnership_documents
from domain.model import Person, Scope
from domain.rag import Rag
from domain.roles import Role
from domain.states import Event, State
from notifications.account_mail import send_reset_link
from notifications.settings import NotifySettings
from web.flash import done_url
from web.pages.common import Signed, form_text
from web.params import MAX_ID, Day, Id
from web.problems import problem_for
from web.security import (
    SESSION_COOKIE,
    check_csrf,
    check_sign_in_csrf,
    dhr,
    remember_sign_in_token,
    set_session,
    sign_in_token,
)
from web.templating import render
from workflows.commands.accounts import (
    MIN_PASSWORD,
    ResetLink,
    ResetRefused,
    SignInLocked,
    SignInRefused,
    request_password_reset,
    reset_password,
    sign_in,
    sign_out,
)
from workflows.commands.acknowledgements import acknowledge, escalations
from workflows.commands.dead_letters import dead_letters, requeue
from workflows.commands.deputies import standing_in_for
from workflows.commands.extensions import decide_extension, reassign_lead, request_extension
from workflows.commands.final_audit import sign_off as sign_off_plan
from workflows.commands.final_audit import start_final_audit
from workflows.commands.themes import action_themes
from workflows.commands.transitions import MAX_EVIDENCE_BYTES, TransitionCommand, take_transition
from workflows.context import ActionKey, Principal, digest
from workflows.errors import InvalidInput, NotVisible
from workflows.queries import desk
from workflows.queries.actions import ActionQuery
from workflows.queries.ladders import Position, ladder_positions
from workflows.queries.reviews import review_summaries
from workflows.runtime.container import App
from workflows.runtime.working_days import england_and_wales

log = structlog.get_logger(__name__)
router = APIRouter(include_in_schema=False)
MAX_FILES = 20
"""Evidence files in one submission, as the API's limit."""


def _safe_next(target: str) -> str:
    """Only a path on this site: never an open redirect."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


SIGN_IN_NOTES = {"password-set": "password set: sign in with it (your API tokens were revoked: make new ones)"}
"""What the sign-in page may say above the form: by key, so no link can put its own words there."""


@router.get("/sign-in")
async def sign_in_form(request: Request, next: str = "/", done: str = "") -> Response:
    csrf = sign_in_token(request)
    note = SIGN_IN_NOTES.get(done, "")
    page = await render(request, "sign_in.html", None, csrf=csrf, next=_safe_next(next), email="", flash=note)
    remember_sign_in_token(page, request, csrf)
    return page


@router.post("/sign-in")
async def sign_in_submit(
    request: Request,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    check_sign_in_csrf(request, csrf)
    app = dhr(request)
    try:
        client = request.client.host if request.client else ""  # the peer: a proxy's header is not trusted
        done = await sign_in(email.strip(), password, uow_factory=app.uow, clock=app.clock, client=client)
    except (SignInRefused, SignInLocked) as exc:
        status = 429 if isinstance(exc, SignInLocked) else 401
        return await render(
            request, "sign_in.html", None, status, csrf=csrf, next=_safe_next(next), email=email, error=str(exc)
        )
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        await sign_out(old, uow_factory=app.uow, clock=app.clock)  # the id changes at sign-in
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session(response, request, done.session_token)
    return response


@router.get("/password-reset")
async def reset_request_form(request: Request) -> Response:
    csrf = sign_in_token(request)
    page = await render(request, "password_reset_request.html", None, csrf=csrf, sent=False)
    remember_sign_in_token(page, request, csrf)
    return page


@router.post("/password-reset")
async def reset_request_submit(
    request: Request, email: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = ""
) -> Response:
    """The same answer whether or not the address is someone's: the form tells nobody who has an account."""
    check_sign_in_csrf(request, csrf)
    app = dhr(request)
    link = await request_password_reset(email.strip(), uow_factory=app.uow, clock=app.clock)
    page = await render(request, "password_reset_request.html", None, csrf=csrf, sent=True)
    if link is not None:
        # Sent after the answer has gone, so the answer takes as long, and says the same, for any address.
        page.background = BackgroundTask(_send_reset, link)
    return page


async def _send_reset(link: ResetLink) -> None:
    key = f"password_reset:{digest(link.token)[:16]}"
    try:
        mail = NotifySettings()
    except ValidationError:
        log.warning("password_reset_mail_settings_invalid")  # the person asks again once mail is set up
        return
    if not await send_reset_link(link.email, link.name, link.token, link.expires_at, mail, key):
        log.warning("password_reset_mail_not_sent", key=key)


@router.get("/password-reset/{token}")
async def reset_form(request: Request, token: str) -> Response:
    csrf = sign_in_token(request)
    page = await render(request, "password_reset_form.html", None, csrf=csrf, token=token, minimum=MIN_PASSWORD)
    remember_sign_in_token(page, request, csrf)
    return page


@router.post("/password-reset/{token}")
async def reset_submit(
    request: Request,
    token: str,
    password: Annotated[str, Form()] = "",
    again: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_sign_in_csrf(request, csrf)
    app = dhr(request)
    error = "the two passwords differ" if password != again else ""
    if not error:
        try:
            await reset_password(token, password, uow_factory=app.uow, clock=app.clock)
        except (ResetRefused, InvalidInput) as exc:
            error = str(exc)
    if error:
        context = {"csrf": csrf, "token": token, "minimum": MIN_PASSWORD, "error": error}
        return await render(request, "password_reset_form.html", None, 422, **context)
    return RedirectResponse("/sign-in?done=password-set", status_code=303)


@router.post("/sign-out")
async def sign_out_submit(request: Request, principal: Signed, csrf: Annotated[str, Form()] = "") -> Response:
    check_csrf(principal, csrf)
    app = dhr(request)
    await sign_out(request.cookies.get(SESSION_COOKIE, ""), uow_factory=app.uow, clock=app.clock)
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/")
async def inbox_page(request: Request, principal: Signed, done: str = "") -> Response:
    app = dhr(request)
    items = await desk.inbox(app.reader, principal, today=app.clock.today(), policy=app.rag_policy)
    return await render(
        request,
        "inbox.html",
        principal,
        items=items,
        here="inbox",
        flash=done,
    )


@router.get("/actions")
async def actions_page(
    request: Request,
    principal: Signed,
    review: str = "",
    state: str = "",
    rag: str = "",
    overdue: str = "",
    scope: str = "",
    reported: str = "",
) -> Response:
    app = dhr(request)
    states = tuple(s for s in [state] if s in {str(x) for x in State})
    rags = tuple(Rag(r) for r in [rag] if r in {str(x) for x in Rag})
    query = ActionQuery(
        review_ref=review or None,
        states=states,
        rags=rags,
        overdue=bool(overdue),
        scope=Scope(scope) if scope in {str(x) for x in Scope} else None,
        reported_complete=bool(reported),
    )
    items = await desk.visible_actions(app.reader, principal, query, today=app.clock.today(), policy=app.rag_policy)
    summaries = await review_summaries(app.reader, today=app.clock.today(), policy=app.rag_policy)
    partnership = await desk.partnership_name(app.reader, principal)
    return await render(
        request,
        "actions.html",
        principal,
        items=items,
        query=query,
        here="actions",
        reviews=[s.review_ref for s in summaries if s.partnership == partnership],
        states=[str(s) for s in State],
        rags=[str(r) for r in Rag],
        scopes=[str(s) for s in Scope],
    )


@router.get("/actions/{action_id}")
async def action_view(request: Request, principal: Signed, action_id: Id, done: str = "") -> Response:
    return await _action_response(request, principal, action_id, flash=done)


async def _action_response(
    request: Request, principal: Principal, action_id: int, status: int = 200, flash: str = "", error: str = ""
) -> Response:
    app = dhr(request)
    page = await desk.action_page(app.reader, principal, action_id, today=app.clock.today(), policy=app.rag_policy)
    themes = await action_themes(app.reader, principal.person.partnership_id, action_id)
    return await render(
        request,
        "action.html",
        principal,
        status,
        a=page.detail.action,
        page=page,
        timeline=page.detail.timeline,
        evidence=page.detail.evidence,
        powers=[_powers(p) for p in (_own(page), *page.stand_ins)],
        themes=themes,
        may_set_themes=principal.person.role is Role.COORDINATOR,
        flash=flash,
        error=error,
        here="actions",
    )


def _own(page: desk.ActionPage) -> desk.Powers:
    return desk.Powers(page.moves, page.may_request_extension, page.may_decide_extension, page.lead_choices)


def _powers(p: desk.Powers) -> dict[str, Any]:
    """What the action page offers one actor: its moves as the form needs them, and the other forms."""
    moves = [{"label": m.label, "event": str(m.event), "guards": [str(g) for g in m.guards]} for m in p.moves]
    return {
        "moves": moves,
        "may_request_extension": p.may_request_extension,
        "may_decide_extension": p.may_decide_extension,
        "lead_choices": p.lead_choices,
        "for_email": p.for_email,
        "for_name": p.for_name,
    }


@router.post("/actions/{action_id}/transitions")
async def transition_submit(request: Request, principal: Signed, action_id: Id) -> Response:
    """A step on the action, with the form's note, reason and evidence files.

    The form is read here rather than declared as parameters: FastAPI reads declared form fields, files and
    all (up to 64 MB), before any check of ours runs, so a viewer's upload was taken in whole only to be
    refused. Whether the person could move this action at all is known from the session and the path alone,
    so it is checked first; the CSRF token is in the form, so it is checked once the form is read.
    """
    app = dhr(request)
    await desk.check_may_move(app.reader, principal, action_id, app.clock.today())
    async with request.form() as form:
        check_csrf(principal, form_text(form, "csrf"))
        event, version = form_text(form, "event"), form_text(form, "version").strip()
        try:
            chosen = Event(event)
        except ValueError:
            return await _action_response(request, principal, action_id, 422, error=f"no such move: {event!r}")
        if version and not (version.isascii() and version.isdigit() and int(version) <= MAX_VERSION):
            return await _action_response(request, principal, action_id, 422, error=f"no such version: {version!r}")
        uploads = [u for u in form.getlist("files") if isinstance(u, UploadFile) and u.filename]
        if len(uploads) > MAX_FILES:
            return await _action_response(
                request, principal, action_id, 422, error=f"at most {MAX_FILES} files at once: send the rest next"
            )
        sent = [(u.filename or "evidence", await u.read(MAX_EVIDENCE_BYTES + 1)) for u in uploads]
        command = TransitionCommand(
            principal.person.email,
            ActionKey.by_id(action_id),
            chosen,
            reason=form_text(form, "reason"),
            note=form_text(form, "note"),
            uploads=sent,
            expected_version=int(version) if version else None,
            on_behalf_of=form_text(form, "on_behalf_of") or None,
        )
    try:
        result = await take_transition(command, uow_factory=app.uow, clock=app.clock, store=app.store)
    except Exception as exc:
        problem = problem_for(exc)
        if problem is None:
            raise
        return await _action_response(request, principal, action_id, problem.status, error=problem.detail)
    done = (
        f"{result.action_ref}: {str(result.event).replace('_', ' ')} done, now {str(result.to_state).replace('_', ' ')}"
    )
    return RedirectResponse(done_url(f"/actions/{action_id}", done), status_code=303)


MAX_VERSION = 2**31 - 1
"""An action's version is a 32-bit column, as the API bounds ``expected_version``."""


async def _act(
    request: Request, principal: Principal, action_id: int, work: Callable[[ActionKey], Awaitable[None]], done: str
) -> Response:
    """Run ``work(key)`` for a form on the action page: back to the page with what happened or why not."""
    app = dhr(request)
    key = await desk.action_key(app.reader, principal, action_id, app.clock.today())
    try:
        await work(key)
    except Exception as exc:
        problem = problem_for(exc)
        if problem is None:
            raise
        return await _action_response(request, principal, action_id, problem.status, error=problem.detail)
    return RedirectResponse(done_url(f"/actions/{action_id}", done), status_code=303)


@router.post("/actions/{action_id}/extension")
async def extension_submit(
    request: Request,
    principal: Signed,
    action_id: Id,
    to: Annotated[Day, Form()],
    reason: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    on_behalf_of: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(principal, csrf)
    app = dhr(request)
    email, for_ = principal.person.email, on_behalf_of or None

    async def work(key: ActionKey) -> None:
        await request_extension(email, key, to, reason, uow_factory=app.uow, clock=app.clock, on_behalf_of=for_)

    return await _act(request, principal, action_id, work, f"extension to {to} asked for")


@router.post("/actions/{action_id}/extension/decision")
async def extension_decision_submit(
    request: Request,
    principal: Signed,
    action_id: Id,
    approve: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    on_behalf_of: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(principal, csrf)
    app = dhr(request)
    yes, email, for_ = approve == "1", principal.person.email, on_behalf_of or None

    async def work(key: ActionKey) -> None:
        await decide_extension(email, key, yes, reason, uow_factory=app.uow, clock=app.clock, on_behalf_of=for_)

    return await _act(request, principal, action_id, work, "extension approved" if yes else "extension refused")


@router.post("/actions/{action_id}/reassign")
async def reassign_submit(
    request: Request,
    principal: Signed,
    action_id: Id,
    to: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
    on_behalf_of: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(principal, csrf)
    app = dhr(request)
    email, for_ = principal.person.email, on_behalf_of or None

    async def work(key: ActionKey) -> None:
        await reassign_lead(email, key, to, uow_factory=app.uow, clock=app.clock, on_behalf_of=for_)

    return await _act(request, principal, action_id, work, f"lead officer is now {to}")


@router.get("/actions/{action_id}/evidence/{evidence_id}")
async def evidence_download(request: Request, principal: Signed, action_id: Id, evidence_id: Id) -> Response:
    app = dhr(request)
    found = await desk.evidence_file(app.uow, principal, action_id, evidence_id, store=app.store, clock=app.clock)
    name = quote(found.name)
    return Response(
        found.content,
        media_type=found.content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{name}",
            "X-Content-Type-Options": "nosniff",
            "Digest": f"sha-256={found.sha256}",
        },
    )


@router.get("/reviews")
async def reviews_page(request: Request, principal: Signed, done: str = "") -> Response:
    app = dhr(request)
    partnership = await desk.partnership_name(app.reader, principal)
    today = app.clock.today()
    summaries = [
        s
        for s in await review_summaries(app.reader, today=today, policy=app.rag_policy)
        if s.partnership == partnership
    ]
    overdue = await desk.visible_actions(
        app.reader, principal, ActionQuery(overdue=True), today=today, policy=app.rag_policy
    )
    colours = [str(r) for r in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, Rag.GREY)]
    positions: dict[str, list[Position]] = {}
    for p in await ladder_positions(app.reader, principal, today=today, calendar=england_and_wales()):
        positions.setdefault(p.review_ref, []).append(p)
    return await render(
        request,
        "reviews.html",
        principal,
        summaries=summaries,
        overdue=overdue,
        positions=positions,
        # Who the person may start and sign off final audits for: themselves, and any assurer they stand in for.
        signers=(
            [None] * (principal.person.role is Role.PARTNERSHIP_ASSURER)
            + [
                p
                for p in await standing_in_for(app.reader, principal.person.id, today)
                if p.role is Role.PARTNERSHIP_ASSURER
            ]
        ),
        colours=colours,
        here="reviews",
        flash=done,
        documents=may_read_partnership_documents(principal.actor),
    )


async def _signers(app: App, principal: Principal, today: date) -> list[Person | None]:
    """Who the person may start and sign off final audits as: themselves (``None``) if an assurer, and each
    assurer they stand in for today."""
    assurer = Role.PARTNERSHIP_ASSURER
    own: list[Person | None] = [None] if principal.person.role is assurer else []
    return own + [p for p in await standing_in_for(app.reader, principal.person.id, today) if p.role is assurer]


@router.get("/reviews/{review_id}")
async def review_link(review_id: Id, principal: Signed) -> Response:
    """Where a notification about a review links: the reviews page (one page holds them all)."""
    return RedirectResponse("/reviews", status_code=303)


@router.post("/reviews/final-audit")
async def final_audit_submit(
    request: Request,
    principal: Signed,
    review: Annotated[str, Form()],
    step: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
    on_behalf_of: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(principal, csrf)
    app = dhr(request)
    email, for_ = principal.person.email, on_behalf_of or None
    if step == "start":
        await start_final_audit(email, review, uow_factory=app.uow, clock=app.clock, on_behalf_of=for_)
        done = f"{review}: final audit started"
    else:
        signed = await sign_off_plan(email, review, uow_factory=app.uow, clock=app.clock, on_behalf_of=for_)
        done = f"{review}: plan signed off, snapshot SHA-256 {signed.sha256}"
    return RedirectResponse(done_url("/reviews", done), status_code=303)


def _operator(principal: Principal) -> None:
    if principal.person.role not in (Role.COORDINATOR, Role.PARTNERSHIP_ASSURER):
        raise NotVisible("the notifications page is for the partnership's coordinator and assurers")


@router.get("/notifications")
async def notifications_page(request: Request, principal: Signed, done: str = "") -> Response:
    _operator(principal)
    letters = await dead_letters(dhr(request).reader, partnership_id=principal.person.partnership_id)
    return await render(request, "notifications.html", principal, letters=letters, here="notifications", flash=done)


@router.post("/notifications/retry")
async def notifications_retry(
    request: Request, principal: Signed, row: Annotated[str, Form()], csrf: Annotated[str, Form()] = ""
) -> Response:
    check_csrf(principal, csrf)
    _operator(principal)
    app = dhr(request)
    row_id = None if row == "all" else int(row) if row.isdigit() and int(row) <= MAX_ID else -1
    ids = await requeue(row_id, uow_factory=app.uow, clock=app.clock, partnership_id=principal.person.partnership_id)
    return RedirectResponse(done_url("/notifications", f"{len(ids)} requeued"), status_code=303)


@router.get("/escalations")
async def escalations_page(request: Request, principal: Signed, done: str = "") -> Response:
    app = dhr(request)
    items = await escalations(app.reader, mine=principal.person.email)
    stood_for = await standing_in_for(app.reader, principal.person.id, app.clock.today())
    as_deputy = [(p, await escalations(app.reader, mine=p.email)) for p in stood_for]
    return await render(
        request,
        "escalations.html",
        principal,
        items=items,
        as_deputy=[(p, found) for p, found in as_deputy if found],
        here="escalations",
        flash=done,
    )


@router.post("/escalations/{escalation_id}/acknowledge")
async def acknowledge_submit(
    request: Request,
    principal: Signed,
    escalation_id: Id,
    csrf: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    on_behalf_of: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(principal, csrf)
    app = dhr(request)
    email, for_ = principal.person.email, on_behalf_of or None
    await acknowledge(email, escalation_id, note, uow_factory=app.uow, clock=app.clock, on_behalf_of=for_)
    return RedirectResponse(done_url("/escalations", f"escalation {escalation_id} acknowledged"), status_code=303)
