"""Use cases for the deadline calendar: make or revoke a person's secret feed address, and the feed itself.

A person has at most one live address: making a new one revokes the old. Only
the SHA-256 of the token is kept, as for API tokens, and like them the address is
the person's own business (not a decision in the partnership's log).
"""

from __future__ import annotations

import secrets
from datetime import date

from documents.ical import deadline_calendar
from domain.access import may_see, moves
from domain.deadlines import deadlines, may_check
from domain.extension import may_decide
from domain.model import Person
from domain.roles import Role
from domain.states import State
from storage.repositories import ActionFilter
from workflows.context import digest
from workflows.errors import UnknownPerson
from workflows.ports import Tx, UowFactory
from workflows.runtime.clock import Clock
from workflows.runtime.working_days import england_and_wales

TOKEN_PREFIX = "cal_"


def _person(tx: Tx, email: str) -> Person:
    person = tx.people.by_email(email.strip())
    if person is None:
        raise UnknownPerson(email)
    return person


async def create_calendar_feed(email: str, *, uow_factory: UowFactory, clock: Clock) -> str:
    """A new secret token for ``email``'s feed (``/calendar/{token}.ics``), shown once; any old one is revoked.

    Raises:
        UnknownPerson: no such person.
    """
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    at = clock.now()

    def add(tx: Tx) -> None:
        person = _person(tx, email)
        tx.calendar_feeds.revoke_all(person.id, at)
        tx.calendar_feeds.add(digest(token), person.id, at)

    async with uow_factory() as uow:
        await uow.run_and_commit(add)
    return token


async def revoke_calendar_feed(email: str, *, uow_factory: UowFactory, clock: Clock) -> int:
    """Revoke ``email``'s feed address at once; how many live ones there were (0 or 1).

    Raises:
        UnknownPerson: no such person.
    """
    at = clock.now()

    def revoke(tx: Tx) -> int:
        return tx.calendar_feeds.revoke_all(_person(tx, email).id, at)

    async with uow_factory() as uow:
        return await uow.run_and_commit(revoke)


async def has_calendar_feed(email: str, *, reader: UowFactory) -> bool:
    def read(tx: Tx) -> bool:
        return any(f.revoked_at is None for f in tx.calendar_feeds.for_person(_person(tx, email).id))

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
    # A lead officer or a director sees their own agency's actions only: read just those.
    agency = person.agency_id if person.role in (Role.LEAD_OFFICER, Role.DIRECTOR) else None
    for review_ref, action in tx.actions.matching(ActionFilter(person.partnership_id, agency_id=agency)):
        if not may_see(actor, action):
            continue
        waiting = action.target_date is not None and action.state is State.OPEN and person.role is not Role.VIEWER
        pending = tx.extensions.pending(action.id) if waiting else None
        decide = pending is not None and may_decide(action, actor, pending)
        check = may_check(t.event for t in moves(actor, action))
        items.append((review_ref, action, check, decide))
    calendar = england_and_wales()
    return deadline_calendar(deadlines(actor, items, calendar.add_working_days), stamp=clock.now())
