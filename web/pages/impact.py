"""The action page's impact form: the partnership assurer records whether the assured action changed practice,
against the plan's success measure shown beside it (``impact_confirmed`` with evidence, or ``impact_not_shown``
with a reason)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from domain.impact import ImpactOutcome
from domain.roles import Role
from web.drafts import Draft
from web.flash import done_url
from web.pages.actions import refused
from web.pages.common import Signed, form_text
from web.params import Id
from web.problems import problem_for
from web.refusals import draft_for
from web.security import check_csrf, dhr
from workflows.commands.impact import ImpactCommand, record_impact
from workflows.commands.transitions import MAX_EVIDENCE_BYTES
from workflows.errors import NotVisible
from workflows.queries import desk

router = APIRouter(include_in_schema=False)

FORM = "impact"
"""The form's key on the action page (a refusal comes back beside it)."""
MAX_FILES = 20


@router.post("/actions/{action_id}/impact")
async def impact_submit(request: Request, principal: Signed, action_id: Id) -> Response:
    """Read by hand, as the transitions form is: who may answer is known before any file is read."""
    app = dhr(request)
    if principal.person.role is not Role.PARTNERSHIP_ASSURER:
        raise NotVisible("the partnership assurer records impact")
    key = await desk.action_key(app.reader, principal, action_id, app.clock.today())
    async with request.form() as form:
        check_csrf(principal, form_text(form, "csrf"))
        typed = {n: form_text(form, n) for n in ("outcome", "reason", "note", "on") if form_text(form, n)}
        uploads = [u for u in form.getlist("files") if isinstance(u, UploadFile) and u.filename]
        names = [(u.filename or "evidence")[:200] for u in uploads]

        outcome_text, on = form_text(form, "outcome"), form_text(form, "on").strip()
        problem: tuple[str, str] | None = None
        if outcome_text not in {str(o) for o in ImpactOutcome}:
            problem = ("choose impact confirmed or impact not shown", "outcome")
        elif len(uploads) > MAX_FILES:
            problem = (f"at most {MAX_FILES} files at once", "files")
        decided_on = None
        if problem is None and on:
            try:
                decided_on = date.fromisoformat(on)
            except ValueError:
                problem = (f"{on!r} is not a date", "on")
        if problem is not None:
            return await refused(request, principal, action_id, 422, Draft(FORM, problem[0], problem[1], typed, names))
        sent = [(u.filename or "evidence", await u.read(MAX_EVIDENCE_BYTES + 1)) for u in uploads]
        command = ImpactCommand(
            principal.person.email,
            key,
            ImpactOutcome(outcome_text),
            reason=form_text(form, "reason"),
            note=form_text(form, "note"),
            uploads=sent,
            decided_on=decided_on,
        )
    try:
        result = await record_impact(command, uow_factory=app.uow, clock=app.clock, store=app.store)
    except Exception as exc:
        draft = draft_for(exc, FORM, typed, names, 0)
        status = problem_for(exc)
        if draft is None or status is None:
            raise
        return await refused(request, principal, action_id, status.status, draft)
    said = "impact confirmed" if result.outcome is ImpactOutcome.CONFIRMED else "impact not shown"
    return RedirectResponse(done_url(f"/actions/{action_id}", f"{result.action_ref}: {said}"), status_code=303)
