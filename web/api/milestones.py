"""A review's own timeline: where it stands, and recording a milestone (the coordinator or the partnership
assurer). A ref may hold a slash (``BDHR2011/12-03``): the path takes it whole, encoded or not; the module
comes after ``exports`` so that ``/reviews/{ref}/export`` is found first."""

from __future__ import annotations

from fastapi import Request
from pydantic import BaseModel, Field

from web.api.common import ERRORS, Caller, Json, Text, api_router
from web.params import Day
from web.security import dhr
from workflows.commands.milestones import MilestoneCommand, record_milestone
from workflows.queries.timeline import review_timeline

router = api_router()


class MilestoneIn(BaseModel):
    milestone: str = Field(max_length=80, description="report_submitted_to_home_office, panel_letter_received, ...")
    on: Day
    url: str = Field(default="", max_length=2000, description="published: the address the report is published at")
    points: list[Text] = Field(default_factory=list, max_length=100, description="panel_letter_received: its points")


@router.get("/reviews/{ref:path}", responses=ERRORS)
async def review_get(request: Request, caller: Caller, ref: str) -> Json:
    """Where the review stands: its kind, status, milestones, what is next and when, its actions counted."""
    app = dhr(request)
    found = await review_timeline(
        app.reader, ref, partnership_key=caller.person.partnership_id, today=app.clock.today()
    )
    return found.to_json()


@router.post("/reviews/{ref:path}/milestones", responses=ERRORS)
async def milestone_post(request: Request, caller: Caller, ref: str, body: MilestoneIn) -> Json:
    """Record a milestone of the review; ``published`` dates every target counted from publication."""
    app = dhr(request)
    command = MilestoneCommand(ref, body.milestone, body.on, body.url, tuple(body.points))
    done = await record_milestone(caller.person.email, command, uow_factory=app.uow, clock=app.clock)
    return done.to_json()
