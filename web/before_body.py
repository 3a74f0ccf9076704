"""API routes that check their caller before the request's body is read.

FastAPI reads a route's declared body (JSON, or a form and its files) before it solves the route's
dependencies, so a ``Depends`` that refuses the caller runs only once the body is parsed: a viewer's 61 MB of
base64 evidence was decoded to be refused. A page reads its form by hand after the check
(``web.pages.transitions.transition_submit``); an API route keeps its declared body, as the OpenAPI schema is
made from it, and names a check of the caller, from the headers and the path alone, that runs before the body
is read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from fastapi import Request, Response
from fastapi.routing import APIRoute
from pydantic import TypeAdapter, ValidationError

from web.params import Id

CallerCheck = Callable[[Request], Awaitable[None]]
"""Raises to refuse the request (``ApiSignInNeeded``, ``NotVisible``, ...): its usual answer, body unread."""

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])

_CHECK = "dhrflow_before_body"
_ID: TypeAdapter[int] = TypeAdapter(Id)


def checked_first(check: CallerCheck) -> Callable[[Endpoint], Endpoint]:
    """Mark an endpoint of a router whose ``route_class`` is ``CheckedFirst``: ``check`` runs before its body
    is read. Put it under the router's decorator."""

    def mark(endpoint: Endpoint) -> Endpoint:
        setattr(endpoint, _CHECK, check)
        return endpoint

    return mark


class CheckedFirst(APIRoute):
    """A route that runs its endpoint's ``checked_first`` check, if it has one, before FastAPI's handler."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        check: CallerCheck | None = getattr(self.endpoint, _CHECK, None)
        if check is None:
            return handler

        async def checked(request: Request) -> Response:
            await check(request)
            return await handler(request)

        return checked


def path_id(request: Request, name: str) -> int | None:
    """The id in the path parameter ``name``; ``None`` when it is not one (FastAPI answers that with its 422)."""
    try:
        return _ID.validate_python(request.path_params.get(name, ""))
    except ValidationError:
        return None
