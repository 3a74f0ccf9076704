"""The actions the caller may see: the list with its filters, and one action with everything it holds."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request

from domain.model import Scope
from domain.rag import Rag
from domain.states import State
from web.api.common import ERRORS, Caller, Json, api_router
from web.params import Id
from web.security import dhr
from workflows.queries import desk
from workflows.queries.actions import ActionQuery

router = api_router()


@router.get("/actions", responses=ERRORS)
async def actions(
    request: Request,
    caller: Caller,
    review: Annotated[str | None, Query(max_length=200)] = None,
    agency: Annotated[str | None, Query(max_length=200)] = None,
    state: Annotated[list[State] | None, Query()] = None,
    rag: Annotated[list[Rag] | None, Query()] = None,
    overdue: bool = False,
    scope: Scope | None = None,
    reported_complete: bool = False,
) -> list[Json]:
    """The actions the caller may see, filtered (``scope``: of recommendations of that scope;
    ``reported_complete``: the plan said done, not yet assured); each with the moves the caller may start now."""
    app = dhr(request)
    query = ActionQuery(
        review,
        agency,
        tuple(str(s) for s in state or ()),
        tuple(rag or ()),
        overdue,
        scope=scope,
        reported_complete=reported_complete,
    )
    cards = await desk.visible_actions(app.reader, caller, query, today=app.clock.today(), policy=app.rag_policy)
    return [c.view.to_json() | {"moves": [str(m.event) for m in c.moves], "returned": c.returned} for c in cards]


@router.get("/actions/{action_id}", responses=ERRORS)
async def action(request: Request, caller: Caller, action_id: Id) -> Json:
    """Every column, the evidence with hashes, the decision timeline and the caller's moves."""
    app = dhr(request)
    page = await desk.action_page(app.reader, caller, action_id, today=app.clock.today(), policy=app.rag_policy)
    evidence = [
        {k: e[k] for k in ("id", "name", "sha256", "size", "content_type")} | {"at": e["at"].isoformat()}
        for e in page.detail.evidence
    ]
    as_deputy = [{"for": p.for_email, "moves": [str(m.event) for m in p.moves]} for p in page.stand_ins]
    own = [str(m.event) for m in page.moves]
    return page.detail.to_json() | {"evidence": evidence, "moves": own, "as_deputy": as_deputy}
