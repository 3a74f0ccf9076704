"""API tokens page: a person creates a token for a script or another system (shown once), sees and revokes theirs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from web.flash import done_url
from web.pages.common import Signed
from web.params import Id
from web.security import check_csrf, dhr
from web.templating import render
from workflows.commands.accounts import api_tokens, create_api_token, revoke_api_token

router = APIRouter(include_in_schema=False)


async def _page(request: Request, principal: Signed, *, new_token: str = "", flash: str = "") -> Response:
    app = dhr(request)
    tokens = await api_tokens(principal.person.email, reader=app.reader)
    # A page that shows a secret is never kept by a browser or a proxy.
    response = await render(
        request, "tokens.html", principal, here="tokens", tokens=tokens, new_token=new_token, flash=flash
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/tokens")
async def tokens_page(request: Request, principal: Signed, done: str = "") -> Response:
    return await _page(request, principal, flash=done)


@router.post("/tokens")
async def token_create(
    request: Request, principal: Signed, name: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = ""
) -> Response:
    check_csrf(principal, csrf)
    app = dhr(request)
    token = await create_api_token(principal.person.email, name.strip(), uow_factory=app.uow, clock=app.clock)
    return await _page(request, principal, new_token=token, flash=f"token {name.strip()!r} created")


@router.post("/tokens/{token_id}/revoke")
async def token_revoke(
    request: Request, principal: Signed, token_id: Id, csrf: Annotated[str, Form()] = ""
) -> Response:
    check_csrf(principal, csrf)
    app = dhr(request)
    await revoke_api_token(principal.person.email, token_id, uow_factory=app.uow, clock=app.clock)
    return RedirectResponse(done_url("/tokens", "token revoked"), status_code=303)
