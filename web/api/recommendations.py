"""The recommendations of the caller's partnership, with their status and actions, a slice at a time."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response

from web.api.common import ERRORS, Caller, Cursor, Json, Limit, api_router, paged, set_next
from web.security import dhr
from workflows.queries.recommendations import RecommendationQuery, one_scope, parse_status, recommendation_slice

router = api_router()

Filter = Annotated[str | None, Query(max_length=200)]


@router.get("/recommendations", responses=paged(ERRORS))
async def recommendations(
    request: Request,
    response: Response,
    caller: Caller,
    review: Filter = None,
    scope: Annotated[str | None, Query(max_length=20, description="local, regional or national")] = None,
    status: Annotated[
        str | None,
        Query(max_length=40, description="not_started, in_progress, implemented, partly_implemented, not_accepted"),
    ] = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> list[Json]:
    """The partnership's recommendations by review and number, each with its scope, addressee, status (derived
    from its actions), dates and the actions the caller may see; at most ``limit`` a call: when more follow,
    the ``Link`` header's ``rel="next"`` is the address of the next slice."""
    query = RecommendationQuery(review, one_scope(scope), parse_status(status))
    found, following = await recommendation_slice(dhr(request).reader, caller, query, limit=limit, cursor=cursor)
    set_next(request, response, following)
    return [v.to_json() for v in found]
