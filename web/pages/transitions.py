"""A step on an action (submit, verify, reject, ...) from the action page's form, with its evidence files."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from domain.states import Event
from web.flash import done_url
from web.pages.actions import action_response
from web.pages.common import Signed, form_text
from web.params import Id
from web.problems import problem_for
from web.security import check_csrf, dhr
from workflows.commands.transitions import MAX_EVIDENCE_BYTES, TransitionCommand, take_transition
from workflows.context import ActionKey
from workflows.queries import desk

router = APIRouter(include_in_schema=False)

MAX_FILES = 20
"""Evidence files in one submission, as the API's limit."""

MAX_VERSION = 2**31 - 1
"""An action's version is a 32-bit column, as the API bounds ``expected_version``."""


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
            return await action_response(request, principal, action_id, 422, error=f"no such move: {event!r}")
        if version and not (version.isascii() and version.isdigit() and int(version) <= MAX_VERSION):
            return await action_response(request, principal, action_id, 422, error=f"no such version: {version!r}")
        uploads = [u for u in form.getlist("files") if isinstance(u, UploadFile) and u.filename]
        if len(uploads) > MAX_FILES:
            return await action_response(
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
        return await action_response(request, principal, action_id, problem.status, error=problem.detail)
    done = (
        f"{result.action_ref}: {str(result.event).replace('_', ' ')} done, now {str(result.to_state).replace('_', ' ')}"
    )
    return RedirectResponse(done_url(f"/actions/{action_id}", done), status_code=303)
