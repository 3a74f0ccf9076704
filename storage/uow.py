"""The unit of work: one transaction, committed explicitly or rolled back.

A state change, its decision record, its evidence rows and its outbox rows are
written through one ``SqlUnitOfWork`` and so commit together or not at all.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.engine import WRITE
from storage.repositories import (
    Actions,
    Agencies,
    Decisions,
    Evidence,
    Outbox,
    Partnerships,
    People,
    Recommendations,
    Reviews,
)


def writing(engine: AsyncEngine) -> AsyncEngine:
    """``engine`` for units of work that write (same pool; SQLite begins them ``IMMEDIATE``)."""
    return engine.execution_options(**{WRITE: True})


class SqlUnitOfWork:
    """Usage: ``async with SqlUnitOfWork(writing(engine)) as uow: ...; await uow.commit()``.

    Leaving the block without ``commit()`` (or by an exception) rolls back. On a
    ``writing(engine)`` the transaction takes SQLite's write lock at BEGIN; on the
    plain engine it is a read transaction.
    """

    partnerships: Partnerships
    people: People
    agencies: Agencies
    reviews: Reviews
    recommendations: Recommendations
    actions: Actions
    decisions: Decisions
    outbox: Outbox
    evidence: Evidence

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._conn: AsyncConnection | None = None
        self._committed = False

    async def __aenter__(self) -> SqlUnitOfWork:
        conn = await self._engine.connect()
        try:
            await conn.begin()
        except BaseException:
            await conn.close()
            raise
        self._conn = conn
        self.partnerships = Partnerships(conn)
        self.people = People(conn)
        self.agencies = Agencies(conn)
        self.reviews = Reviews(conn)
        self.recommendations = Recommendations(conn)
        self.actions = Actions(conn)
        self.decisions = Decisions(conn)
        self.outbox = Outbox(conn)
        self.evidence = Evidence(conn)
        return self

    @property
    def connection(self) -> AsyncConnection:
        assert self._conn is not None, "the unit of work is not open"
        return self._conn

    async def commit(self) -> None:
        await self.connection.commit()
        self._committed = True

    async def rollback(self) -> None:
        await self.connection.rollback()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        conn = self.connection
        try:
            if not self._committed and conn.in_transaction():
                await conn.rollback()
        finally:
            await conn.close()
            self._conn = None
