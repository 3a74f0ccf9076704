"""The pages' templates (``web/templates``) and ``render``, which every page and the error page answer with."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from web import drafts
from web.flash import checked
from web.security import dhr
from workflows.context import Principal
from workflows.queries import desk
from workflows.queries.mail_trouble import mail_trouble
from workflows.queries.tasks import task_count
from workflows.runtime.clock import LONDON

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def uk_time(at: datetime) -> str:
    """A moment as people here read it: England and Wales time (GMT or BST), e.g. ``3 Dec 2026, 14:05``."""
    stored = at if at.tzinfo is not None else at.replace(tzinfo=UTC)  # the database keeps UTC
    return f"{stored.astimezone(LONDON):%-d %b %Y, %H:%M}"


templates.env.filters["uk_time"] = uk_time


async def render(
    request: Request, name: str, principal: Principal | None, status: int = 200, **context: Any
) -> HTMLResponse:
    """The page ``name``, with the signed-in person and their partnership's short name for the header."""
    partnership = await desk.partnership_name(dhr(request).reader, principal) if principal else ""
    if principal and "task_count" not in context:  # the menu bar's number on every page
        context["task_count"] = context.get("task_total")
        if context["task_count"] is None:
            context["task_count"] = await task_count(dhr(request).reader, principal, today=dhr(request).clock.today())
    if principal and "mail_trouble" not in context:  # the coordinator's banner when mail is not going
        context["mail_trouble"] = await mail_trouble(dhr(request).reader, principal)
    shown = context.get("flash", "")
    if shown and shown == request.query_params.get("done"):  # from the query string: shown only if we signed it
        context["flash"] = checked(shown, request.query_params.get("sig", ""))
    context.setdefault("clock", getattr(request.app.state, "clock_status", None))  # set by `dhrflow serve`
    page = request.url.path
    if principal and "draft" not in context:  # a form of this page was refused: it comes back as typed
        context["draft"] = drafts.taken(request, principal.person.id, page)
        context["draft_summary"] = context["draft"] is not None  # said on top too, linking to the form
    response = templates.TemplateResponse(
        request, name, {"principal": principal, "partnership": partnership, **context}, status_code=status
    )
    if context.get("draft") is not None and request.method == "GET":
        drafts.forget(response, page)  # read once
    return response
