"""Themes from the web: the coordinator confirms or removes an action's themes on its page; the themes report
(the partnership's own reviews) downloads from the reviews page."""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from documents.themes_report import themes_csv, themes_html, themes_pdf
from domain.roles import Role
from web.attachments import attachment
from web.flash import done_url
from web.pages.common import Signed
from web.params import Id
from web.security import check_csrf, dhr
from workflows.commands.themes import set_theme, themes_report_for
from workflows.errors import NotVisible
from workflows.queries.desk import action_key

router = APIRouter(include_in_schema=False)


@router.post("/actions/{action_id}/themes")
async def theme_set(
    request: Request,
    principal: Signed,
    action_id: Id,
    theme: Annotated[str, Form(max_length=100)] = "",
    remove: Annotated[str, Form()] = "0",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(principal, csrf)
    if principal.person.role is not Role.COORDINATOR:
        raise NotVisible("only the partnership's coordinator confirms or removes themes")
    app = dhr(request)
    key = await action_key(app.reader, principal, action_id, app.clock.today())
    dropping = remove == "1"
    changed = await set_theme(
        principal.person.email, key, theme, remove=dropping, uow_factory=app.uow, at=app.clock.now()
    )
    said = ("theme removed" if dropping else "theme confirmed") if changed else "nothing changed"
    return RedirectResponse(done_url(f"/actions/{action_id}", said), status_code=303)


@router.get("/reviews/export/themes")
async def themes_download(
    request: Request, principal: Signed, format: Literal["html", "csv", "pdf"] = "html"
) -> Response:
    """Themes across the reviews of the person's own partnership (its staff only: it covers every agency)."""
    app = dhr(request)
    report = await themes_report_for(app.reader, principal, today=app.clock.today())
    as_of = report.as_of.isoformat()
    if format == "csv":
        data = themes_csv(report.themes)
    elif format == "pdf":
        data = await asyncio.to_thread(themes_pdf, report.themes, report.partnerships, as_of)
    else:
        data = themes_html(report.themes, report.partnerships, as_of).encode("utf-8")
    name = f"{'-'.join(report.partnerships)}-themes-{as_of}.{format}"
    return attachment(data, format, name, principal, "themes_report", "all")
