"""The home page, My tasks: what waits on the signed-in person (``workflows.queries.tasks``), by kind."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from web.pages.common import Signed
from web.security import dhr
from web.templating import render
from workflows.queries.tasks import grouped, tasks

router = APIRouter(include_in_schema=False)


@router.get("/")
async def inbox_page(request: Request, principal: Signed, done: str = "") -> Response:
    app = dhr(request)
    found = await tasks(app.reader, principal, today=app.clock.today())
    return await render(
        request,
        "inbox.html",
        principal,
        groups=grouped(found),
        task_total=len(found),
        here="inbox",
        flash=done,
    )
