"""One move on several actions at once, each at the version the caller saw: each its own decision."""

from __future__ import annotations

from typing import Annotated

from fastapi import Request
from pydantic import BaseModel, Field

from web.api.common import ERRORS, Caller, Json, OnBehalfOf, Text, api_router
from web.params import Id
from web.security import dhr
from workflows.commands.bulk import MAX_ACTIONS, BulkCommand, BulkMove, Seen, bulk_move
from workflows.context import ActionKey

router = api_router()


class SeenIn(BaseModel):
    id: Id
    expected_version: Annotated[int, Field(ge=0, le=2**31 - 1)]
    """The version the caller saw: one moved since is refused as a conflict, never decided on regardless."""


class BulkIn(BaseModel):
    move: BulkMove
    actions: Annotated[list[SeenIn], Field(min_length=1, max_length=MAX_ACTIONS)]
    comment: Text = ""
    """Kept with each decision (verify, assure, acknowledge)."""
    to: Annotated[str, Field(max_length=320)] = ""
    """The new lead officer's email (reassign)."""
    on_behalf_of: OnBehalfOf = None


@router.post("/actions/bulk", responses=ERRORS)
async def bulk(request: Request, caller: Caller, body: BulkIn) -> Json:
    """Verify, assure, acknowledge (the escalations waiting on the caller) or reassign each action, each its own
    decision under the single move's rules: the answer lists what was done and what was refused, and why (its
    ``kind`` as the error statuses name them: ``conflict``, ``not_now``, ``not_yours``, ...). A batch that
    cannot be taken at all (no new lead officer, a comment where none is kept) is a 422 and moves nothing."""
    app = dhr(request)
    command = BulkCommand(
        caller.person.email,
        body.move,
        [Seen(ActionKey.by_id(a.id), a.expected_version) for a in body.actions],
        comment=body.comment,
        to=body.to,
        on_behalf_of=body.on_behalf_of,
    )
    report = await bulk_move(command, uow_factory=app.uow, clock=app.clock, store=app.store)
    return report.to_json()
