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


INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})
"""What a browser may show inside the action page; every other type (office files, text) is only downloaded."""

INLINE_POLICY = "default-src 'none'; img-src 'self'; frame-ancestors 'self'"
"""A file shown in the page loads nothing else and may be framed only by the app's own pages. Not ``sandbox``:
Chromium refuses to draw a PDF in a sandboxed frame; an image gets it (below)."""


@router.get("/actions/{action_id}/evidence/{evidence_id}")
async def evidence_download(
    request: Request, principal: Signed, action_id: Id, evidence_id: Id, view: str = ""
) -> Response:
    """The file as a download, or with ``view=inline`` shown in the page when it is a PDF or an image."""
    app = dhr(request)
    found = await desk.evidence_file(app.uow, principal, action_id, evidence_id, store=app.store, clock=app.clock)
    name = quote(found.name)
    inline = view == "inline" and found.content_type in INLINE_TYPES
    headers = {
        "Content-Disposition": f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{name}",
        "X-Content-Type-Options": "nosniff",
        "Digest": f"sha-256={found.sha256}",
    }
    if inline:
        policy = INLINE_POLICY if found.content_type == "application/pdf" else f"{INLINE_POLICY}; sandbox"
        headers |= {"Content-Security-Policy": policy, "X-Frame-Options": "SAMEORIGIN"}
    return Response(found.content, media_type=found.content_type, headers=headers)
