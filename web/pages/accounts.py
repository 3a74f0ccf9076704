"""A person's account: signing in and out, setting a password from a reset link, and the API tokens they make
for a script or another system (a new one shown once)."""

from __future__ import annotations

from typing import Annotated

import structlog
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.background import BackgroundTask

from notifications.account_mail import send_reset_link
from notifications.settings import NotifySettings
from web.flash import done_url
from web.pages.common import Signed
from web.params import Id
from web.refusals import submitted
from web.security import (
    SESSION_COOKIE,
    check_csrf,
    check_sign_in_csrf,
    dhr,
    remember_sign_in_token,
    set_session,
    sign_in_token,
)
from web.templating import render
from workflows.commands.accounts import (
    MIN_PASSWORD,
    ResetLink,
    ResetRefused,
    SignInLocked,
    SignInRefused,
    api_tokens,
    create_api_token,
    request_password_reset,
    reset_password,
    revoke_api_token,
    sign_in,
    sign_out,
)
from workflows.context import digest
from workflows.errors import InvalidInput

log = structlog.get_logger(__name__)
router = APIRouter(include_in_schema=False)


def _safe_next(target: str) -> str:
    """Only a path on this site: never an open redirect."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


SIGN_IN_NOTES = {"password-set": "password set: sign in with it (your API tokens were revoked: make new ones)"}
"""What the sign-in page may say above the form: by key, so no link can put its own words there."""


@router.get("/sign-in")
async def sign_in_form(request: Request, next: str = "/", done: str = "") -> Response:
    csrf = sign_in_token(request)
    note = SIGN_IN_NOTES.get(done, "")
    page = await render(request, "sign_in.html", None, csrf=csrf, next=_safe_next(next), email="", flash=note)
    remember_sign_in_token(page, request, csrf)
    return page


@router.post("/sign-in")
async def sign_in_submit(
    request: Request,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    check_sign_in_csrf(request, csrf)
    app = dhr(request)
    try:
        client = request.client.host if request.client else ""  # the peer: a proxy's header is not trusted
        done = await sign_in(email.strip(), password, uow_factory=app.uow, clock=app.clock, client=client)
    except (SignInRefused, SignInLocked) as exc:
        status = 429 if isinstance(exc, SignInLocked) else 401
        return await render(
            request, "sign_in.html", None, status, csrf=csrf, next=_safe_next(next), email=email, error=str(exc)
        )
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        await sign_out(old, uow_factory=app.uow, clock=app.clock)  # the id changes at sign-in
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session(response, request, done.session_token)
    return response


@router.get("/password-reset")
async def reset_request_form(request: Request) -> Response:
    csrf = sign_in_token(request)
    page = await render(request, "password_reset_request.html", None, csrf=csrf, sent=False)
    remember_sign_in_token(page, request, csrf)
    return page


@router.post("/password-reset")
async def reset_request_submit(
    request: Request, email: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = ""
) -> Response:
    """The same answer whether or not the address is someone's: the form tells nobody who has an account."""
    check_sign_in_csrf(request, csrf)
    app = dhr(request)
    link = await request_password_reset(email.strip(), uow_factory=app.uow, clock=app.clock)
    page = await render(request, "password_reset_request.html", None, csrf=csrf, sent=True)
    if link is not None:
        # Sent after the answer has gone, so the answer takes as long, and says the same, for any address.
        page.background = BackgroundTask(_send_reset, link)
    return page


async def _send_reset(link: ResetLink) -> None:
    key = f"password_reset:{digest(link.token)[:16]}"
    try:
        mail = NotifySettings()
    except ValidationError:
        log.warning("password_reset_mail_settings_invalid")  # the person asks again once mail is set up
        return
    if not await send_reset_link(link.email, link.name, link.token, link.expires_at, mail, key):
        log.warning("password_reset_mail_not_sent", key=key)


@router.get("/password-reset/{token}")
async def reset_form(request: Request, token: str) -> Response:
    csrf = sign_in_token(request)
    page = await render(request, "password_reset_form.html", None, csrf=csrf, token=token, minimum=MIN_PASSWORD)
    remember_sign_in_token(page, request, csrf)
    return page


@router.post("/password-reset/{token}")
async def reset_submit(
    request: Request,
    token: str,
    password: Annotated[str, Form()] = "",
    again: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_sign_in_csrf(request, csrf)
    app = dhr(request)
    error = "the two passwords differ" if password != again else ""
    if not error:
        try:
            await reset_password(token, password, uow_factory=app.uow, clock=app.clock)
        except (ResetRefused, InvalidInput) as exc:
            error = str(exc)
    if error:
        context = {"csrf": csrf, "token": token, "minimum": MIN_PASSWORD, "error": error}
        return await render(request, "password_reset_form.html", None, 422, **context)
    return RedirectResponse("/sign-in?done=password-set", status_code=303)


@router.post("/sign-out")
async def sign_out_submit(request: Request, principal: Signed, csrf: Annotated[str, Form()] = "") -> Response:
    check_csrf(principal, csrf)
    app = dhr(request)
    await sign_out(request.cookies.get(SESSION_COOKIE, ""), uow_factory=app.uow, clock=app.clock)
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def _tokens_page(request: Request, principal: Signed, *, new_token: str = "", flash: str = "") -> Response:
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
    return await _tokens_page(request, principal, flash=done)


@router.post("/tokens")
async def token_create(
    request: Request, principal: Signed, name: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = ""
) -> Response:
    check_csrf(principal, csrf)
    app = dhr(request)
    made: list[str] = []

    async def work() -> str:
        made.append(await create_api_token(principal.person.email, name.strip(), uow_factory=app.uow, clock=app.clock))
        return ""

    refused = await submitted(request, principal, "/tokens", "token", {"name": name}, work)
    if not made:  # back to the page as typed
        return refused
    # Not a redirect: a token is shown once, on this answer, and never again.
    return await _tokens_page(request, principal, new_token=made[0], flash=f"token {name.strip()!r} created")


@router.post("/tokens/{token_id}/revoke")
async def token_revoke(
    request: Request, principal: Signed, token_id: Id, csrf: Annotated[str, Form()] = ""
) -> Response:
    check_csrf(principal, csrf)
    app = dhr(request)
    await revoke_api_token(principal.person.email, token_id, uow_factory=app.uow, clock=app.clock)
    return RedirectResponse(done_url("/tokens", "token revoked"), status_code=303)
