"""A refused form, said as people say it and placed beside the field it is about.

``draft_for`` turns the error a use case raised into a ``web.drafts.Draft``: the words for the page, the field
the error belongs beside, and whether someone else changed the action meanwhile (then the page shows what
they did). ``submitted`` runs any other page's form the same way: back to its page with what was done, or,
refused, with what was typed and why. The API keeps the errors' own words.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from domain.errors import DhrflowError, ErrorKind, GuardFailed
from domain.evidence import EvidenceRefused
from web import drafts
from web.drafts import Draft
from web.flash import done_url
from web.problems import problem_for
from workflows.context import Principal
from workflows.errors import EvidenceFileError

_GUARD_FIELDS = {"reason_given": "reason", "note_given": "note", "evidence_given": "note"}

STALE = (
    "Someone else changed this action since you opened it, so nothing of yours was saved. "
    "What they did is shown here; your text is kept below: check it and send it again if it still applies."
)


def draft_for(exc: Exception, form: str, fields: dict[str, str], files: list[str], seen: int) -> Draft | None:
    """The draft a refusal leaves; ``None`` for a bug (the caller re-raises)."""
    problem = problem_for(exc)
    if problem is None:
        return None
    kind = exc.kind if isinstance(exc, DhrflowError) else None
    if kind in (ErrorKind.CONFLICT, ErrorKind.NOT_NOW):
        return Draft(form, STALE, "", fields, files, stale=True, seen=seen)
    if isinstance(exc, GuardFailed):
        words = exc.reason[:1].upper() + exc.reason[1:]
        return Draft(form, words, _GUARD_FIELDS.get(exc.guard, ""), fields, files, seen=seen)
    if isinstance(exc, EvidenceRefused | EvidenceFileError):
        return Draft(form, str(exc), "files", fields, files, seen=seen)
    return Draft(form, problem.detail, _field_named(problem.detail, fields), fields, files, seen=seen)


def _field_named(detail: str, fields: dict[str, str]) -> str:
    """The field a plain message is about, when it names one the form has (``reason``, ``date``)."""
    lowered = detail.lower()
    if "date" in lowered and "to" in fields:
        return "to"
    return next((name for name in ("reason", "note") if name in lowered and name in fields), "")


async def submitted(
    request: Request,
    principal: Principal,
    page: str,
    form: str,
    fields: dict[str, str],
    work: Callable[[], Awaitable[str]],
    *,
    query: str = "",
) -> Response:
    """Run a page's form: ``work`` returns what was done, said back on ``page`` (POST-redirect-GET). Refused
    for what was typed (bad input, a conflict, not now), the form comes back on ``page`` (``#form-<form>``)
    filled in with ``fields`` as typed, the error beside the field it names. A refusal no retyping mends
    (not theirs to do, nothing there), a bug, or a draft too big to keep goes to the error page as before,
    with its status. ``query`` (``page=3``) returns to the page of a list the form was on."""
    address = f"{page}?{query}" if query else page
    try:
        done = await work()
    except Exception as exc:
        problem = problem_for(exc)
        if problem is None:
            raise
        typed = {name: value for name, value in fields.items() if value}
        if problem.status in (401, 403, 404):
            request.state.typed = typed  # the error page shows it to copy: nothing typed is lost
            raise
        draft = Draft(form[:80], problem.detail, _field_of(problem.detail, fields), typed)
        response = RedirectResponse(f"{address}#form-{form}", status_code=303)
        if drafts.keep(response, request, principal.person.id, page, draft):
            return response
        request.state.typed = typed  # too long to carry back: the error page shows it to copy
        raise
    return RedirectResponse(done_url(address, done), status_code=303)


def _field_of(detail: str, fields: dict[str, str]) -> str:
    """The first of the form's fields the message names as a word (``email``, ``reason``), else none: the
    error then stands at the top of the form. What the message quotes back (the typed value) is not read:
    an address typed as ``name@x.org`` must not put the error beside the name."""
    said = re.sub(r"'[^']*'|\"[^\"]*\"", " ", detail.lower())
    words = set(re.findall(r"[a-z_]+", said))
    return next((name for name in fields if name in words or name.replace("_", " ") in said), "")
