"""The escalations that told the caller, and acknowledging one."""

from __future__ import annotations

from fastapi import Request
from pydantic import BaseModel

from web.api.common import ERRORS, Caller, Json, OnBehalfOf, Text, api_router
from web.params import Id
from web.security import dhr
from workflows.commands.acknowledgements import acknowledge, escalations

router = api_router()


class AcknowledgeIn(BaseModel):
    note: Text = ""
    on_behalf_of: OnBehalfOf = None


@router.get("/escalations", responses=ERRORS)
async def escalations_list(request: Request, caller: Caller) -> list[Json]:
    """The steps that told the caller, the ones still to acknowledge first."""
    found = await escalations(dhr(request).reader, mine=caller.person.email)
    return [e.to_json() for e in found]


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
