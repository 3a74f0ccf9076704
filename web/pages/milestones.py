"""A review's own page: its timeline (submitted, the panel's letter, the family told, published, taken down),
what is next and when, its actions counted, and the form that records the next milestone."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from domain.milestones import ORDER, RECORDED_BY
from web.pages.common import Signed
from web.params import Id, form_day
from web.refusals import submitted
from web.security import check_csrf, dhr
from web.templating import render
from workflows.commands.milestones import MilestoneCommand, record_milestone
from workflows.queries.timeline import review_timeline

router = APIRouter(include_in_schema=False)


@router.get("/reviews/{review_id}/timeline")
async def review_timeline_page(request: Request, review_id: Id, principal: Signed, done: str = "") -> Response:
    """Everyone of the partnership reads it; its coordinator and partnership assurer record milestones."""
    app = dhr(request)
    pid = principal.person.partnership_id
    found = await review_timeline(app.reader, partnership_key=pid, review_id=review_id, today=app.clock.today())
    recorded = {line.milestone for line in found.milestones if line.happened_on is not None}
    return await render(
        request,
        "review.html",
        principal,
        t=found,
        may_record=principal.person.role in RECORDED_BY,
        open_milestones=[m for m in ORDER if m not in recorded],
        labels={line.milestone: line.label for line in found.milestones},
        today=app.clock.today(),
        here="reviews",
        flash=done,
    )


@router.post("/reviews/{review_id}/milestones")
async def milestone_submit(
    request: Request,
    review_id: Id,
    principal: Signed,
    milestone: Annotated[str, Form(max_length=80)] = "",
    on: Annotated[str, Form(max_length=20)] = "",
    url: Annotated[str, Form(max_length=2000)] = "",
    points: Annotated[str, Form(max_length=20_000)] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Record a milestone; refused, the form comes back as typed with the reason beside its field. The letter's
    points are typed one a line."""
    check_csrf(principal, csrf)
    app = dhr(request)
    found = await review_timeline(app.reader, partnership_key=principal.person.partnership_id, review_id=review_id)

    async def work() -> str:
        typed_points = tuple(line.strip() for line in points.splitlines() if line.strip())
        command = MilestoneCommand(found.review_ref, milestone, form_day(on, "on"), url, typed_points)
        result = await record_milestone(principal.person.email, command, uow_factory=app.uow, clock=app.clock)
        dated = f": {len(result.dated)} target date(s) set" if result.dated else ""
        return f"{result.label} on {result.happened_on.isoformat()}{dated}"

    typed = {"milestone": milestone, "on": on, "url": url, "points": points}
    return await submitted(request, principal, f"/reviews/{review_id}/timeline", "milestone", typed, work)
