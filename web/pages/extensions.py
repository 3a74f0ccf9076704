"""The action page's other forms: ask for a later target date, approve or refuse it, and hand the action to
another lead officer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from web.flash import done_url
from web.pages.actions import refused
from web.pages.common import Signed
from web.params import Id, in_range
from web.problems import problem_for
from web.refusals import draft_for
from web.security import check_csrf, dhr
from workflows.commands.extensions import decide_extension, reassign_lead, request_extension
from workflows.context import ActionKey, Principal
from workflows.errors import InvalidInput
from workflows.queries import desk

router = APIRouter(include_in_schema=False)


async def _act(
    request: Request,
    principal: Principal,
    action_id: int,
    work: Callable[[ActionKey], Awaitable[None]],
    done: str,
    form: tuple[str, dict[str, str]],
) -> Response:
    """Run ``work(key)`` for a form on the action page: back to the page with what happened, or why not with
    the form's text (``form``: its key on the page and its typed fields) kept."""
    app = dhr(request)
    key = await desk.action_key(app.reader, principal, action_id, app.clock.today())
    try:
        await work(key)
    except Exception as exc:
        problem = problem_for(exc)
        draft = draft_for(exc, form[0][:80], {k: v for k, v in form[1].items() if v}, [], 0)
        if problem is None or draft is None:
            raise
        return await refused(request, principal, action_id, problem.status, draft)
    return RedirectResponse(done_url(f"/actions/{action_id}", done), status_code=303)


@router.post("/actions/{action_id}/extension")
async def extension_submit(
    request: Request,
    principal: Signed,
    action_id: Id,
    to: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    on_behalf_of: Annotated[str, Form()] = "",
    form: Annotated[str, Form()] = "",
) -> Response:
    """The date is read here, not by FastAPI: a date refused comes back beside its field, the reason kept."""
    check_csrf(principal, csrf)
    app = dhr(request)
    email, for_ = principal.person.email, on_behalf_of or None
    typed = {"to": to[:40], "reason": reason}

    async def work(key: ActionKey) -> None:
        try:
            day = in_range(date.fromisoformat(to.strip()))
        except ValueError as exc:
            said = str(exc) if to.strip() else "give the new target date"
            raise InvalidInput(said if "dhrflow keeps" in said or not to else f"{to!r} is not a date") from None
        await request_extension(email, key, day, reason, uow_factory=app.uow, clock=app.clock, on_behalf_of=for_)

    return await _act(request, principal, action_id, work, f"extension to {to} asked for", (form, typed))


@router.post("/actions/{action_id}/extension/decision")
async def extension_decision_submit(
    request: Request,
    principal: Signed,
    action_id: Id,
    approve: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    on_behalf_of: Annotated[str, Form()] = "",
    form: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(principal, csrf)
    app = dhr(request)
    yes, email, for_ = approve == "1", principal.person.email, on_behalf_of or None

    async def work(key: ActionKey) -> None:
        await decide_extension(email, key, yes, reason, uow_factory=app.uow, clock=app.clock, on_behalf_of=for_)

    done = "extension approved" if yes else "extension refused"
    return await _act(request, principal, action_id, work, done, (form, {"reason": reason}))


@router.post("/actions/{action_id}/reassign")
async def reassign_submit(
    request: Request,
    principal: Signed,
    action_id: Id,
    to: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
    on_behalf_of: Annotated[str, Form()] = "",
    form: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(principal, csrf)
    app = dhr(request)
    email, for_ = principal.person.email, on_behalf_of or None

    async def work(key: ActionKey) -> None:
        await reassign_lead(email, key, to, uow_factory=app.uow, clock=app.clock, on_behalf_of=for_)

    return await _act(request, principal, action_id, work, f"lead officer is now {to}", (form, {"to": to}))
