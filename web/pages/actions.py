"""The actions: the list with its filters (and the form to move several at once: ``web.pages.bulk``), and one
action's page (its details, timeline, evidence and the forms for what the person may do).

``action_response`` renders the action page for the modules whose forms post from it (``transitions``,
``extensions``): what happened, or why not, is shown on it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from domain.model import Scope
from domain.rag import Rag
from domain.roles import Role
from domain.states import Event, State
from web import bulk_sheets, drafts
from web.drafts import Draft
from web.pages.common import Signed, page_number, pager
from web.params import Id
from web.security import dhr
from web.templating import render
from workflows.commands.bulk import BulkMove
from workflows.commands.themes import action_themes
from workflows.context import Principal
from workflows.queries import desk
from workflows.queries.action_list import PAGE_SIZE, Order, Sort, list_choices, numbered_page
from workflows.queries.actions import ActionQuery
from workflows.queries.story import DONE_WORDS, STATE_WORDS, day, event_words, story_of, uk_time

router = APIRouter(include_in_schema=False)


FILTERS = (
    *("review", "agency", "lead", "state", "rag", "overdue", "scope", "reported", "q"),
    *("sort", "order", "page", "size"),
)
"""What the list shows, kept in its address so a link to it can be shared: the filters, the search, the order
and the page. The bulk form carries them, and its answer returns to them."""

SORTS = {
    Sort.DOCUMENT: "Action (plan order)",
    Sort.AGENCY: "Agency",
    Sort.STATE: "State",
    Sort.TARGET: "Target date",
    Sort.RAG: "RAG (red first)",
}
"""What the list sorts by, as the sort box offers it; the column headers link to the same orders."""


@router.get("/actions")
async def actions_page(
    request: Request,
    principal: Signed,
    review: str = "",
    agency: str = "",
    lead: str = "",
    state: str = "",
    rag: str = "",
    overdue: str = "",
    scope: str = "",
    reported: str = "",
    q: str = "",
    sort: str = "",
    order: str = "",
    page: str = "",
    size: str = "",
    tick: str = "",
) -> Response:
    """The list, filtered, searched, sorted and a page at a time; with ``tick=all`` every action of the page
    ticked for the bulk form (no script needed)."""
    filters = {
        "review": review,
        "agency": agency,
        "lead": lead,
        "state": state,
        "rag": rag,
        "overdue": overdue,
        "scope": scope,
        "reported": reported,
        "q": q,
        "sort": sort,
        "order": order,
        "page": page,
        "size": size,
    }
    sheet = bulk_sheets.taken(request, principal.person.id)
    response = await list_response(request, principal, filters, sheet, tick_all=tick == "all")
    if sheet is not None:
        bulk_sheets.forget(response)
    return response


def list_address(filters: dict[str, str], **more: str) -> str:
    """``/actions`` with the filters set (and ``more``, which replace them), as the filter form would have
    written them."""
    given = {name: value for name, value in filters.items() if name in FILTERS} | more
    kept = [(name, value[:200]) for name, value in given.items() if value]
    return "/actions" + (f"?{urlencode(kept)}" if kept else "")


def _query(filters: dict[str, str]) -> ActionQuery:
    """The filters of the address as a query; a value the list does not offer is left out, as the form would."""
    state, rag, scope = filters.get("state", ""), filters.get("rag", ""), filters.get("scope", "")
    return ActionQuery(
        review_ref=filters.get("review") or None,
        agency=filters.get("agency", "").strip()[:200] or None,
        states=tuple(s for s in [state] if s in {str(x) for x in State}),
        rags=tuple(Rag(r) for r in [rag] if r in {str(x) for x in Rag}),
        overdue=bool(filters.get("overdue")),
        scope=Scope(scope) if scope in {str(x) for x in Scope} else None,
        reported_complete=bool(filters.get("reported")),
        text=filters.get("q", "").strip()[:200],
        lead=filters.get("lead", "").strip()[:320] or None,
    )


def _size(text: str) -> int:
    """``size=`` of the address: actions a page (``PAGE_SIZE`` for anything that is not a number)."""
    return page_number(text) if text.isascii() and text.isdigit() else PAGE_SIZE


def _order(filters: dict[str, str]) -> Order:
    sort = filters.get("sort", "")
    return Order(Sort(sort) if sort in {str(s) for s in Sort} else Sort.DOCUMENT, filters.get("order") == "desc")


async def list_response(
    request: Request,
    principal: Principal,
    filters: dict[str, str],
    sheet: bulk_sheets.Sheet | None = None,
    status: int = 200,
    *,
    tick_all: bool = False,
) -> Response:
    """A page of the list with ``filters``, the bulk form for the moves the person could make on what it
    shows, and what the last bulk form did or why it was refused (``sheet``)."""
    app = dhr(request)
    today = app.clock.today()
    query, order = _query(filters), _order(filters)
    shown = await numbered_page(
        app.reader,
        principal,
        query,
        order,
        page=page_number(filters.get("page", "")),
        size=_size(filters.get("size", "")),
        today=today,
        policy=app.rag_policy,
    )
    items = shown.cards
    choices = await list_choices(app.reader, principal, today=today)
    offered = _offered(items)
    leads = await desk.lead_officers(app.reader, principal) if BulkMove.REASSIGN in offered else []
    ticked_before = sheet.picked if sheet and sheet.error else []  # a refused form's ticks come back
    picked = {c.view.id for c in items} if tick_all else set(ticked_before)
    here = {name: value for name, value in filters.items() if name in FILTERS and value}
    if shown.page > 1:
        here["page"] = str(shown.page)  # the page shown, should the address have asked for one past the last
    else:
        here.pop("page", None)
    return await render(
        request,
        "actions.html",
        principal,
        status,
        items=items,
        shown=shown,
        page_size=PAGE_SIZE,
        query=query,
        order=order,
        here="actions",
        reviews=choices.reviews,
        review_labels=choices.review_labels,
        agencies=choices.agencies,
        lead_choices=choices.leads,
        states=[str(s) for s in State],
        rags=[str(r) for r in Rag],
        scopes=[str(s) for s in Scope],
        sorts=[(str(s), label) for s, label in SORTS.items()],
        sorting=_sorting(here, order),
        pages=pager(shown.page, shown.pages, lambda n: list_address(here, page=str(n) if n > 1 else "")),
        offered=[(str(m), bulk_sheets.MOVES[m][0]) for m in offered],
        takes_comment=any(m.takes_comment for m in offered),
        leads=leads,
        picked=picked,
        sheet=sheet,
        kept=list(here.items()),
        tick_all_address=list_address(here, tick="all"),
        untick_address=list_address(here),
        ticked_all=tick_all,
    )


def _sorting(here: dict[str, str], order: Order) -> dict[str, tuple[str, str]]:
    """Each sortable column's header: the address that sorts by it (the other way round when it already
    does) and its ``aria-sort``."""
    columns = {"Action": Sort.DOCUMENT, "Agency": Sort.AGENCY, "State": Sort.STATE, "Target": Sort.TARGET}
    columns["RAG"] = Sort.RAG
    out = {}
    for column, sort in columns.items():
        current = order.sort is sort
        descending = current and not order.descending
        address = list_address(
            here, sort="" if sort is Sort.DOCUMENT else str(sort), order="desc" if descending else "", page=""
        )
        aria = ("descending" if order.descending else "ascending") if current else "none"
        out[column] = (address, aria)
    return out


def _offered(cards: list[desk.Card]) -> list[BulkMove]:
    """The bulk moves the person could make on at least one of ``cards``, in the form's order."""
    could = {
        BulkMove.VERIFY: any(m.event is Event.VERIFY for c in cards for m in c.moves),
        BulkMove.ASSURE: any(m.event is Event.ASSURE for c in cards for m in c.moves),
        BulkMove.ACKNOWLEDGE: any(c.escalations_waiting for c in cards),
        BulkMove.REASSIGN: any(c.may_reassign for c in cards),
    }
    return [move for move in BulkMove if could[move]]


@router.get("/actions/{action_id}")
async def action_view(request: Request, principal: Signed, action_id: Id, done: str = "") -> Response:
    page = f"/actions/{action_id}"
    draft = drafts.taken(request, principal.person.id, page)
    response = await action_response(request, principal, action_id, flash=done, draft=draft)
    if draft is not None:
        drafts.forget(response, page)
    return response


async def refused(request: Request, principal: Principal, action_id: int, status: int, draft: Draft) -> Response:
    """A refused form back on the action page: a redirect there (POST-redirect-GET) with the draft kept, or,
    when the draft is too big for a cookie, the page itself with the refusal's status."""
    response = RedirectResponse(f"/actions/{action_id}#form-{draft.form}", status_code=303)
    if drafts.keep(response, request, principal.person.id, f"/actions/{action_id}", draft):
        return response
    return await action_response(request, principal, action_id, status, draft=draft)


async def action_response(
    request: Request,
    principal: Principal,
    action_id: int,
    status: int = 200,
    flash: str = "",
    error: str = "",
    draft: Draft | None = None,
) -> Response:
    """The action page, with what a form on it did (``flash``) or why it could not (``error``, or ``draft``: the
    refused form's text, back in its form with the error beside the field)."""
    app = dhr(request)
    page = await desk.action_page(app.reader, principal, action_id, today=app.clock.today(), policy=app.rag_policy)
    themes = await action_themes(app.reader, principal.person.partnership_id, action_id)
    timeline = page.detail.timeline
    changed = [d for d in timeline if d.seq > draft.seen and d.event in DONE_WORDS] if draft and draft.stale else []
    forms = [_form_key(n, m["event"]) for n, p in enumerate(_all_powers(page), 1) for m in _powers(p)["moves"]]
    impact = page.detail.impact
    may_answer = (
        principal.person.role is Role.PARTNERSHIP_ASSURER and impact is not None and impact.check.outcome is None
    )
    impact_form = may_answer and draft is not None and draft.form == "impact"
    if draft is not None and draft.form not in forms:  # a form posted without its key: its move's first form
        draft = replace(draft, form=next((f for f in forms if f.endswith(f"-{draft.form}")), draft.form))
    return await render(
        request,
        "action.html",
        principal,
        status,
        a=page.detail.action,
        page=page,
        timeline=timeline,
        evidence=page.detail.evidence,
        story=story_of(page.detail),
        words=event_words,
        states=STATE_WORDS,
        day=day,
        uk_time=uk_time,
        seen=timeline[-1].seq if timeline else 0,
        draft=draft,
        changed=changed,
        draft_orphaned=bool(
            draft and draft.form not in forms and not _other_form(draft.form, page) and not impact_form
        ),
        impact=page.detail.impact,
        impact_evidence=page.detail.impact_evidence,
        may_answer_impact=may_answer,
        powers=[_powers(p) for p in _all_powers(page)],
        themes=themes,
        may_set_themes=principal.person.role is Role.COORDINATOR,
        flash=flash,
        error=error,
        here="actions",
    )


def _form_key(n: int, event: str) -> str:
    return f"{n}-{event}"


def _other_form(key: str, page: desk.ActionPage) -> bool:
    """Whether ``key`` names a form other than a move's that the page still shows."""
    for n, p in enumerate(_all_powers(page), 1):
        shown = {
            f"{n}-extension": p.may_request_extension,
            f"{n}-extension-decision": p.may_decide_extension,
            f"{n}-reassign": bool(p.lead_choices),
        }
        if shown.get(key):
            return True
    return False


def _all_powers(page: desk.ActionPage) -> tuple[desk.Powers, ...]:
    return (_own(page), *page.stand_ins)


def _own(page: desk.ActionPage) -> desk.Powers:
    return desk.Powers(page.moves, page.may_request_extension, page.may_decide_extension, page.lead_choices)


def _powers(p: desk.Powers) -> dict[str, Any]:
    """What the action page offers one actor: its moves as the form needs them, and the other forms."""
    moves = [{"label": m.label, "event": str(m.event), "guards": [str(g) for g in m.guards]} for m in p.moves]
    return {
        "moves": moves,
        "may_request_extension": p.may_request_extension,
        "may_decide_extension": p.may_decide_extension,
        "lead_choices": p.lead_choices,
        "for_email": p.for_email,
        "for_name": p.for_name,
    }
