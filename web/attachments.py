"""A document as a download, for the pages and the API alike: sent as an attachment, never cached, and who
took which document of which review logged (refs and ids only)."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

import structlog
from fastapi.responses import Response

from documents.formats import MEDIA_TYPES, PLAN_WRITERS, plan_file_name
from workflows.context import Principal
from workflows.queries.exports import plan_export
from workflows.runtime.container import App

log = structlog.get_logger(__name__)


DOCUMENT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
"""An HTML document opened in the browser: its own inline style and nothing else (no script, no request out,
sandboxed); the pages' policy would leave it unstyled."""


def attachment(data: bytes, kind: str, name: str, principal: Principal, document: str, ref: str) -> Response:
    """The file as a download (an HTML document opens in the browser, and saves under the same name); who took
    which document of which review is logged (refs and ids only)."""
    log.info("document_downloaded", document=document, format=kind, review_ref=ref, person_id=principal.person.id)
    disposition = "inline" if kind == "html" else "attachment"
    headers = {"Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(name)}", "Cache-Control": "no-store"}
    if kind == "html":
        headers["Content-Security-Policy"] = DOCUMENT_POLICY
    return Response(data, media_type=MEDIA_TYPES[kind], headers=headers)


async def plan_file(app: App, principal: Principal, review: str, kind: str, public: bool) -> Response:
    """The plan (or its public version) as ``kind``, for ``principal``: the reviews page's download and the
    API's export."""
    plan = await plan_export(
        app.reader, review, today=app.clock.today(), policy=app.rag_policy, principal=principal, public=public
    )
    data = await asyncio.to_thread(PLAN_WRITERS[kind], plan)
    document = "public_version" if public else "plan"
    return attachment(data, kind, plan_file_name(plan, kind), principal, document, plan.review_ref)
