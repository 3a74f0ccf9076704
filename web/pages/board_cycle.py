"""The coordinator's board page: the board's meeting dates (add, remove), each a decision."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from web.pages.common import Coordinator
from web.params import form_day
from web.refusals import submitted
from web.security import check_csrf, dhr
from web.templating import render
from workflows.commands.board_cycle import add_board_date, board_dates, remove_board_date

router = APIRouter(include_in_schema=False)


@router.get("/board")
async def board_page(request: Request, principal: Coordinator, done: str = "") -> Response:
    app = dhr(request)
    dates = await board_dates(app.reader, partnership_id_=principal.person.partnership_id)
    today = app.clock.today()
    s = app.settings
    return await render(
        request,
        "board.html",
        principal,
        here="board",
        dates=dates,
        today=today,
        request_days=s.board_request_working_days,
        reminder_days=s.board_reminder_working_days,
        flash=done,
    )


@router.post("/board/dates")
async def board_date_add(
    request: Request,
    principal: Coordinator,
    day: Annotated[str, Form(max_length=20)] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(principal, csrf)
    app = dhr(request)

    async def work() -> str:
        added = await add_board_date(principal.person.email, form_day(day, "day"), uow_factory=app.uow, clock=app.clock)
        return f"board meets on {added.isoformat()}"

    return await submitted(request, principal, "/board", "board-date", {"day": day}, work)


@router.post("/board/dates/remove")
async def board_date_remove(
    request: Request,
    principal: Coordinator,
    day: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(principal, csrf)
    app = dhr(request)

    async def work() -> str:
        on = form_day(day, "day")
        gone = await remove_board_date(principal.person.email, on, reason, uow_factory=app.uow, clock=app.clock)
        return f"board meeting on {gone.isoformat()} removed"

    return await submitted(request, principal, "/board", f"board-remove-{day.strip()}", {}, work)
