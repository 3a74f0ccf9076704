"""The actions a person may see, a page at a time: numbered pages with the total for the list page, a cursor
for the API, the first few for the reviews page's overdue actions.

Each page costs what it shows: the database applies the access rule, the filters, the order and the cut
(``storage.action_lists``), and only the page's actions are read and turned into cards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain.access import visible_agencies
from domain.rag import RagPolicy
from domain.roles import Role
from storage.action_lists import ActionFilter, Lead, Order, Sort, SortKey, key_width
from workflows.context import Principal, agency_matching
from workflows.errors import InvalidInput
from workflows.ports import Tx, UowFactory
from workflows.queries import cursors
from workflows.queries.actions import ActionQuery
from workflows.queries.desk import Card, actors_of, cards_of

__all__ = [
    "PAGE_SIZE",
    "CardPage",
    "CardSlice",
    "Choices",
    "Order",
    "Sort",
    "cursor_page",
    "list_choices",
    "numbered_page",
]

PAGE_SIZE = 50
"""Actions on a page of the list, unless the address asks for another number."""
MAX_PAGE_SIZE = 200
DOCUMENT_ORDER = Order()
"""Review by review, each in the order of its plan."""


@dataclass(frozen=True)
class CardPage:
    """A page of the list: its cards, which page it is and how many there are in all."""

    cards: list[Card]
    total: int
    page: int
    """The page shown, from 1 (the last one when the address asked for a page past it)."""
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        """The place of the first card in the whole list, from 1 (0 when the list is empty)."""
        return (self.page - 1) * self.size + 1 if self.cards else 0

    @property
    def last(self) -> int:
        return self.first + len(self.cards) - 1 if self.cards else 0


@dataclass(frozen=True)
class CardSlice:
    """Cards after a cursor, and the cursor of the next slice (``None``: this was the last)."""

    cards: list[Card]
    next: str | None


@dataclass(frozen=True)
class Choices:
    """What the list's filters offer the person: the partnership's reviews, and the agencies and lead officers
    of what they may see."""

    reviews: list[str]
    agencies: list[str]
    leads: list[tuple[str, str]]
    """(email, name) of each lead officer."""
    review_labels: dict[str, str] = field(default_factory=dict)
    """Each review's label by its ref ("DARDR BDHR2011/12-03"), for the filter's options."""


async def list_choices(reader: UowFactory, principal: Principal, *, today: date) -> Choices:
    def read(tx: Tx) -> Choices:
        pid = principal.person.partnership_id
        seen = visible_agencies(actor for _, actor in actors_of(tx, principal, today))
        agencies = [a for a in tx.agencies.in_partnership(pid) if seen is None or a.id in seen]
        leads = [
            (p.email, p.name)
            for p in tx.people.in_partnership(pid)
            if p.role is Role.LEAD_OFFICER and (seen is None or p.agency_id in seen)
        ]
        reviews = tx.reviews.in_partnership(pid)
        kinds = {k.key: k for k in tx.review_kinds.all()}
        return Choices(
            [r.ref for r in reviews],
            sorted(a.name for a in agencies),
            sorted(leads, key=lambda lead: lead[1].lower()),
            {r.ref: kinds[r.kind].label(r.ref) if r.kind in kinds else r.ref for r in reviews},
        )

    async with reader() as uow:
        return await uow.run(read)


async def numbered_page(
    reader: UowFactory,
    principal: Principal,
    query: ActionQuery,
    order: Order = DOCUMENT_ORDER,
    *,
    page: int = 1,
    size: int = PAGE_SIZE,
    today: date,
    policy: RagPolicy,
) -> CardPage:
    """Page ``page`` of the actions ``principal`` may see that match ``query``, in ``order``, with the total.

    Raises:
        InvalidInput: an agency or lead officer the partnership does not have.
    """
    size = min(max(size, 1), MAX_PAGE_SIZE)

    def read(tx: Tx) -> CardPage:
        f = _filter(tx, principal, query, today, policy)
        total = tx.actions.count(f)
        last = max(1, -(-total // size))
        shown = min(max(page, 1), last)
        rows = tx.actions.page(f, order, size, offset=(shown - 1) * size) if total else []
        pairs = [(r.review_ref, r.action) for r in rows]
        return CardPage(cards_of(tx, principal, pairs, today, policy), total, shown, size)

    async with reader() as uow:
        return await uow.run(read)


async def cursor_page(
    reader: UowFactory,
    principal: Principal,
    query: ActionQuery,
    order: Order = DOCUMENT_ORDER,
    *,
    limit: int,
    cursor: str | None = None,
    today: date,
    policy: RagPolicy,
) -> CardSlice:
    """At most ``limit`` of the actions ``principal`` may see that match ``query``, in ``order``, after the one
    ``cursor`` names (from the start without one), and the cursor of the next slice.

    Raises:
        InvalidInput: a cursor dhrflow did not give for this order; an unknown agency or lead officer.
    """
    after = key_of(cursor, order) if cursor else None

    def read(tx: Tx) -> CardSlice:
        f = _filter(tx, principal, query, today, policy)
        rows = tx.actions.page(f, order, limit + 1, after=after)
        more = len(rows) > limit
        rows = rows[:limit]
        cards = cards_of(tx, principal, [(r.review_ref, r.action) for r in rows], today, policy)
        return CardSlice(cards, cursor_of(order, rows[-1].key) if more else None)

    async with reader() as uow:
        return await uow.run(read)


def _filter(tx: Tx, principal: Principal, query: ActionQuery, today: date, policy: RagPolicy) -> ActionFilter:
    """``query`` as the database applies it, with the access rule: the agencies the person sees, as
    themselves or as the deputy of someone."""
    for name, value in (
        ("review", query.review_ref),
        ("agency", query.agency),
        ("lead", query.lead),
        ("q", query.text),
    ):
        if value and "\x00" in value:  # PostgreSQL holds no such text: a 422, not a failed statement
            raise InvalidInput(f"{name} holds a NUL character (U+0000), which no action has: take it out")
    pid = principal.person.partnership_id
    agency_id = agency_matching(tx.agencies.in_partnership(pid), query.agency).id if query.agency else None
    actors = [actor for _, actor in actors_of(tx, principal, today)]
    return ActionFilter(
        pid,
        query.review_ref,
        agency_id,
        query.states,
        today if query.overdue else None,
        scope=query.scope,
        reported_complete=query.reported_complete,
        visible=visible_agencies(actors),
        rags=query.rags,
        today=today,
        policy=policy,
        text=query.text,
        lead=_lead(tx, pid, query.lead) if query.lead else None,
    )


def _lead(tx: Tx, pid: int, email: str) -> Lead:
    person = tx.people.by_email(email)
    if person is None or person.partnership_id != pid or person.role is not Role.LEAD_OFFICER:
        raise InvalidInput(f"lead: {email.strip()[:320]!r} is none of the partnership's lead officers")
    return Lead(person.id, person.agency_id)


def cursor_of(order: Order, key: SortKey) -> str:
    """An opaque cursor naming the place after ``key`` in ``order``."""
    values = [v.isoformat() if isinstance(v, date) else v for v in key]
    return cursors.encode(_KIND, [str(order.sort), order.descending, *values])


def key_of(cursor: str, order: Order) -> SortKey:
    """The key a cursor of ``order`` names.

    Raises:
        InvalidInput: not a cursor this list gave, or one of another order (ask again without it).
    """
    values = cursors.decode(cursor, _KIND)
    if len(values) != 2 + key_width(order):
        raise cursors.refused()
    sort, descending, *rest = values
    if sort != str(order.sort) or descending is not order.descending:
        raise cursors.refused()
    key = _typed(order.sort, rest)
    if key is None:
        raise cursors.refused()
    return key


_KIND = "actions"


def _typed(sort: Sort, values: list[Any]) -> SortKey | None:
    """``values`` as the key of ``sort`` (a date where the order is by target date); ``None`` if they are not."""
    *first, review_ref, position, action_id = values
    if not (cursors.is_text(review_ref) and cursors.is_int(position) and cursors.is_int(action_id)):
        return None
    if sort is Sort.DOCUMENT:
        return (review_ref, position, action_id)
    [value] = first
    if sort is Sort.TARGET:
        try:
            value = date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None
    elif sort is Sort.AGENCY:
        value = value if cursors.is_text(value) else None
    elif not (cursors.is_int(value) and 0 <= value < 100):
        value = None
    return None if value is None else (value, review_ref, position, action_id)
