"""The actions list in SQL: which actions a filter keeps (the access rule among them), in which order, a page at
a time, and how many there are in all.

A page is cut by the database, so everything that decides what is on it is applied there before the cut: the
agencies the person may see (``domain.access.visible_agencies``), the filters, the RAG colour (``domain.rag``'s
rule, folded into one ``CASE``) and the order. Filtered afterwards, a page would come out short and its total
wrong. Two ways to page: an offset (the web page's numbered pages, with the total) and a key (the API's cursor:
the sort key of the last row seen, so rows added or moved meanwhile never make a page repeat or skip one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, NamedTuple

from sqlalchemy import Date, Select, and_, case, false, func, literal, or_, select, tuple_
from sqlalchemy.sql.elements import ColumnElement

from domain.model import Action, Scope
from domain.rag import ATTENTION, Due, DueBands, Rag, RagPolicy, colour
from domain.states import State
from storage import mapping
from storage.tables import metadata

ACTION = metadata.tables["action"]
REVIEW = metadata.tables["review"]
AGENCY = metadata.tables["agency"]
REC = metadata.tables["recommendation"]
_FINAL = [str(s) for s in State if s.is_final]
_DEFAULT_POLICY = RagPolicy()
NO_DATE = date(9999, 12, 31)
"""Where an action without a readable target date sorts by date: after every date dhrflow keeps."""


@dataclass(frozen=True)
class Lead:
    """The actions a lead officer leads (``domain.lifecycle.leads_action``): those naming them, and those of
    their agency that name no lead officer yet."""

    person_id: int
    agency_id: int | None


@dataclass(frozen=True)
class ActionFilter:
    partnership_id: int
    review_ref: str | None = None
    agency_id: int | None = None
    states: Sequence[str] = ()
    due_before: date | None = None
    """Only open actions whose target date is before this day (overdue on it)."""
    scope: Scope | None = None
    """Only actions of recommendations of this scope."""
    reported_complete: bool = False
    """Only actions the plan reported done that the partnership has not yet assured or withdrawn."""
    led_by: int | None = None
    """Only actions this person leads: named on them, or of an agency with no lead officer named on them
    (``agency_id`` says which agency)."""
    visible: frozenset[int] | None = None
    """The access rule: only actions of these agencies (``None``: every agency of the partnership)."""
    rags: Sequence[Rag] = ()
    """Only actions of these colours on ``today``."""
    today: date | None = None
    """The day the RAG colour is read on (a RAG filter or order needs it)."""
    policy: RagPolicy = _DEFAULT_POLICY
    text: str = ""
    """Only actions whose ref, review's ref or text holds this, in any case."""
    lead: Lead | None = None
    """Only the actions this lead officer leads."""
    review_refs: Sequence[str] = ()
    """Only actions of these reviews (a page of reviews)."""
    plan_columns: bool = True
    """``False``: the plan's columns other than the action's own words (outcome, monitoring, progress, ...) are
    not read, and come back empty: for a read that decides by state and shows the words only (My tasks reads
    hundreds of actions to find an assurer's checks)."""


class Sort(StrEnum):
    """What a list is sorted by; each ends in the document order (review, place in the plan), so that the
    order is total and a cursor can name a place in it."""

    DOCUMENT = "ref"
    AGENCY = "agency"
    STATE = "state"
    TARGET = "target"
    RAG = "rag"


@dataclass(frozen=True)
class Order:
    sort: Sort = Sort.DOCUMENT
    descending: bool = False


SortKey = tuple[Any, ...]
"""A row's place in an order: the sort's own value (none for the document order), then its review's ref, its
position and its id."""


class Listed(NamedTuple):
    review_ref: str
    action: Action
    key: SortKey


def rag_rank(today: date, policy: RagPolicy) -> ColumnElement[int]:
    """Each action's RAG colour on ``today`` as its place in ``domain.rag.ATTENTION`` (red 0 ... grey 4).

    ``domain.rag.colour`` decides every state, returned flag and standing of the target date here; the
    ``CASE`` is only its table, folded where the flag or the date makes no difference.
    """
    bands = DueBands.on(today, policy)
    target = ACTION.c.target_date
    standing = {
        Due.UNDATED: target.is_(None),
        Due.PAST: target < bands.past_before,
        Due.SOON: and_(target >= bands.past_before, target <= bands.soon_until),
        Due.LATER: target > bands.soon_until,
    }
    rank = {rag: n for n, rag in enumerate(ATTENTION)}
    whens: list[tuple[ColumnElement[bool], int]] = []
    for state in State:
        in_state = ACTION.c.state == str(state)
        table = {(r, d): colour(state, r, d, policy) for r in (False, True) for d in Due}
        if len(set(table.values())) == 1:
            whens.append((in_state, rank[table[(False, Due.LATER)]]))
            continue
        for d in Due:
            plain, returned = table[(False, d)], table[(True, d)]
            if plain != returned:
                whens.append((and_(in_state, standing[d], ACTION.c.returned.is_(True)), rank[returned]))
            whens.append((and_(in_state, standing[d]), rank[plain]))
    return case(*whens, else_=rank[Rag.GREY])


def _state_rank() -> ColumnElement[int]:
    return case(*((ACTION.c.state == str(s), n) for n, s in enumerate(State)), else_=len(State))


def _sort_keys(f: ActionFilter, order: Order) -> list[ColumnElement[Any]]:
    """The columns of ``order``'s key, the document order last."""
    document: list[ColumnElement[Any]] = [REVIEW.c.ref, ACTION.c.position, ACTION.c.id]
    if order.sort is Sort.DOCUMENT:
        return document
    if order.sort is Sort.AGENCY:
        first: ColumnElement[Any] = AGENCY.c.name
    elif order.sort is Sort.STATE:
        first = _state_rank()
    elif order.sort is Sort.TARGET:
        first = func.coalesce(ACTION.c.target_date, literal(NO_DATE, Date))
    else:
        first = rag_rank(_day(f), f.policy)
    return [first, *document]


def _day(f: ActionFilter) -> date:
    if f.today is None:
        raise ValueError("a filter or an order by RAG needs the day to read the colours on (ActionFilter.today)")
    return f.today


def narrowed(stmt: Select[Any], f: ActionFilter) -> Select[Any]:
    """``stmt`` (of ``action`` joined to its ``review``) kept to what ``f`` lets through."""
    stmt = stmt.where(REVIEW.c.partnership_id == f.partnership_id)
    if f.review_ref:
        stmt = stmt.where(REVIEW.c.ref == f.review_ref)
    if f.review_refs:
        stmt = stmt.where(REVIEW.c.ref.in_(sorted(set(f.review_refs))))
    if f.visible is not None:
        stmt = stmt.where(ACTION.c.agency_id.in_(sorted(f.visible)) if f.visible else false())
    if f.agency_id is not None:
        stmt = stmt.where(ACTION.c.agency_id == f.agency_id)
    if f.states:
        stmt = stmt.where(ACTION.c.state.in_(list(f.states)))
    if f.due_before is not None:
        stmt = stmt.where(ACTION.c.state == str(State.OPEN), ACTION.c.target_date < f.due_before)
    if f.scope is not None:
        scoped = select(REC.c.id).where(REC.c.review_id == ACTION.c.review_id)
        scoped = scoped.where(("," + REC.c.scope + ",").contains(f",{f.scope},"))
        stmt = stmt.where(ACTION.c.recommendation_id.in_(scoped))
    if f.reported_complete:
        stmt = stmt.where(ACTION.c.reported_complete.is_(True), ACTION.c.state.not_in(_FINAL))
    if f.led_by is not None:
        stmt = stmt.where(or_(ACTION.c.lead_officer_id == f.led_by, ACTION.c.lead_officer_id.is_(None)))
    if f.lead is not None:
        named = ACTION.c.lead_officer_id == f.lead.person_id
        if f.lead.agency_id is not None:
            stmt = stmt.where(
                or_(named, and_(ACTION.c.lead_officer_id.is_(None), ACTION.c.agency_id == f.lead.agency_id))
            )
        else:
            stmt = stmt.where(named)
    if f.rags:
        ranks = sorted({ATTENTION.index(r) for r in f.rags})
        stmt = stmt.where(rag_rank(_day(f), f.policy).in_(ranks))
    if text := f.text.strip():
        stmt = stmt.where(
            or_(
                ACTION.c.ref.icontains(text, autoescape=True),
                REVIEW.c.ref.icontains(text, autoescape=True),
                ACTION.c.action.icontains(text, autoescape=True),
            )
        )
    return stmt


_PLAN_ONLY = (
    *("lead", "target_date_text", "desired_outcome", "monitoring", "success_measure", "outcome_progress"),
    *("evidence_location", "status_rag", "quality_assured_by"),
)


def action_columns(f: ActionFilter) -> list[Any]:
    """The columns of ``action`` a read of ``f`` selects: all, or without the plan's long texts."""
    if f.plan_columns:
        return [ACTION]
    blank = [literal("").label(name) for name in _PLAN_ONLY] + [literal("{}").label("extra")]
    return [c for c in ACTION.c if c.name not in (*_PLAN_ONLY, "extra")] + blank


def _base(*columns: Any) -> Select[Any]:
    return select(*columns).select_from(ACTION).join(REVIEW, REVIEW.c.id == ACTION.c.review_id)


def count_statement(f: ActionFilter) -> Select[Any]:
    """How many actions ``f`` keeps."""
    return narrowed(_base(func.count()), f)


def page_statement(
    f: ActionFilter, order: Order, limit: int, *, offset: int = 0, after: SortKey | None = None
) -> Select[Any]:
    """At most ``limit`` actions ``f`` keeps, in ``order``: from the ``offset``-th, or after the row whose key is
    ``after``. Each row holds the action, ``review_ref_`` and its key as ``key_0``, ``key_1``, ..."""
    keys = _sort_keys(f, order)
    labelled = [k.label(f"key_{n}") for n, k in enumerate(keys)]
    stmt = narrowed(_base(*action_columns(f), REVIEW.c.ref.label("review_ref_"), *labelled), f)
    if order.sort is Sort.AGENCY:
        stmt = stmt.join(AGENCY, AGENCY.c.id == ACTION.c.agency_id)
    if after is not None:
        if len(after) != len(keys):
            raise ValueError(f"a key of the {order.sort} order has {len(keys)} values, not {len(after)}")
        place = tuple_(*keys)
        stmt = stmt.where(place < tuple_(*after) if order.descending else place > tuple_(*after))
    stmt = stmt.order_by(*(label.desc() if order.descending else label for label in labelled))
    return stmt.limit(limit).offset(offset or None)


def listed(row: Any, width: int) -> Listed:
    """A row of ``page_statement`` (a mapping) as the action, its review's ref and its key."""
    key = tuple(row[f"key_{n}"] for n in range(width))
    return Listed(row["review_ref_"], mapping.action_from_row(row), key)


def key_width(order: Order) -> int:
    """How many values a key of ``order`` has."""
    return 3 if order.sort is Sort.DOCUMENT else 4
