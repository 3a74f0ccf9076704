"""Text holding a NUL is refused in one line by every use case that keeps free text, on both databases:
PostgreSQL stores no such character, and answered a 500 for it (the review of issue 16's forms found these).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

import pytest

from tests.integration.helpers import ASSURER, COORDINATOR, LEAD, seed
from workflows.commands.accounts import create_api_token
from workflows.commands.board_cycle import add_board_date, remove_board_date
from workflows.commands.deputies import name_deputy
from workflows.commands.extensions import request_extension
from workflows.commands.people import add_agency
from workflows.context import ActionKey
from workflows.errors import InvalidInput
from workflows.runtime.container import App

NUL = "held\x00up"
MEETING = date(2013, 11, 20)

Attempt = Callable[[App], Awaitable[object]]


async def _extension(app: App) -> object:
    later = date(2014, 1, 31)
    return await request_extension(LEAD, ActionKey("3.11.1"), later, NUL, uow_factory=app.uow, clock=app.clock)


async def _deputy(app: App) -> object:
    return await name_deputy(
        ASSURER, ASSURER, COORDINATOR, date(2013, 10, 1), date(2013, 10, 9), NUL, uow_factory=app.uow, clock=app.clock
    )


async def _board(app: App) -> object:
    await add_board_date(COORDINATOR, MEETING, uow_factory=app.uow, clock=app.clock)
    return await remove_board_date(COORDINATOR, MEETING, NUL, uow_factory=app.uow, clock=app.clock)


async def _agency(app: App) -> object:
    return await add_agency(NUL, uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR)


async def _token(app: App) -> object:
    return await create_api_token(LEAD, NUL, uow_factory=app.uow, clock=app.clock)


@pytest.mark.parametrize(
    ("attempt", "said"),
    [
        (_extension, "--reason holds a NUL character"),
        (_deputy, "--reason holds a NUL character"),
        (_board, "--reason holds a NUL character"),
        (_agency, "control or bidi character U+0000 is not allowed"),
        (_token, "control or bidi character U+0000 is not allowed"),
    ],
    ids=["extension", "deputy", "board_date", "agency", "token"],
)
async def test_a_nul_in_kept_text_is_one_line_not_a_database_error(
    app: App, seed_plan: Path, attempt: Attempt, said: str
) -> None:
    await seed(app, seed_plan)
    with pytest.raises(InvalidInput, match=re.escape(said)):
        await attempt(app)
