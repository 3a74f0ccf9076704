"""A review's plan as a document (docx, xlsx, pdf or csv), sent as ``web.attachments`` sends every download."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Path, Request
from fastapi.responses import Response

from web.api.common import ERRORS, Caller, api_router
from web.attachments import plan_file
from web.security import dhr

router = api_router()

_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FILES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The document, as an attachment",
        "content": {media: {} for media in (_DOCX, _XLSX, "application/pdf", "text/csv")},
    }
}


@router.get("/reviews/{ref:path}/export", responses=ERRORS | _FILES, response_class=Response)
async def review_export(
    request: Request,
    caller: Caller,
    ref: Annotated[str, Path(min_length=1, max_length=200, description="The review's reference, e.g. BDHR2011/12-03")],
    format: Literal["docx", "xlsx", "pdf", "csv"] = "docx",
    public: bool = False,
) -> Response:
    """The review's plan in its own layout, with live progress, RAG and quality assurance; ``public=true`` for the
    public version (the partnership's staff only). A lead officer or a director gets their own agency's actions."""
    return await plan_file(dhr(request), caller, ref, format, public)
