"""My tasks for the caller: everything that waits on them (``workflows.queries.tasks``)."""

from __future__ import annotations

from fastapi import Request

from web.api.common import ERRORS, Caller, Json, api_router
from web.security import dhr
from workflows.queries.tasks import grouped, tasks

router = api_router()


@router.get("/tasks", responses=ERRORS)
async def tasks_list(request: Request, caller: Caller) -> Json:
    """What waits on the caller, as themselves or as a deputy: the count, the count per kind, and the items
    (by kind, the oldest wait first), each with ``kind``, ``action_ref``, ``review_ref`` and ``since``."""
    app = dhr(request)
    found = await tasks(app.reader, caller, today=app.clock.today())
    return {
        "count": len(found),
        "groups": [{"kind": str(g.kind), "label": g.label, "count": g.count} for g in grouped(found)],
        "items": [t.to_json() for t in found],
    }
