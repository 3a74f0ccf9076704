"""The reviews of the caller's partnership, with their RAG counts, a slice at a time."""

from __future__ import annotations

from fastapi import Request, Response

from web.api.common import ERRORS, Caller, Cursor, Json, Limit, api_router, paged, set_next
from web.security import dhr
from workflows.queries.reviews import review_slice

router = api_router()


@router.get("/reviews", responses=paged(ERRORS))
async def reviews(
    request: Request, response: Response, caller: Caller, limit: Limit = 100, cursor: Cursor = None
) -> list[Json]:
    """The partnership's reviews by ref, at most ``limit`` a call: when more follow, the ``Link`` header's
    ``rel="next"`` is the address of the next slice."""
    app = dhr(request)
    pid = caller.person.partnership_id
    found, following = await review_slice(
        app.reader, pid, limit=limit, cursor=cursor, today=app.clock.today(), policy=app.rag_policy
    )
    set_next(request, response, following)
    return [s.to_json() for s in found]
