"""An action's evidence files, downloaded from its page by whoever may see the action; every download is logged
(``workflows.queries.desk.evidence_file``)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from web.pages.common import Signed
from web.params import Id
from web.security import dhr
from workflows.queries import desk

router = APIRouter(include_in_schema=False)


@router.get("/actions/{action_id}/evidence/{evidence_id}")
async def evidence_download(request: Request, principal: Signed, action_id: Id, evidence_id: Id) -> Response:
    app = dhr(request)
    found = await desk.evidence_file(app.uow, principal, action_id, evidence_id, store=app.store, clock=app.clock)
    name = quote(found.name)
    return Response(
        found.content,
        media_type=found.content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{name}",
            "X-Content-Type-Options": "nosniff",
            "Digest": f"sha-256={found.sha256}",
        },
    )
