"""Making and revoking a person's secret address for their deadline calendar (the feed is
``workflows.queries.calendar_feed``).

A person has at most one live address: making a new one revokes the old. Only
the SHA-256 of the token is kept, as for API tokens, and like them the address is
the person's own business (not a decision in the partnership's log).
"""

from __future__ import annotations

import secrets

from workflows.context import digest, person_named
from workflows.ports import Tx, UowFactory
from workflows.queries.calendar_feed import TOKEN_PREFIX
from workflows.runtime.clock import Clock


async def create_calendar_feed(email: str, *, uow_factory: UowFactory, clock: Clock) -> str:
    """A new secret token for ``email``'s feed (``/calendar/{token}.ics``), shown once; any old one is revoked.

    Raises:
        UnknownPerson: no such person.
    """
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    at = clock.now()

    def add(tx: Tx) -> None:
        person = person_named(tx, email)
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
        return tx.calendar_feeds.revoke_all(person_named(tx, email).id, at)

    async with uow_factory() as uow:
        return await uow.run_and_commit(revoke)
