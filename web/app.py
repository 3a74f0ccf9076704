"""``create_app``: the FastAPI application around an opened ``workflows.runtime.container.App``."""

from __future__ import annotations

import gc
import logging
import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.errors import DhrflowError
from web import api, pages
from web.problems import DATABASE_LOST, RETRY_AFTER_S, Problem, problem_for, way_back
from web.security import ApiSignInNeeded, CsrfFailed, SignInNeeded, optional_principal
from web.templating import render
from workflows.commands import accounts
from workflows.runtime.clock import Clock
from workflows.runtime.container import open_app
from workflows.runtime.observability import configure_logging
from workflows.runtime.settings import Settings

log = structlog.get_logger(__name__)

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


class SecurityHeaders:
    """Adds ``SECURITY_HEADERS`` (and ``no-store`` to all but the static files: every page is someone's) to
    every response.

    A plain ASGI middleware: Starlette's ``BaseHTTPMiddleware`` costs a task and a stream per request.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        personal = not scope["path"].startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if personal:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, with_headers)


MB = 1024 * 1024
LIMITS = (
    (re.compile(r"^(/api/v1)?/actions/\d+/transitions$"), 64 * MB),
    (re.compile(r"^(/api/v1/imports|/import)$"), 11 * MB),
)
"""Request body limits by path: evidence (several files, up to 25 MB each, 64 MB in all; base64 in the API),
a plan (10 MB); everything else is a form or a small JSON body."""
DEFAULT_LIMIT = 1 * MB


class TooLarge(StarletteHTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request is larger than {limit // MB} MB: send less at once")


class BodyLimit:
    """Refuses a request body over its path's limit (413) before it is read into memory or onto disk.

    A declared ``Content-Length`` over the limit is refused at the first read; a streamed body is counted.
    The refusal is raised from the read as an HTTP error, so the API answers with problem+json and a
    browser with the error page, whoever the sender is.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        limit = next((size for pattern, size in LIMITS if pattern.match(path)), DEFAULT_LIMIT)
        declared = dict(scope["headers"]).get(b"content-length", b"")
        seen = int(declared) if declared.isdigit() else 0

        async def counted() -> Message:
            nonlocal seen
            if seen > limit:
                raise TooLarge(limit)
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b"")) if not declared.isdigit() else 0
                if seen > limit:
                    raise TooLarge(limit)
            return message

        await self.app(scope, counted, send)


def create_app(settings: Settings, *, clock: Clock | None = None) -> FastAPI:
    """The web app and the API; the database opens when the app starts and closes when it stops."""

    @asynccontextmanager
    async def lifespan(web: FastAPI) -> AsyncIterator[None]:
        async with open_app(settings, clock=clock) as opened:
            web.state.dhr = opened
            await accounts.warm_up()
            # What is alive once started (the modules, the engine, the templates) lives as long as the process:
            # kept out of the collector's full passes, which otherwise walked it all and stalled a request by
            # 80 ms every few dozen (measured at 200,000 actions: the p95 of a 100-review list fell from 126 ms
            # to 41 ms).
            gc.collect()
            gc.freeze()
            try:
                yield
            finally:
                gc.unfreeze()

    web = FastAPI(
        title="dhrflow",
        version="1",
        summary="Domestic Homicide Review action plans: actions, decisions, escalations.",
        lifespan=lifespan,
        docs_url=None,  # the interactive docs load scripts from a CDN: offline machines serve the schema only
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        # Starlette answers "/actions/" with a redirect to an absolute URL built from the request's Host header:
        # "Host: evil.example" made it send people to evil.example. A path with a stray slash is a 404 instead.
        redirect_slashes=False,
    )
    web.include_router(pages.router)
    web.include_router(api.router, prefix="/api/v1")
    web.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")

    @web.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        """Where a browser looks for the icon without reading a page (the pages name the SVG)."""
        return RedirectResponse("/static/favicon.svg", status_code=301)

    web.add_middleware(BodyLimit)
    web.add_middleware(SecurityHeaders)

    async def expected(request: Request, exc: Exception) -> Response:
        problem = problem_for(exc)
        if problem is None:
            raise exc
        return _retry_later(await _answer(request, problem))

    async def database_lost(request: Request, exc: Exception) -> Response:
        # A connection dropped mid-transaction (a database restart, a failover, pg_terminate_backend):
        # the transaction rolled back, or committed just before; either way the caller is told, not a 500.
        assert isinstance(exc, DBAPIError)
        if not (exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError)):
            raise exc
        log.warning("database_connection_lost", error=type(exc.orig).__name__, path=request.url.path)
        return _retry_later(await _answer(request, Problem(503, "Try again shortly", DATABASE_LOST)))

    web.add_exception_handler(DhrflowError, expected)

    async def csrf_failed(request: Request, exc: Exception) -> Response:
        return await _answer(request, Problem(403, "Form expired", str(exc)))

    async def sign_in_needed(request: Request, exc: Exception) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/sign-in?next={quote(target)}", status_code=303)

    async def api_sign_in_needed(request: Request, exc: Exception) -> Response:
        response = await _answer(request, Problem(401, "Sign in first", str(exc)))
        response.headers["WWW-Authenticate"] = "Bearer"
        return response

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        where = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'] if p != 'body') or 'body'}: {e['msg']}" for e in exc.errors()[:5]
        )
        return await _answer(request, Problem(422, "Cannot accept this", where))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        return await _answer(request, Problem(exc.status_code, str(exc.detail), str(exc.detail)))

    web.add_exception_handler(DBAPIError, database_lost)
    web.add_exception_handler(CsrfFailed, csrf_failed)
    web.add_exception_handler(SignInNeeded, sign_in_needed)
    web.add_exception_handler(ApiSignInNeeded, api_sign_in_needed)
    web.add_exception_handler(RequestValidationError, invalid)
    web.add_exception_handler(StarletteHTTPException, http_error)
    return web


def from_environment() -> FastAPI:
    """The app on the settings of the environment: ``uvicorn web.app:from_environment --factory`` (web machines).

    Logs warnings and errors only (``DHRFLOW_LOG_LEVEL=INFO`` for every decision).
    """
    configure_logging(
        logging.getLevelNamesMapping().get(os.environ.get("DHRFLOW_LOG_LEVEL", "WARNING"), logging.WARNING)
    )
    return create_app(Settings())


def _retry_later(response: Response) -> Response:
    if response.status_code == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


async def _answer(request: Request, problem: Problem) -> Response:
    """``application/problem+json`` for the API, the error page for a browser."""
    if request.url.path.startswith("/api/"):
        return JSONResponse(problem.to_json(), status_code=problem.status, media_type="application/problem+json")
    principal = await optional_principal(request) if hasattr(request.app.state, "dhr") else None
    return await render(
        request,
        "error.html",
        principal,
        problem.status,
        title=problem.title,
        detail=problem.detail,
        back=way_back(request.url.path),
        code=problem.status,
        typed=getattr(request.state, "typed", {}),
    )
