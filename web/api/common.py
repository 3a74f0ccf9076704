"""What the API modules share: the caller (``Caller``, the holder of the bearer token), the errors every
route documents, bounded text fields, and ``api_router``, the router each module makes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import Field

from web.before_body import CheckedFirst
from web.security import api_principal
from workflows.context import MAX_TEXT_CHARS, Principal

Caller = Annotated[Principal, Depends(api_principal)]
Json = dict[str, Any]
_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No or a revoked API token"} | _PROBLEM,
    403: {"description": "Outside the caller's role or agency"} | _PROBLEM,
    404: {"description": "Not in the caller's partnership"} | _PROBLEM,
    409: {"description": "Stale version, or the state no longer allows it"} | _PROBLEM,
    422: {"description": "Bad input"} | _PROBLEM,
}
Text = Annotated[str, Field(max_length=MAX_TEXT_CHARS)]
OnBehalfOf = Annotated[str | None, Field(max_length=320)]
"""The email of the person the caller stands in for as deputy (``None``: the caller acts for themselves)."""


DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many items (default 100, at most 1,000).")]
Cursor = Annotated[
    str | None,
    Query(max_length=2000, description='Where to go on from: the cursor of the `Link` header\'s `rel="next"`.'),
]


def paged(responses: dict[int | str, dict[str, Any]]) -> dict[int | str, dict[str, Any]]:
    """``responses`` with the 200 of a list operation, whose ``Link`` header names the next slice."""
    link = {"description": 'The next slice, when there is one: `<address>; rel="next"`', "schema": {"type": "string"}}
    return {200: {"description": "A slice of the list", "headers": {"Link": link}}} | responses


def set_next(request: Request, response: Response, cursor: str | None) -> None:
    """Name the next slice of a list operation, if any: the same call with ``cursor`` (RFC 8288's ``Link``,
    relative to the call). The body stays the plain list it always was, so a caller that reads one slice reads
    what it did before; one that follows ``next`` reads every slice."""
    if cursor is not None:
        following = request.url.include_query_params(cursor=cursor)
        response.headers["Link"] = f'<{following.path}?{following.query}>; rel="next"'


def api_router() -> APIRouter:
    """An API module's router. Its routes are ``CheckedFirst``: a route marked ``checked_first`` on a plain
    router would read its body before its caller is checked, silently."""
    return APIRouter(route_class=CheckedFirst)
