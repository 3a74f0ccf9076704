"""The deadline calendar: the feed a person's secret address opens, and whether they have one.

Making and revoking the address are ``workflows.commands.calendar_feed``.
"""

from __future__ import annotations

from datetime import date

from documents.ical import deadline_calendar
from domain.access import may_see, moves
from domain.deadlines import deadlines, may_check
from domain.extension import may_decide
from domain.model import Person
from domain.roles import Role
from domain.states import State
from storage.action_lists import ActionFilter
from workflows.context import digest, person_named
from workflows.ports import Tx, UowFactory
from workflows.queries.review_kinds import labels_in
from workflows.runtime.clock import Clock
from workflows.runtime.working_days import england_and_wales

TOKEN_PREFIX = "cal_"
"""How a feed token starts (``workflows.commands.calendar_feed`` makes them)."""


async def has_calendar_feed(email: str, *, reader: UowFactory) -> bool:
    def read(tx: Tx) -> bool:
        return any(f.revoked_at is None for f in tx.calendar_feeds.for_person(person_named(tx, email).id))

    async with reader() as uow:
        return await uow.run(read)


async def calendar_feed(token: str, *, reader: UowFactory, clock: Clock) -> bytes | None:
    """The iCalendar feed the token opens, or ``None`` (unknown or revoked: the caller answers 404)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    today = clock.today()

    def read(tx: Tx) -> bytes | None:
        person_id = tx.calendar_feeds.live(digest(token))
        person = tx.people.by_id(person_id) if person_id is not None else None
        if person is None:
            return None
        return _feed_in(tx, person, today, clock)

    async with reader() as uow:
        return await uow.run(read)


def _feed_in(tx: Tx, person: Person, today: date, clock: Clock) -> bytes:
    from workflows.context import Principal

    actor = Principal(person).actor
    items = []
    labels = labels_in(tx, person.partnership_id)  # each event names its review with the review's kind
    # A lead officer or a director sees their own agency's actions only: read just those.
    agency = person.agency_id if person.role in (Role.LEAD_OFFICER, Role.DIRECTOR) else None
    for review_ref, action in tx.actions.matching(ActionFilter(person.partnership_id, agency_id=agency)):
        if not may_see(actor, action):
            continue
        waiting = action.target_date is not None and action.state is State.OPEN and person.role is not Role.VIEWER
        pending = tx.extensions.pending(action.id) if waiting else None
        decide = pending is not None and may_decide(action, actor, pending)
        check = may_check(t.event for t in moves(actor, action))
        items.append((labels.label(review_ref), action, check, decide))
    calendar = england_and_wales()
    return deadline_calendar(deadlines(actor, items, calendar.add_working_days), stamp=clock.now())
