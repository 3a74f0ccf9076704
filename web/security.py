"""Who a request acts as, and the checks every state-changing request passes.

Browsers sign in and carry a session cookie (HttpOnly, SameSite=Lax, Secure
over HTTPS); every form they post carries the session's CSRF token. The sign-in
form, before there is a session, uses a double-submit cookie. The API takes
bearer tokens only: a browser never sends one by itself, so it needs no CSRF
token.
"""

from __future__ import annotations

import secrets

from fastapi import Request, Response

from workflows.commands.accounts import session_principal, token_principal
from workflows.context import Principal
from workflows.runtime.container import App

SESSION_COOKIE = "dhrflow_session"
SIGN_IN_COOKIE = "dhrflow_sign_in"
_PRINCIPAL = "dhrflow.principal"
_API_PRINCIPAL = "dhrflow.api_principal"


class SignInNeeded(Exception):
    """A page needs a signed-in person; the handler sends them to the sign-in form."""


class CsrfFailed(Exception):
    def __init__(self) -> None:
        super().__init__("the form's security token is missing or stale: reload the page and try again")


class ApiSignInNeeded(Exception):
    def __init__(self) -> None:
        super().__init__("send an API token: Authorization: Bearer dhr_...")


def dhr(request: Request) -> App:
    app: App = request.app.state.dhr
    return app


async def optional_principal(request: Request) -> Principal | None:
    """The signed-in person of a browser request, if any (looked up once per request)."""
    # Cached in the request's own scope: ``request.state`` may be the lifespan's state, shared by all requests.
    if _PRINCIPAL not in request.scope:
        app = dhr(request)
        token = request.cookies.get(SESSION_COOKIE, "")
        request.scope[_PRINCIPAL] = await session_principal(token, reader=app.reader, clock=app.clock)
    found: Principal | None = request.scope[_PRINCIPAL]
    return found


async def page_principal(request: Request) -> Principal:
    principal = await optional_principal(request)
    if principal is None:
        raise SignInNeeded
    return principal


async def api_principal(request: Request) -> Principal:
    """The bearer token's holder, looked up once per request: a route may check its caller before its body
    (``web.before_body``), and its ``Depends`` asks again."""
    if _API_PRINCIPAL not in request.scope:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        bearer = token.strip() if scheme.lower() == "bearer" else ""
        request.scope[_API_PRINCIPAL] = await token_principal(bearer, reader=dhr(request).reader)
    principal: Principal | None = request.scope[_API_PRINCIPAL]
    if principal is None:
        raise ApiSignInNeeded
    return principal


def same_secret(expected: str, given: str) -> bool:
    """Whether ``given`` is ``expected``, in constant time; any text compares (as UTF-8), so a token or
    signature with non-ASCII characters is simply a wrong one, not the ``TypeError`` ``compare_digest``
    raises for such ``str``s."""
    return secrets.compare_digest(expected.encode(), given.encode())


def check_csrf(principal: Principal, submitted: str) -> None:
    if not principal.csrf_token or not same_secret(principal.csrf_token, submitted):
        raise CsrfFailed


def secure(request: Request) -> bool:
    """Cookies are marked Secure whenever the request came over HTTPS (behind a proxy: X-Forwarded-Proto,
    which uvicorn applies for trusted proxies)."""
    return request.url.scheme == "https"


def set_session(response: Response, request: Request, token: str) -> None:
    """A browser-session cookie (no expiry date: it goes when the browser closes); the server ends the
    session after ``workflows.commands.accounts.SESSION_HOURS`` whatever the browser keeps."""
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=secure(request), path="/")
    response.delete_cookie(SIGN_IN_COOKIE, path="/")


def sign_in_token(request: Request) -> str:
    """The sign-in form's CSRF token: the double-submit cookie's value, made on first sight."""
    return request.cookies.get(SIGN_IN_COOKIE) or secrets.token_urlsafe(24)


def remember_sign_in_token(response: Response, request: Request, token: str) -> None:
    response.set_cookie(SIGN_IN_COOKIE, token, httponly=True, samesite="lax", secure=secure(request), path="/")


def check_sign_in_csrf(request: Request, submitted: str) -> None:
    expected = request.cookies.get(SIGN_IN_COOKIE, "")
    if not expected or not same_secret(expected, submitted):
        raise CsrfFailed
