"""The escalations that told the caller, and acknowledging one."""

from __future__ import annotations

from fastapi import Request, Response
from pydantic import BaseModel

from web.api.common import ERRORS, Caller, Cursor, Json, Limit, OnBehalfOf, Text, api_router, paged, set_next
from web.params import Id
from web.security import dhr
from workflows.commands.acknowledgements import acknowledge, escalations
from workflows.queries import cursors

router = api_router()


class AcknowledgeIn(BaseModel):
    note: Text = ""
    on_behalf_of: OnBehalfOf = None


@router.get("/escalations", responses=paged(ERRORS))
async def escalations_list(
    request: Request, response: Response, caller: Caller, limit: Limit = 100, cursor: Cursor = None
) -> list[Json]:
    """The steps that told the caller (of the partnership's newest steps), the ones still to acknowledge first,
    newest first; at most ``limit`` a call: when more follow, the ``Link`` header's ``rel="next"`` is the address
    of the next slice."""
    found = await escalations(dhr(request).reader, mine=caller.person.email)
    shown, following = cursors.after(
        found, lambda e: (int(e.acknowledged_by is not None), -e.id), kind="escalations", limit=limit, cursor=cursor
    )
    set_next(request, response, following)
    return [e.to_json() for e in shown]


@router.post("/escalations/{escalation_id}/acknowledge", responses=ERRORS)
async def escalation_acknowledge(request: Request, caller: Caller, escalation_id: Id, body: AcknowledgeIn) -> Json:
    app = dhr(request)
    done = await acknowledge(
        caller.person.email,
        escalation_id,
        body.note,
        uow_factory=app.uow,
        clock=app.clock,
        on_behalf_of=body.on_behalf_of,
    )
    return done.to_json()
