"""The home page, My tasks: what waits on the signed-in person (``workflows.queries.tasks``), by kind."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from web.pages.common import Signed
from web.security import dhr
from web.templating import render
from workflows.queries.tasks import TaskKind, grouped, tasks

router = APIRouter(include_in_schema=False)

SHOWN_PER_KIND = 50
"""Tasks a group shows (the longest waiting); the count says how many more wait, and where they are listed."""
ELSEWHERE = {
    TaskKind.VERIFY: "/actions?state=evidence_submitted&sort=target",
    TaskKind.ASSURE: "/actions?state=commissioner_verified&sort=target",
    TaskKind.ACKNOWLEDGE: "/escalations",
    TaskKind.OVERDUE: "/actions?overdue=1&sort=target",
}
"""Where the rest of a long group can be worked through: a list holding them (and, on the actions list, others
the person may see in the same state)."""


@router.get("/")
async def inbox_page(request: Request, principal: Signed, done: str = "") -> Response:
    app = dhr(request)
    found = await tasks(app.reader, principal, today=app.clock.today())
    return await render(
        request,
        "inbox.html",
        principal,
        groups=grouped(found),
        task_total=len(found),
        shown_per_kind=SHOWN_PER_KIND,
        elsewhere={str(k): v for k, v in ELSEWHERE.items()},
        here="inbox",
        flash=done,
    )
