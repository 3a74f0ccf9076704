"""A review's final audit from the reviews page: start it, then sign the plan off (a snapshot frozen, its SHA-256
shown)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from web.pages.common import Signed, page_number
from web.refusals import submitted
from web.security import check_csrf, dhr
from workflows.commands.final_audit import sign_off, start_final_audit
from workflows.errors import InvalidInput

router = APIRouter(include_in_schema=False)


@router.post("/reviews/final-audit")
async def final_audit_submit(
    request: Request,
    principal: Signed,
    review: Annotated[str, Form()],
    step: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
    on_behalf_of: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
    page: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(principal, csrf)
    app = dhr(request)
    email, for_ = principal.person.email, on_behalf_of or None

    async def work() -> str:
        if step != "start" and confirm != "yes":
            raise InvalidInput("tick the box to confirm the plan is complete before signing it off: nothing was signed")
        if step == "start":
            await start_final_audit(email, review, uow_factory=app.uow, clock=app.clock, on_behalf_of=for_)
            return f"{review}: final audit started"
        signed = await sign_off(email, review, uow_factory=app.uow, clock=app.clock, on_behalf_of=for_)
        return f"{review}: plan signed off, snapshot SHA-256 {signed.sha256}"

    form = f"signoff-{review}-{on_behalf_of}"
    back = f"page={page_number(page)}" if page_number(page) > 1 else ""  # the page of reviews the form was on
    return await submitted(request, principal, "/reviews", form, {"confirm": confirm}, work, query=back)
