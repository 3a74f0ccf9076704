"""Extensions of an action's target date: the lead officer asks, the director or the partnership decides."""

from __future__ import annotations

from fastapi import Request
from pydantic import BaseModel

from web.api.common import ERRORS, Caller, Json, OnBehalfOf, Text, api_router
from web.params import Day, Id
from web.security import dhr
from workflows.commands.extensions import decide_extension, request_extension
from workflows.context import ActionKey, Principal
from workflows.queries import desk

router = api_router()


class ExtensionIn(BaseModel):
    to: Day
    reason: Text
    on_behalf_of: OnBehalfOf = None


class ExtensionDecisionIn(BaseModel):
    approve: bool
    reason: Text = ""
    on_behalf_of: OnBehalfOf = None


@router.post("/actions/{action_id}/extensions", responses=ERRORS)
async def extension_request(request: Request, caller: Caller, action_id: Id, body: ExtensionIn) -> Json:
    """The lead officer asks for a later target date."""
    app = dhr(request)
    key = await _key(request, caller, action_id)
    done = await request_extension(
        caller.person.email,
        key,
        body.to,
        body.reason,
        uow_factory=app.uow,
        clock=app.clock,
        on_behalf_of=body.on_behalf_of,
    )
    return done.to_json()


@router.post("/actions/{action_id}/extensions/decision", responses=ERRORS)
async def extension_decide(request: Request, caller: Caller, action_id: Id, body: ExtensionDecisionIn) -> Json:
    """The agency's director or the partnership approves or refuses the waiting extension."""
    app = dhr(request)
    key = await _key(request, caller, action_id)
    done = await decide_extension(
        caller.person.email,
        key,
        body.approve,
        body.reason,
        uow_factory=app.uow,
        clock=app.clock,
        on_behalf_of=body.on_behalf_of,
    )
    return done.to_json()


async def _key(request: Request, caller: Principal, action_id: int) -> ActionKey:
    app = dhr(request)
    return await desk.action_key(app.reader, caller, action_id, app.clock.today())
