"""Sent mail (demo): what the demo's local mail sink received, for the coordinator and the assurers to read.

Shown only where ``dhrflow serve`` started the sink (``DHRFLOW_MAIL_SINK_DIR``); a real installation sends
through its own mail server and has no such page.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from web.pages.common import Signed
from web.pages.dead_letters import operator
from web.security import dhr
from web.templating import render
from workflows.queries.sent_mail import sent_mail

router = APIRouter(include_in_schema=False)


@router.get("/notifications/sent")
async def sent_mail_page(request: Request, principal: Signed) -> Response:
    operator(principal)
    folder = dhr(request).settings.mail_sink_dir
    if folder is None:
        raise HTTPException(404, "no demo mail sink runs here: mail goes to the mail server set by DHRFLOW_SMTP_HOST")
    messages = await asyncio.to_thread(sent_mail, folder)
    return await render(request, "sent_mail.html", principal, messages=messages, here="notifications")
