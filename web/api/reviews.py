"""The reviews of the caller's partnership, with their RAG counts."""

from __future__ import annotations

from fastapi import Request

from web.api.common import ERRORS, Caller, Json, api_router
from web.security import dhr
from workflows.queries import desk
from workflows.queries.reviews import review_summaries

router = api_router()


@router.get("/reviews", responses=ERRORS)
async def reviews(request: Request, caller: Caller) -> list[Json]:
    app = dhr(request)
    mine = await desk.partnership_name(app.reader, caller)
    found = await review_summaries(app.reader, today=app.clock.today(), policy=app.rag_policy)
    return [s.to_json() for s in found if s.partnership == mine]
