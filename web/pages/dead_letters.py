"""The notifications page: mail that could not be sent, for the coordinator and the assurers to send again."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from web.flash import done_url
from web.pages.common import Signed
from web.params import MAX_ID
from web.security import check_csrf, dhr
from web.templating import render
from workflows.commands.dead_letters import dead_letters, requeue
from workflows.context import Principal
from workflows.errors import NotVisible
from workflows.queries.mail_trouble import OPERATORS

router = APIRouter(include_in_schema=False)


def operator(principal: Principal) -> None:
    if principal.person.role not in OPERATORS:
        raise NotVisible("the notifications page is for the partnership's coordinator and assurers")


@router.get("/notifications")
async def notifications_page(request: Request, principal: Signed, done: str = "") -> Response:
    operator(principal)
    letters = await dead_letters(dhr(request).reader, partnership_id=principal.person.partnership_id)
    sink = dhr(request).settings.mail_sink_dir is not None
    return await render(
        request, "notifications.html", principal, letters=letters, here="notifications", flash=done, sink=sink
    )


@router.post("/notifications/retry")
async def notifications_retry(
    request: Request, principal: Signed, row: Annotated[str, Form()], csrf: Annotated[str, Form()] = ""
) -> Response:
    check_csrf(principal, csrf)
    operator(principal)
    app = dhr(request)
    row_id = None if row == "all" else int(row) if row.isdigit() and int(row) <= MAX_ID else -1
    ids = await requeue(row_id, uow_factory=app.uow, clock=app.clock, partnership_id=principal.person.partnership_id)
    return RedirectResponse(done_url("/notifications", f"{len(ids)} requeued"), status_code=303)
