"""The actions list's bulk form: one move on the ticked actions, each its own decision, then back to the list
with its filters and a summary of what was done and what was refused, and why."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from web import bulk_sheets
from web.pages.actions import FILTERS, list_address, list_response
from web.pages.common import Signed, form_text
from web.params import MAX_ID
from web.problems import problem_for
from web.security import check_csrf, dhr
from workflows.commands.bulk import MAX_ACTIONS, BulkCommand, BulkMove, Seen, bulk_move
from workflows.context import ActionKey, Principal

router = APIRouter(include_in_schema=False)

MAX_VERSION = 2**31 - 1
"""An action's version is a 32-bit column, as the API bounds ``expected_version``."""


@router.post("/actions/bulk")
async def bulk_submit(request: Request, principal: Signed) -> Response:
    """Each ticked box names an action and the version the list showed (``id:version``): one moved since is
    refused as a conflict, not decided on a state the person did not see."""
    app = dhr(request)
    async with request.form() as form:
        check_csrf(principal, form_text(form, "csrf"))
        filters = {name: form_text(form, name)[:200] for name in FILTERS}
        ticks = [t for t in form.getlist("pick") if isinstance(t, str)][: MAX_ACTIONS + 1]
        chosen, comment, to = form_text(form, "move"), form_text(form, "comment"), form_text(form, "to")[:320]
        confirmed = form_text(form, "confirm") == "yes"
    seen = [s for s in map(_seen, ticks) if s is not None]
    picked = [s.action.action_id for s in seen if s.action.action_id is not None]

    async def refuse(error: str, field: str = "") -> Response:
        sheet = bulk_sheets.Sheet(chosen[:20], error=error, field=field, picked=picked, comment=comment, to=to)
        return await _answer(request, principal, filters, sheet, 422)

    if len(seen) != len(ticks):
        return await refuse("a ticked box names no action: reload the list and tick again", "pick")
    if not seen:
        return await refuse("tick at least one action", "pick")
    if chosen not in set(BulkMove):
        return await refuse("choose what to do with the ticked actions", "move")
    move = BulkMove(chosen)
    if move is BulkMove.ASSURE and not confirmed:
        return await refuse(bulk_sheets.CONFIRM, "confirm")
    command = BulkCommand(principal.person.email, move, seen, comment=comment, to=to)
    try:
        report = await bulk_move(command, uow_factory=app.uow, clock=app.clock, store=app.store)
    except Exception as exc:
        problem = problem_for(exc)
        if problem is None:
            raise
        field = next((f for f in ("comment", "lead officer") if f in problem.detail), "")
        return await refuse(problem.detail, {"lead officer": "to"}.get(field, field))
    return await _answer(request, principal, filters, bulk_sheets.of_report(report), 200)


def _seen(tick: str) -> Seen | None:
    """``id:version`` as the list wrote it; ``None`` for anything else."""
    action_id, _, version = tick.partition(":")
    if not (_number(action_id, MAX_ID) and _number(version, MAX_VERSION)) or int(action_id) < 1:
        return None
    return Seen(ActionKey.by_id(int(action_id)), int(version))


def _number(text: str, most: int) -> bool:
    return text.isascii() and text.isdigit() and len(text) < 20 and int(text) <= most


async def _answer(
    request: Request, principal: Principal, filters: dict[str, str], sheet: bulk_sheets.Sheet, status: int
) -> Response:
    """Back to the list with its filters, the sheet kept for it (POST-redirect-GET); when the sheet is too big
    for a cookie, the list itself with the sheet."""
    response = RedirectResponse(f"{list_address(filters)}#bulk", status_code=303)
    if bulk_sheets.keep(response, request, principal.person.id, sheet):
        return response
    return await list_response(request, principal, filters, sheet, status)
