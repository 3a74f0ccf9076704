"""An assured action's impact check answered: ``impact_confirmed`` with evidence (files as base64 and/or a note),
or ``impact_not_shown`` with a reason; and the checks due."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Request
from pydantic import BaseModel, Field

from domain.impact import ImpactOutcome
from web.api.common import ERRORS, Caller, Json, OnBehalfOf, Text, api_router
from web.api.transitions import EvidenceIn, _decode
from web.params import Id
from web.security import dhr
from workflows.commands.impact import ImpactCommand, record_impact
from workflows.context import ActionKey
from workflows.queries.impact import impact_due

router = api_router()


class ImpactIn(BaseModel):
    outcome: ImpactOutcome
    reason: Text = ""
    """Required for ``impact_not_shown``: what the check found."""
    note: Text = ""
    """What changed, against the plan's success measure (or send ``evidence``)."""
    evidence: Annotated[list[EvidenceIn], Field(max_length=20)] = []
    decided_on: dt.date | None = None
    """The day the partnership found it (default today; never a day to come)."""
    on_behalf_of: OnBehalfOf = None


@router.post("/actions/{action_id}/impact", responses=ERRORS)
async def record(request: Request, caller: Caller, action_id: Id, body: ImpactIn) -> Json:
    """Answer the action's impact check as the caller (the partnership assurer)."""
    app = dhr(request)
    command = ImpactCommand(
        caller.person.email,
        ActionKey.by_id(action_id),
        body.outcome,
        reason=body.reason,
        note=body.note,
        uploads=[(e.name, _decode(e)) for e in body.evidence],
        decided_on=body.decided_on,
        on_behalf_of=body.on_behalf_of,
    )
    result = await record_impact(command, uow_factory=app.uow, clock=app.clock, store=app.store)
    return result.to_json()


@router.get("/impact-checks", responses=ERRORS)
async def due(request: Request, caller: Caller, all: bool = False) -> list[dict[str, Any]]:
    """The unanswered impact checks the caller may see, due by today (``all``: every unanswered one)."""
    app = dhr(request)
    found = await impact_due(app.reader, caller.person.email, today=None if all else app.clock.today())
    return [d.to_json() for d in found]
