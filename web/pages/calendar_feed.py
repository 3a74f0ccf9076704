"""The deadline calendar: the page where a person makes or revokes their feed, and the feed (no sign-in:
the secret address is the key)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from web.flash import done_url
from web.pages.common import Signed
from web.security import check_csrf, dhr
from web.templating import render
from workflows.commands.calendar_feed import create_calendar_feed, revoke_calendar_feed
from workflows.queries.calendar_feed import calendar_feed, has_calendar_feed

router = APIRouter(include_in_schema=False)


async def _page(request: Request, principal: Signed, *, address: str = "", flash: str = "") -> Response:
    app = dhr(request)
    live = await has_calendar_feed(principal.person.email, reader=app.reader)
    return await render(request, "calendar.html", principal, here="calendar", live=live, address=address, flash=flash)


@router.get("/calendar")
async def calendar_page(request: Request, principal: Signed, done: str = "") -> Response:
    return await _page(request, principal, flash=done)


@router.post("/calendar")
async def calendar_create(request: Request, principal: Signed, csrf: Annotated[str, Form()] = "") -> Response:
    check_csrf(principal, csrf)
    app = dhr(request)
    token = await create_calendar_feed(principal.person.email, uow_factory=app.uow, clock=app.clock)
    address = f"{app.settings.base_url}/calendar/{token}.ics"  # never the request's Host: anyone can send one
    return await _page(request, principal, address=address, flash="calendar address made")


@router.post("/calendar/revoke")
async def calendar_revoke(request: Request, principal: Signed, csrf: Annotated[str, Form()] = "") -> Response:
    check_csrf(principal, csrf)
    app = dhr(request)
    await revoke_calendar_feed(principal.person.email, uow_factory=app.uow, clock=app.clock)
    return RedirectResponse(done_url("/calendar", "calendar address revoked"), status_code=303)


@router.get("/calendar/{token}.ics")
async def calendar_ics(request: Request, token: str) -> Response:
    app = dhr(request)
    body = await calendar_feed(token, reader=app.reader, clock=app.clock)
    if body is None:
        return Response("no such calendar\n", status_code=404, media_type="text/plain")
    return Response(body, media_type="text/calendar; charset=utf-8")
