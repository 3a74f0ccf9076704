"""The recommendations page: every recommendation of the partnership's reviews with its scope, addressee,
status (derived from its actions) and dates, each with its actions linked; filters by review, scope and status
in the address; the coordinator's form on each to set its scope and addressee and to record it (not) accepted.
The partnership's staff download the national export from here.

The list is read in two statements whatever its length (``workflows.queries.recommendations``), then paged.
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from documents.export_national import national_csv, national_json
from domain.addressees import NATIONAL_BODIES
from domain.model import Scope
from domain.recommendations import RecommendationStatus
from domain.roles import Role
from web.attachments import attachment
from web.pages.common import Signed, page_number, pager
from web.params import Id
from web.refusals import submitted
from web.security import check_csrf, dhr
from web.templating import render
from workflows.commands.recommendations import decide_recommendation
from workflows.errors import InvalidInput, NotVisible
from workflows.queries.recommendations import (
    NATIONAL_COLUMNS,
    RecommendationQuery,
    national_export,
    one_scope,
    parse_status,
    recommendation_choices,
    recommendations,
)

router = APIRouter(include_in_schema=False)

PER_PAGE = 25
Filter = Annotated[str, Query(max_length=200)]


@router.get("/recommendations")
async def recommendations_page(
    request: Request,
    principal: Signed,
    review: Filter = "",
    scope: Filter = "",
    status: Filter = "",
    page: Filter = "1",
    done: str = "",
) -> Response:
    app = dhr(request)
    query = RecommendationQuery(review.strip() or None, one_scope(scope), parse_status(status))
    found = await recommendations(app.reader, query, principal=principal)
    pages = max(1, -(-len(found) // PER_PAGE))
    shown = min(page_number(page), pages)
    kept = {k: v for k, v in (("review", review), ("scope", scope), ("status", status)) if v}
    coordinator = principal.person.role is Role.COORDINATOR
    reviews, agency_names = await recommendation_choices(app.reader, principal)
    return await render(
        request,
        "recommendations.html",
        principal,
        here="recommendations",
        listed=found[(shown - 1) * PER_PAGE : shown * PER_PAGE],
        total=len(found),
        pages=pager(shown, pages, lambda n: "/recommendations?" + urlencode(kept | {"page": n})),
        query=query,
        reviews=reviews,
        scopes=[str(s) for s in Scope],
        statuses=list(RecommendationStatus),
        coordinator=coordinator,
        bodies=[b.name for b in NATIONAL_BODIES] + agency_names,
        back=urlencode(kept | {"page": shown}),
        staff=principal.person.role not in (Role.LEAD_OFFICER, Role.DIRECTOR),
        flash=done,
    )


@router.post("/recommendations/{recommendation_id}")
async def recommendation_decide(
    request: Request,
    principal: Signed,
    recommendation_id: Id,
    scope: Annotated[list[str] | None, Form(max_length=20)] = None,
    addressee: Annotated[str, Form(max_length=1000)] = "",
    accepted: Annotated[str, Form(max_length=10)] = "yes",
    reason: Annotated[str, Form()] = "",
    back: Annotated[str, Form(max_length=1000)] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(principal, csrf)
    if principal.person.role is not Role.COORDINATOR:
        raise NotVisible("only the partnership's coordinator records decisions about recommendations")
    app = dhr(request)
    not_accepted = accepted == "no"

    async def work() -> str:
        if not_accepted and not reason.strip():
            raise InvalidInput("reason: say why the recommendation was not accepted")
        change = await decide_recommendation(
            principal.person.email,
            recommendation_id,
            scopes=scope or [],
            addressee=addressee,
            not_accepted_reason=reason if not_accepted else "",
            uow_factory=app.uow,
            clock=app.clock,
        )
        where = f"Recommendation {change.number} of {change.review_ref}"
        return f"{where}: saved" if change.changes else f"{where}: nothing changed"

    typed = {"scope": ",".join(scope or []), "addressee": addressee, "accepted": accepted, "reason": reason}
    form = f"rec-{recommendation_id}"
    return await submitted(request, principal, "/recommendations", form, typed, work, query=_safe_query(back))


def _safe_query(back: str) -> str:
    """The list's filters and page the form was sent from, rebuilt from their own names only."""
    allowed = {"review", "scope", "status", "page"}
    return urlencode([(k, v) for k, v in parse_qsl(back)[:8] if k in allowed])


@router.get("/recommendations/export/national")
async def national_download(request: Request, principal: Signed, format: Literal["csv", "json"] = "csv") -> Response:
    """Every national-scope recommendation of the partnership (its own staff only: it covers every agency)."""
    app = dhr(request)
    found = await national_export(app.reader, today=app.clock.today(), principal=principal)
    data = national_csv(found.rows(), NATIONAL_COLUMNS) if format == "csv" else national_json(found.to_json())
    name = f"{'-'.join(found.partnerships)}-national-recommendations-{found.generated_on.isoformat()}.{format}"
    return attachment(data, format, name, principal, "national_export", "all")
