"""What the API modules share: the caller (``Caller``, the holder of the bearer token), the errors every
route documents, bounded text fields, and ``api_router``, the router each module makes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
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


def api_router() -> APIRouter:
    """An API module's router. Its routes are ``CheckedFirst``: a route marked ``checked_first`` on a plain
    router would read its body before its caller is checked, silently."""
    return APIRouter(route_class=CheckedFirst)
