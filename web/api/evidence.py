"""An action's evidence files, for whoever may see the action; every download is logged."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response

from web.api.common import ERRORS, Caller, api_router
from web.params import Id
from web.security import dhr
from workflows.queries import desk

router = api_router()


@router.get("/actions/{action_id}/evidence/{evidence_id}", responses=ERRORS)
async def evidence(
    request: Request,
    caller: Caller,
    action_id: Id,
    evidence_id: Id,
) -> Response:
    """The file, for someone who may see the action; every download is logged."""
    app = dhr(request)
    found = await desk.evidence_file(app.uow, caller, action_id, evidence_id, store=app.store, clock=app.clock)
    disposition = f"attachment; filename*=UTF-8''{quote(found.name)}"
    headers = {"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"}
    return Response(found.content, media_type=found.content_type, headers=headers)
