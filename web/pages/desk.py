"""The home page: what waits for the signed-in person (``workflows.queries.desk.inbox``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from web.pages.common import Signed
from web.security import dhr
from web.templating import render
from workflows.queries import desk

router = APIRouter(include_in_schema=False)


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
