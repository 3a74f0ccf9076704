"""The escalations page: the steps of a ladder that told the person (and those they stand in for), each to
acknowledge."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from web.pages.common import Signed
from web.params import Id
from web.refusals import submitted
from web.security import check_csrf, dhr
from web.templating import render
from workflows.commands.acknowledgements import acknowledge, escalations
from workflows.commands.deputies import standing_in_for

router = APIRouter(include_in_schema=False)


@router.get("/escalations")
async def escalations_page(request: Request, principal: Signed, done: str = "") -> Response:
    app = dhr(request)
    items = await escalations(app.reader, mine=principal.person.email)
    stood_for = await standing_in_for(app.reader, principal.person.id, app.clock.today())
    as_deputy = [(p, await escalations(app.reader, mine=p.email)) for p in stood_for]
    return await render(
        request,
        "escalations.html",
        principal,
        items=items,
        as_deputy=[(p, found) for p, found in as_deputy if found],
        here="escalations",
        flash=done,
    )


@router.post("/escalations/{escalation_id}/acknowledge")
async def acknowledge_submit(
    request: Request,
    principal: Signed,
    escalation_id: Id,
    csrf: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    on_behalf_of: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(principal, csrf)
    app = dhr(request)
    email, for_ = principal.person.email, on_behalf_of or None

    async def work() -> str:
        await acknowledge(email, escalation_id, note, uow_factory=app.uow, clock=app.clock, on_behalf_of=for_)
        return f"escalation {escalation_id} acknowledged"

    return await submitted(request, principal, "/escalations", f"ack-{escalation_id}", {"note": note}, work)
