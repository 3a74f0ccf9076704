"""The actions the caller may see: the list with its filters, a slice at a time, and one action with everything
it holds."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response

from domain.model import Scope
from domain.rag import Rag
from domain.states import State
from web.api.common import ERRORS, Caller, Cursor, Json, Limit, api_router, paged, set_next
from web.params import Id
from web.security import dhr
from workflows.queries import desk
from workflows.queries.action_list import Order, Sort, cursor_page
from workflows.queries.actions import ActionQuery

router = api_router()


@router.get("/actions", responses=paged(ERRORS))
async def actions(
    request: Request,
    response: Response,
    caller: Caller,
    review: Annotated[str | None, Query(max_length=200)] = None,
    agency: Annotated[str | None, Query(max_length=200)] = None,
    state: Annotated[list[State] | None, Query()] = None,
    rag: Annotated[list[Rag] | None, Query()] = None,
    overdue: bool = False,
    scope: Scope | None = None,
    reported_complete: bool = False,
    lead: Annotated[str | None, Query(max_length=320)] = None,
    q: Annotated[str, Query(max_length=200)] = "",
    sort: Sort = Sort.DOCUMENT,
    descending: bool = False,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> list[Json]:
    """The actions the caller may see, filtered (``scope``: of recommendations of that scope;
    ``reported_complete``: the plan said done, not yet assured; ``lead``: the email of a lead officer, for the
    actions they lead; ``q``: words in the ref or the action's text), each with the moves the caller may start
    now. At most ``limit`` a call, in ``sort`` order: when more follow, the ``Link`` header's ``rel="next"``
    is the address of the next slice (the same call with its ``cursor``)."""
    app = dhr(request)
    query = ActionQuery(
        review,
        agency,
        tuple(str(s) for s in state or ()),
        tuple(rag or ()),
        overdue,
        scope=scope,
        reported_complete=reported_complete,
        text=q,
        lead=lead,
    )
    found = await cursor_page(
        app.reader,
        caller,
        query,
        Order(sort, descending),
        limit=limit,
        cursor=cursor,
        today=app.clock.today(),
        policy=app.rag_policy,
    )
    set_next(request, response, found.next)
    return [c.view.to_json() | {"moves": [str(m.event) for m in c.moves], "returned": c.returned} for c in found.cards]


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
