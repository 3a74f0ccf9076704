"""A step on an action (submit, verify, reject, ...) from the action page's form, with its evidence files."""

from __future__ import annotations

from collections.abc import Awaitable

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from domain.characters import refused_character
from domain.states import Event
from web.drafts import Draft
from web.flash import done_url
from web.pages.actions import refused
from web.pages.common import Signed, form_text
from web.params import Id
from web.problems import problem_for
from web.refusals import draft_for
from web.security import check_csrf, dhr
from workflows.commands.transitions import MAX_EVIDENCE_BYTES, TransitionCommand, take_transition
from workflows.context import ActionKey
from workflows.queries import desk
from workflows.queries.story import STATE_WORDS, event_words

router = APIRouter(include_in_schema=False)

MAX_FILES = 20
"""Evidence files in one submission, as the API's limit."""

CONFIRMED = {
    Event.ASSURE: "Tick the box to confirm you have checked the evidence and assure this action",
    Event.WITHDRAW: "Tick the box to confirm the action is to be withdrawn",
}
"""Moves that cannot be undone ask for a ticked box, checked here (no script needed)."""

MAX_VERSION = 2**31 - 1
"""An action's version is a 32-bit column, as the API bounds ``expected_version``."""


def _shown(name: str) -> str:
    """A chosen file's name to show back: as the evidence errors show it, a control or bidi character escaped."""
    name = name[:200]
    return name if refused_character(name) is None else repr(name)


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
        typed = {name: form_text(form, name) for name in ("reason", "note") if form_text(form, name)}
        uploads = [u for u in form.getlist("files") if isinstance(u, UploadFile) and u.filename]
        names = [_shown(u.filename or "evidence") for u in uploads]
        seen, key = form_text(form, "seen"), (form_text(form, "form") or event)[:80]
        last = int(seen) if seen.isascii() and seen.isdigit() and len(seen) < 19 else 0

        def refuse(status: int, error: str, field: str = "") -> Awaitable[Response]:
            draft = Draft(key, error, field, typed, names[:MAX_FILES], seen=last)
            return refused(request, principal, action_id, status, draft)

        try:
            chosen = Event(event)
        except ValueError:
            return await refuse(422, f"no such move: {event!r}")
        if version and not (version.isascii() and version.isdigit() and int(version) <= MAX_VERSION):
            return await refuse(422, f"no such version: {version!r}")
        if len(uploads) > MAX_FILES:
            return await refuse(422, f"at most {MAX_FILES} files at once: send the rest next", "files")
        if chosen in CONFIRMED and form_text(form, "confirm") != "yes":
            return await refuse(422, CONFIRMED[chosen], "confirm")
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
        draft = draft_for(exc, key, typed, names, last)
        if draft is None:
            raise
        status = problem_for(exc)
        return await refused(request, principal, action_id, status.status if status else 422, draft)
    done = f"{result.action_ref}: {event_words(result.event)} — now {STATE_WORDS.get(result.to_state, '')}"
    return RedirectResponse(done_url(f"/actions/{action_id}", done), status_code=303)
