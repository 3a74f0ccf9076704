"""The partnership's decision log, a page at a time."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request

from web.api.common import ERRORS, Caller, Json, api_router
from web.params import MAX_ID
from web.security import dhr
from workflows.queries import desk

router = api_router()


@router.get("/log", responses=ERRORS)
async def log(
    request: Request,
    caller: Caller,
    after: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> Json:
    """The decision log, a page at a time (``after`` the last ``seq`` seen), for the partnership's own staff."""
    page = await desk.decision_log(dhr(request).reader, caller, after=after, limit=limit)
    return {"partnership": page.partnership, "decisions": page.decisions, "next_after": page.next_after}
