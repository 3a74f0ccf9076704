"""A step on an action (submit, verify, reject, ...) at the version the caller saw, with its evidence
files as base64."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

from fastapi import Request
from pydantic import BaseModel, Field

from domain.states import Event
from web.api.common import ERRORS, Caller, Json, OnBehalfOf, Text, api_router
from web.before_body import checked_first, path_id
from web.params import Id
from web.security import api_principal, dhr
from workflows.commands.transitions import MAX_EVIDENCE_BYTES, TransitionCommand, take_transition
from workflows.context import ActionKey
from workflows.errors import InvalidInput
from workflows.queries import desk

router = api_router()


class EvidenceIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=255)]
    content_base64: Annotated[str, Field(max_length=(MAX_EVIDENCE_BYTES * 4) // 3 + 4)]


class TransitionIn(BaseModel):
    event: Event
    expected_version: Annotated[int, Field(ge=0, le=2**31 - 1)]
    """The version the caller saw: a decision in between makes this a 409, never a silent overwrite."""
    reason: Text = ""
    note: Text = ""
    evidence: Annotated[list[EvidenceIn], Field(max_length=20)] = []
    on_behalf_of: OnBehalfOf = None


async def _may_move(request: Request) -> None:
    """A transition's caller, before its body (up to 64 MB of base64 evidence) is read: refused if they could
    take no step on the action in any state, as the page refuses its form (``desk.check_may_move``)."""
    caller = await api_principal(request)
    action_id = path_id(request, "action_id")
    if action_id is not None:
        app = dhr(request)
        await desk.check_may_move(app.reader, caller, action_id, app.clock.today())


@router.post("/actions/{action_id}/transitions", responses=ERRORS)
@checked_first(_may_move)
async def transition(request: Request, caller: Caller, action_id: Id, body: TransitionIn) -> Json:
    """Fire an event on the action as the caller, at the version they saw."""
    app = dhr(request)
    uploads = [(e.name, _decode(e)) for e in body.evidence]
    command = TransitionCommand(
        caller.person.email,
        ActionKey.by_id(action_id),
        body.event,
        reason=body.reason,
        note=body.note,
        uploads=uploads,
        expected_version=body.expected_version,
        on_behalf_of=body.on_behalf_of,
    )
    result = await take_transition(command, uow_factory=app.uow, clock=app.clock, store=app.store)
    return result.to_json()


def _decode(evidence: EvidenceIn) -> bytes:
    try:
        return base64.b64decode(evidence.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(f"evidence {evidence.name!r}: content_base64 is not base64") from None
