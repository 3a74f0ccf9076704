"""The unit of work: one transaction, committed explicitly or rolled back.

A state change, its decision record, its evidence rows and its outbox rows are
written through one ``SqlUnitOfWork`` and so commit together or not at all.
The repositories are synchronous: ``run`` hands them, as one ``Tx``, to a plain
function that does the transaction's work in a single trip through SQLAlchemy's
async layer (measured: a quarter of the cost of a decision was that layer, paid
once per statement). A writing unit of work on a SQLite file skips that layer
altogether: its function runs on a synchronous connection of the same file
(``storage.engine.SqliteWriter`` says how the event loop stays free).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy.engine import Connection, CursorResult, Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql import Executable

from storage.engine import SQLITE_WRITER, WRITE, SqliteWriter
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

if TYPE_CHECKING:
    from storage.accounts import ApiTokens, Credentials, EvidenceAccess, PasswordResets, Sessions, SignInAttempts
    from storage.audit import Audit
    from storage.board_cycle import BoardMeetings
    from storage.calendar_feeds import CalendarFeeds
    from storage.deputies import Deputies
    from storage.escalations import Escalations, Ladders
    from storage.firings import Firings
    from storage.impact import ImpactChecks
    from storage.import_mappings import ImportMappings
    from storage.milestones import Milestones
    from storage.outbox import Outbox
    from storage.reports import Reports
    from storage.review_kinds import ReviewKinds
    from storage.signoffs import SignOffs
    from storage.themes import Themes

P = ParamSpec("P")
T = TypeVar("T")


def writing(engine: AsyncEngine) -> AsyncEngine:
    """``engine`` for units of work that write (same pool; SQLite begins them ``IMMEDIATE``)."""
    return engine.execution_options(**{WRITE: True})


class Tx:
    """The repositories of one transaction, on its synchronous connection.

    Each is made when the transaction first uses it, and the modules of the less used ones are imported
    then: a read touches a few of the 27, and a CLI read command loads the modules of those few only.
    """

    def __init__(self, conn: Connection) -> None:
        self.connection = conn

    @cached_property
    def partnerships(self) -> Partnerships:
        return Partnerships(self.connection)

    @cached_property
    def people(self) -> People:
        return People(self.connection)

    @cached_property
    def agencies(self) -> Agencies:
        return Agencies(self.connection)

    @cached_property
    def reviews(self) -> Reviews:
        return Reviews(self.connection)

    @cached_property
    def milestones(self) -> Milestones:
        from storage.milestones import Milestones

        return Milestones(self.connection)

    @cached_property
    def recommendations(self) -> Recommendations:
        return Recommendations(self.connection)

    @cached_property
    def actions(self) -> Actions:
        return Actions(self.connection)

    @cached_property
    def decisions(self) -> Decisions:
        return Decisions(self.connection)

    @cached_property
    def outbox(self) -> Outbox:
        from storage.outbox import Outbox

        return Outbox(self.connection)

    @cached_property
    def evidence(self) -> Evidence:
        return Evidence(self.connection)

    @cached_property
    def extensions(self) -> Extensions:
        return Extensions(self.connection)

    @cached_property
    def escalations(self) -> Escalations:
        from storage.escalations import Escalations

        return Escalations(self.connection)

    @cached_property
    def firings(self) -> Firings:
        from storage.firings import Firings

        return Firings(self.connection)

    @cached_property
    def ladders(self) -> Ladders:
        from storage.escalations import Ladders

        return Ladders(self.connection)

    @cached_property
    def credentials(self) -> Credentials:
        from storage.accounts import Credentials

        return Credentials(self.connection)

    @cached_property
    def sign_in_attempts(self) -> SignInAttempts:
        from storage.accounts import SignInAttempts

        return SignInAttempts(self.connection)

    @cached_property
    def sessions(self) -> Sessions:
        from storage.accounts import Sessions

        return Sessions(self.connection)

    @cached_property
    def api_tokens(self) -> ApiTokens:
        from storage.accounts import ApiTokens

        return ApiTokens(self.connection)

    @cached_property
    def evidence_access(self) -> EvidenceAccess:
        from storage.accounts import EvidenceAccess

        return EvidenceAccess(self.connection)

    @cached_property
    def signoffs(self) -> SignOffs:
        from storage.signoffs import SignOffs

        return SignOffs(self.connection)

    @cached_property
    def password_resets(self) -> PasswordResets:
        from storage.accounts import PasswordResets

        return PasswordResets(self.connection)

    @cached_property
    def deputies(self) -> Deputies:
        from storage.deputies import Deputies

        return Deputies(self.connection)

    @cached_property
    def reports(self) -> Reports:
        from storage.reports import Reports

        return Reports(self.connection)

    @cached_property
    def calendar_feeds(self) -> CalendarFeeds:
        from storage.calendar_feeds import CalendarFeeds

        return CalendarFeeds(self.connection)

    @cached_property
    def themes(self) -> Themes:
        from storage.themes import Themes

        return Themes(self.connection)

    @cached_property
    def import_mappings(self) -> ImportMappings:
        from storage.import_mappings import ImportMappings

        return ImportMappings(self.connection)

    @cached_property
    def board_meetings(self) -> BoardMeetings:
        from storage.board_cycle import BoardMeetings

        return BoardMeetings(self.connection)

    @cached_property
    def impact_checks(self) -> ImpactChecks:
        from storage.impact import ImpactChecks

        return ImpactChecks(self.connection)

    @cached_property
    def review_kinds(self) -> ReviewKinds:
        from storage.review_kinds import ReviewKinds

        return ReviewKinds(self.connection)

    @cached_property
    def audit(self) -> Audit:
        from storage.audit import Audit

        return Audit(self.connection)


class SyncConnection:
    """A synchronous connection with ``AsyncConnection``'s awaitable ``execute``.

    What ``SqlUnitOfWork.connection`` is on a SQLite file's writing unit of work,
    for what reaches past the repositories to the connection (tests, the fault
    suite, the bench); the use cases go through ``run``.
    """

    def __init__(self, conn: Connection) -> None:
        self.sync_connection = conn

    @property
    def dialect(self) -> Dialect:
        return self.sync_connection.dialect

    async def execute(self, statement: Executable, parameters: Any = None) -> CursorResult[Any]:
        return self.sync_connection.execute(statement, parameters)

    async def exec_driver_sql(self, statement: str, parameters: Any = None) -> CursorResult[Any]:
        return self.sync_connection.exec_driver_sql(statement, parameters)


class SqlUnitOfWork:
    """Usage: ``async with SqlUnitOfWork(writing(engine)) as uow: x = await uow.run(fn, ...); await uow.commit()``.

    Leaving the block without ``commit()`` (or by an exception) rolls back. On a
    ``writing(engine)`` the transaction takes SQLite's write lock at BEGIN (and
    runs on the file's ``SqliteWriter``); on the plain engine it is a read
    transaction.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._conn: AsyncConnection | None = None
        self._sync: Connection | None = None
        self._writer: SqliteWriter | None = None
        self._committed = False
        options = engine.get_execution_options()
        if options.get(WRITE) and isinstance(writer := options.get(SQLITE_WRITER), SqliteWriter):
            self._writer = writer
            # The options the connection's code reads (the log key), without the writer itself.
            self._options = {k: v for k, v in options.items() if k != SQLITE_WRITER}

    async def __aenter__(self) -> SqlUnitOfWork:
        if self._writer is not None:
            self._sync = await self._writer.begin(self._options)
            return self
        conn = await self._engine.connect()
        try:
            await conn.begin()
        except BaseException:
            await conn.close()
            raise
        self._conn = conn
        return self

    async def run(self, work: Callable[Concatenate[Tx, P], T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """``work(tx, *args, **kwargs)`` on this transaction, in one trip through the async layer (or none)."""
        if self._sync is not None:
            return work(Tx(await self._in_transaction(self._sync)), *args, **kwargs)
        return await self._async_connection.run_sync(lambda conn: work(Tx(conn), *args, **kwargs))

    @property
    def connection(self) -> AsyncConnection | SyncConnection:
        if self._sync is not None:
            return SyncConnection(self._sync)
        assert self._conn is not None, "the unit of work is not open"
        return self._conn

    async def run_and_commit(self, work: Callable[Concatenate[Tx, P], T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """``run`` then ``commit``, in the same single trip: the decision path's whole transaction."""
        if self._sync is not None:
            conn = await self._in_transaction(self._sync)
            result = work(Tx(conn), *args, **kwargs)
            conn.commit()
            self._committed = True
            return result

        def body(conn: Connection) -> T:
            result = work(Tx(conn), *args, **kwargs)
            conn.commit()
            return result

        result = await self._async_connection.run_sync(body)
        self._committed = True
        return result

    async def commit(self) -> None:
        if self._sync is not None:
            self._sync.commit()
        else:
            await self._async_connection.commit()
        self._committed = True

    async def rollback(self) -> None:
        if self._sync is not None:
            self._sync.rollback()
        else:
            await self._async_connection.rollback()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._sync is not None:
            sync, self._sync = self._sync, None
            try:
                if sync.in_transaction():  # committed or not: a transaction begun after a commit is undone too
                    sync.rollback()
            finally:
                sync.close()
            return
        conn = self._async_connection
        try:
            if not self._committed and conn.in_transaction():
                await conn.rollback()
        finally:
            await conn.close()
            self._conn = None

    @property
    def _async_connection(self) -> AsyncConnection:
        assert self._conn is not None, "the unit of work is not open"
        return self._conn

    async def _in_transaction(self, conn: Connection) -> Connection:
        """``conn``, in a write transaction again if an earlier one was committed or rolled back."""
        if not conn.in_transaction():
            assert self._writer is not None
            conn.close()
            self._sync = conn = await self._writer.begin(self._options)
        return conn
