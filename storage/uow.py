"""The unit of work: one transaction, committed explicitly or rolled back.

A state change, its decision record, its evidence rows and its outbox rows are
written through one ``SqlUnitOfWork`` and so commit together or not at all.
The repositories are synchronous: ``run`` hands them, as one ``Tx``, to a plain
function that does the transaction's work in a single trip through SQLAlchemy's
async layer (measured: a quarter of the cost of a decision was that layer, paid
once per statement).
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.accounts import ApiTokens, Credentials, EvidenceAccess, PasswordResets, Sessions, SignInAttempts
from storage.audit import Audit
from storage.board_cycle import BoardMeetings
from storage.calendar_feeds import CalendarFeeds
from storage.deputies import Deputies
from storage.engine import WRITE
from storage.escalations import Escalations, Ladders
from storage.firings import Firings
from storage.import_mappings import ImportMappings
from storage.outbox import Outbox
from storage.reports import Reports
from storage.repositories import (
    Actions,
    Agencies,
    Decisions,
    Evidence,
    Extensions,
    Partnerships,
    People,
    Recommendations,
    Reviews,
)
from storage.signoffs import SignOffs
from storage.themes import Themes

P = ParamSpec("P")
T = TypeVar("T")


def writing(engine: AsyncEngine) -> AsyncEngine:
    """``engine`` for units of work that write (same pool; SQLite begins them ``IMMEDIATE``)."""
    return engine.execution_options(**{WRITE: True})


class Tx:
    """The repositories of one transaction, on its synchronous connection."""

    def __init__(self, conn: Connection) -> None:
        self.connection = conn
        self.partnerships = Partnerships(conn)
        self.people = People(conn)
        self.agencies = Agencies(conn)
        self.reviews = Reviews(conn)
        self.recommendations = Recommendations(conn)
        self.actions = Actions(conn)
        self.decisions = Decisions(conn)
        self.outbox = Outbox(conn)
        self.evidence = Evidence(conn)
        self.extensions = Extensions(conn)
        self.escalations = Escalations(conn)
        self.firings = Firings(conn)
        self.ladders = Ladders(conn)
        self.credentials = Credentials(conn)
        self.sign_in_attempts = SignInAttempts(conn)
        self.sessions = Sessions(conn)
        self.api_tokens = ApiTokens(conn)
        self.evidence_access = EvidenceAccess(conn)
        self.signoffs = SignOffs(conn)
        self.password_resets = PasswordResets(conn)
        self.deputies = Deputies(conn)
        self.reports = Reports(conn)
        self.calendar_feeds = CalendarFeeds(conn)
        self.themes = Themes(conn)
        self.import_mappings = ImportMappings(conn)
        self.board_meetings = BoardMeetings(conn)
        self.audit = Audit(conn)


class SqlUnitOfWork:
    """Usage: ``async with SqlUnitOfWork(writing(engine)) as uow: x = await uow.run(fn, ...); await uow.commit()``.

    Leaving the block without ``commit()`` (or by an exception) rolls back. On a
    ``writing(engine)`` the transaction takes SQLite's write lock at BEGIN; on the
    plain engine it is a read transaction.
    """

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
        return self

    async def run(self, work: Callable[Concatenate[Tx, P], T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """``work(tx, *args, **kwargs)`` on this transaction, in one trip through the async layer."""
        return await self.connection.run_sync(lambda conn: work(Tx(conn), *args, **kwargs))

    @property
    def connection(self) -> AsyncConnection:
        assert self._conn is not None, "the unit of work is not open"
        return self._conn

    async def run_and_commit(self, work: Callable[Concatenate[Tx, P], T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """``run`` then ``commit``, in the same single trip: the decision path's whole transaction."""

        def body(conn: Connection) -> T:
            result = work(Tx(conn), *args, **kwargs)
            conn.commit()
            return result

        result = await self.connection.run_sync(body)
        self._committed = True
        return result

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
