"""The reviews page: each review of the partnership with its progress at a glance (share assured, overdue,
the RAG chart and counts by agency, what is still to be assured month by month), the overdue actions and
where each action stands on its ladder; its forms and links lead to ``final_audit``, ``exports`` and
``themes``."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from domain.access import may_read_partnership_documents
from domain.model import Person
from domain.rag import ATTENTION, Rag, RagPolicy
from domain.roles import Role
from web.pages.common import Signed, page_number, pager
from web.params import Id
from web.security import dhr
from web.templating import render
from workflows.commands.deputies import standing_in_for
from workflows.context import Principal
from workflows.queries.action_list import Order, Sort, numbered_page
from workflows.queries.actions import ActionQuery
from workflows.queries.ladders import Position, ladder_positions
from workflows.queries.reviews import review_page, review_place
from workflows.runtime.container import App
from workflows.runtime.working_days import england_and_wales

router = APIRouter(include_in_schema=False)


OVERDUE_SHOWN = 10
"""Overdue actions the reviews page lists (the longest overdue first); a link leads to all of them."""


@router.get("/reviews")
async def reviews_page(request: Request, principal: Signed, done: str = "", page: str = "") -> Response:
    """A page of the partnership's reviews, each with its summary, progress and ladder, and the longest overdue
    actions: what it reads is bounded by the page, not by the partnership."""
    app = dhr(request)
    today = app.clock.today()
    pid = principal.person.partnership_id
    shown = await review_page(app.reader, pid, page=page_number(page), today=today, policy=app.rag_policy)
    summaries = shown.summaries
    late = ActionQuery(overdue=True)
    overdue = await numbered_page(
        app.reader, principal, late, OLDEST_TARGET, size=OVERDUE_SHOWN, today=today, policy=app.rag_policy
    )
    positions: dict[str, list[Position]] = {}
    if summaries:
        refs = [s.review_ref for s in summaries]
        found = await ladder_positions(
            app.reader, principal, today=today, calendar=england_and_wales(), review_refs=refs
        )
        for p in found:
            positions.setdefault(p.review_ref, []).append(p)
    return await render(
        request,
        "reviews.html",
        principal,
        summaries=summaries,
        shown=shown,
        pages=pager(shown.page, shown.pages, lambda n: "/reviews" + (f"?page={n}" if n > 1 else "")),
        overdue=overdue.cards,
        overdue_total=overdue.total,
        overdue_address="/actions?overdue=1&sort=target",
        positions=positions,
        signers=await _signers(app, principal, today),
        progress=shown.progress,
        colours=list(RAG_ORDER),
        meanings=rag_meanings(app.rag_policy),
        this_month=today.replace(day=1),
        here="reviews",
        flash=done,
        documents=may_read_partnership_documents(principal.actor),
        anchor=anchor,
    )


OLDEST_TARGET = Order(Sort.TARGET)


RAG_ORDER = ATTENTION
"""The order of the chart's bars and the table's columns: what needs attention first."""


def rag_meanings(policy: RagPolicy) -> dict[Rag, str]:
    """What each colour means under the partnership's policy (``domain.rag``), for the chart's key."""
    undated = " or has no readable target date" if policy.undated is Rag.AMBER else ""
    meanings = {
        Rag.RED: "open and past its target date (overdue)",
        Rag.AMBER: f"due within {policy.warning_days} days, returned to its lead officer{undated}",
        Rag.GREEN: "on track, or its evidence is with a checker",
        Rag.BLUE: "assured by the partnership",
        Rag.GREY: "withdrawn (not counted in the share assured)",
    }
    if policy.undated is not Rag.AMBER:
        meanings[policy.undated] += ", or no readable target date"
    return meanings


async def _signers(app: App, principal: Principal, today: date) -> list[Person | None]:
    """Who the person may start and sign off final audits as: themselves (``None``) if an assurer, and each
    assurer they stand in for today."""
    assurer = Role.PARTNERSHIP_ASSURER
    own: list[Person | None] = [None] if principal.person.role is assurer else []
    return own + [p for p in await standing_in_for(app.reader, principal.person.id, today) if p.role is assurer]


@router.get("/reviews/{review_id}")
async def review_link(request: Request, review_id: Id, principal: Signed) -> Response:
    """Where a notification about a review links: the page of the reviews page that shows it, at the review."""
    place = await review_place(dhr(request).reader, principal.person.partnership_id, review_id)
    if place is None:
        return RedirectResponse("/reviews", status_code=303)
    page, ref = place
    return RedirectResponse(f"/reviews{f'?page={page}' if page > 1 else ''}#{anchor(ref)}", status_code=303)


def anchor(ref: str) -> str:
    """The id of a review's section on the reviews page (a ref may hold a slash or a space)."""
    return "review-" + quote(ref, safe="")
