"""Deputies: the periods naming the caller (every one, for the coordinator), naming a deputy, ending a period."""

from __future__ import annotations

from typing import Annotated

from fastapi import Request, Response
from pydantic import BaseModel, Field

from domain.roles import Role
from web.api.common import ERRORS, Caller, Cursor, Json, Limit, OnBehalfOf, Text, api_router, paged, set_next
from web.params import Day, Id
from web.security import dhr
from workflows.commands.deputies import deputies, end_deputy, name_deputy
from workflows.context import MAX_TEXT_CHARS
from workflows.queries import cursors, desk

router = api_router()


class DeputyIn(BaseModel):
    deputy: Annotated[str, Field(min_length=3, max_length=320)]
    """The deputy's email."""
    starts_on: Day
    ends_on: Day
    reason: Annotated[str, Field(min_length=1, max_length=MAX_TEXT_CHARS)]
    principal: OnBehalfOf = None
    """Whose deputy (an email): the caller, unless the caller is the coordinator naming one for someone."""


class DeputyEndIn(BaseModel):
    reason: Text = ""


@router.get("/deputies", responses=paged(ERRORS))
async def deputies_list(
    request: Request, response: Response, caller: Caller, limit: Limit = 100, cursor: Cursor = None
) -> list[Json]:
    """The deputy periods in force or to come that name the caller (every one of the partnership, for the
    coordinator), in date order; at most ``limit`` a call: when more follow, the ``Link`` header's
    ``rel="next"`` is the address of the next slice."""
    app = dhr(request)
    today = app.clock.today()
    if caller.person.role is Role.COORDINATOR:
        found = await deputies(app.reader, today=today, partnership=await desk.partnership_name(app.reader, caller))
    else:
        found = await deputies(app.reader, today=today, person_email=caller.person.email)
    shown, following = cursors.after(
        found,
        lambda v: (v.starts_on.toordinal(), v.ends_on.toordinal(), v.id),
        kind="deputies",
        limit=limit,
        cursor=cursor,
    )
    set_next(request, response, following)
    return [v.to_json() for v in shown]


@router.post("/deputies", responses=ERRORS)
async def deputy_name(request: Request, caller: Caller, body: DeputyIn) -> Json:
    """Name a deputy for a period: the caller for themselves, or the coordinator for anyone."""
    app = dhr(request)
    me = caller.person.email
    done = await name_deputy(
        me,
        body.principal or me,
        body.deputy,
        body.starts_on,
        body.ends_on,
        body.reason,
        uow_factory=app.uow,
        clock=app.clock,
    )
    return done.to_json()


@router.post("/deputies/{period_id}/end", responses=ERRORS)
async def deputy_end(request: Request, caller: Caller, period_id: Id, body: DeputyEndIn) -> Json:
    """End a deputy period now: the person, their deputy or the coordinator."""
    app = dhr(request)
    done = await end_deputy(caller.person.email, period_id, body.reason, uow_factory=app.uow, clock=app.clock)
    return done.to_json()
