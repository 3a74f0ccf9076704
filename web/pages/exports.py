"""Documents to download from the reviews page: the plan, its public version, the board pack, the certificate
(the API's export of the plan is ``web.api.exports``; both send theirs through ``web.attachments``).

Who gets what is ``domain.access``: everyone signed in gets the plan with the
actions they may see (a lead officer or a director: their own agency's); the
partnership's own staff get the documents that cover every agency (public
version, board pack, certificate), others a 403. Documents are rendered off the
event loop and sent as attachments, never cached.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from documents.board_html import board_html
from documents.board_pdf import board_pdf
from documents.certificate import certificate_html, certificate_pdf
from documents.formats import file_stem
from web.attachments import attachment, plan_file
from web.pages.common import Signed
from web.params import Day
from web.security import dhr
from workflows.queries.board_pack import board_pack, default_period
from workflows.queries.exports import certificate

router = APIRouter(include_in_schema=False)

PlanFormat = Literal["docx", "xlsx", "pdf", "csv"]
PageFormat = Literal["pdf", "html"]
Ref = Annotated[str, Query(min_length=1, max_length=200)]


@router.get("/reviews/export/plan")
async def plan_download(
    request: Request, principal: Signed, review: Ref, format: PlanFormat = "docx", public: bool = False
) -> Response:
    return await plan_file(dhr(request), principal, review, format, public)


@router.get("/reviews/export/board")
async def board_download(
    request: Request,
    principal: Signed,
    review: Ref,
    format: PageFormat = "pdf",
    first: Annotated[Day | None, Query(alias="from")] = None,
    last: Annotated[Day | None, Query(alias="to")] = None,
) -> Response:
    """The board pack of one review, or of every review with ``review=all``."""
    app = dhr(request)
    today = app.clock.today()
    end = last or today
    start = first or default_period(end)[0]
    one = None if review == "all" else review
    pack = await board_pack(app.reader, one, start, end, today=today, policy=app.rag_policy, principal=principal)
    if format == "pdf":
        data = await asyncio.to_thread(board_pdf, pack)
    else:
        data = board_html(pack).encode("utf-8")
    stem = file_stem(one) if one else f"{pack.short_name}-all-reviews"
    name = f"{stem}-board-pack-{end.isoformat()}.{format}"
    return attachment(data, format, name, principal, "board_pack", one or "all")


@router.get("/reviews/export/certificate")
async def certificate_download(
    request: Request, principal: Signed, review: Ref, format: PageFormat = "pdf"
) -> Response:
    found = await certificate(dhr(request).reader, review, principal=principal)
    data = await asyncio.to_thread(certificate_pdf, found) if format == "pdf" else certificate_html(found).encode()
    name = f"{file_stem(found.review_ref)}-certificate.{format}"
    return attachment(data, format, name, principal, "certificate", found.review_ref)
