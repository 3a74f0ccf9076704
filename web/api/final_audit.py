"""A review's final audit: the partnership starts it, then signs the plan off."""

from __future__ import annotations

from typing import Annotated

from fastapi import Request
from pydantic import BaseModel, Field

from web.api.common import ERRORS, Caller, Json, OnBehalfOf, api_router
from web.security import dhr
from workflows.commands.final_audit import sign_off, start_final_audit

router = api_router()


class ReviewIn(BaseModel):
    review_ref: Annotated[str, Field(min_length=1, max_length=200)]
    on_behalf_of: OnBehalfOf = None


@router.post("/reviews/final-audit", responses=ERRORS)
async def final_audit(request: Request, caller: Caller, body: ReviewIn) -> Json:
    """The partnership starts a review's final audit."""
    app = dhr(request)
    done = await start_final_audit(
        caller.person.email, body.review_ref, uow_factory=app.uow, clock=app.clock, on_behalf_of=body.on_behalf_of
    )
    return {"review_ref": done.review_ref, "status": str(done.status), "actions": done.actions}


@router.post("/reviews/sign-off", responses=ERRORS)
async def review_sign_off(request: Request, caller: Caller, body: ReviewIn) -> Json:
    """The partnership signs a review's plan off: a snapshot is frozen and its SHA-256 logged."""
    app = dhr(request)
    done = await sign_off(
        caller.person.email, body.review_ref, uow_factory=app.uow, clock=app.clock, on_behalf_of=body.on_behalf_of
    )
    return {"review_ref": done.review_ref, "status": str(done.status), "actions": done.actions, "sha256": done.sha256}
