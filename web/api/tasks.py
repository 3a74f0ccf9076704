"""My tasks for the caller: everything that waits on them (``workflows.queries.tasks``), a slice at a time."""

from __future__ import annotations

from fastapi import Request, Response

from web.api.common import ERRORS, Caller, Cursor, Json, Limit, api_router, paged, set_next
from web.security import dhr
from workflows.queries.tasks import grouped, task_slice, tasks

router = api_router()


@router.get("/tasks", responses=paged(ERRORS))
async def tasks_list(
    request: Request, response: Response, caller: Caller, limit: Limit = 100, cursor: Cursor = None
) -> Json:
    """What waits on the caller, as themselves or as a deputy: the count, the count per kind (of everything
    waiting), and at most ``limit`` items (by kind, the oldest wait first), each with ``kind``,
    ``action_ref``, ``review_ref`` and ``since``; ``next`` (and the ``Link`` header's ``rel="next"``) is the
    cursor of the items that follow, ``null`` after the last."""
    app = dhr(request)
    found = await tasks(app.reader, caller, today=app.clock.today())
    items, following = task_slice(found, limit=limit, cursor=cursor)
    set_next(request, response, following)
    return {
        "count": len(found),
        "groups": [{"kind": str(g.kind), "label": g.label, "count": g.count} for g in grouped(found)],
        "items": [t.to_json() for t in items],
        "next": following,
    }
