"""The deputies page: name someone to act in your stead for a period, see and end the periods naming you.

The coordinator sees every period of the partnership and may name a deputy for anyone.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from domain.deputies import DELEGABLE
from domain.roles import Role
from web.flash import done_url
from web.pages.common import Signed
from web.params import Id, form_day
from web.refusals import submitted
from web.security import check_csrf, dhr
from web.templating import render
from workflows.commands.deputies import deputies, end_deputy, name_deputy
from workflows.queries import desk
from workflows.queries.people import people

router = APIRouter(include_in_schema=False)


@router.get("/deputies")
async def deputies_page(request: Request, principal: Signed, done: str = "") -> Response:
    app = dhr(request)
    me, today = principal.person, app.clock.today()
    coordinator = me.role is Role.COORDINATOR
    short = await desk.partnership_name(app.reader, principal)
    if coordinator:
        listing = await deputies(app.reader, today=today, partnership=short)
    else:
        listing = await deputies(app.reader, today=today, person_email=me.email)
    everyone = [p for p, _ in await people(app.reader, short)]
    return await render(
        request,
        "deputies.html",
        principal,
        here="deputies",
        listing=listing,
        coordinator=coordinator,
        may_delegate=coordinator or me.role in DELEGABLE,
        principals=[p for p in everyone if p.role in DELEGABLE] if coordinator else [me],
        candidates=[p for p in everyone if p.role is not Role.VIEWER and (coordinator or p.id != me.id)],
        today=today,
        flash=done,
    )


@router.post("/deputies")
async def deputy_submit(
    request: Request,
    principal: Signed,
    deputy: Annotated[str, Form()],
    starts_on: Annotated[str, Form(max_length=40)] = "",
    ends_on: Annotated[str, Form(max_length=40)] = "",
    reason: Annotated[str, Form()] = "",
    principal_email: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(principal, csrf)
    app = dhr(request)
    me = principal.person.email

    async def work() -> str:
        starts, ends = form_day(starts_on, "starts_on"), form_day(ends_on, "ends_on")
        view = await name_deputy(
            me, principal_email or me, deputy, starts, ends, reason, uow_factory=app.uow, clock=app.clock
        )
        return f"{view.deputy} stands in for {view.principal} from {view.starts_on} to {view.ends_on}"

    typed = {"principal_email": principal_email, "deputy": deputy, "starts_on": starts_on, "ends_on": ends_on}
    return await submitted(request, principal, "/deputies", "deputy", typed | {"reason": reason}, work)


@router.post("/deputies/{period_id}/end")
async def deputy_end(
    request: Request,
    principal: Signed,
    period_id: Id,
    reason: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(principal, csrf)
    app = dhr(request)
    view = await end_deputy(principal.person.email, period_id, reason, uow_factory=app.uow, clock=app.clock)
    done = f"{view.deputy} no longer stands in for {view.principal}"
    return RedirectResponse(done_url("/deputies", done), status_code=303)
