"""The async engine, built from a plain URL; the async driver is picked here.

SQLite runs in WAL mode with ``BEGIN IMMEDIATE`` for writing units of work, so
two writers queue on the database lock instead of failing when one upgrades its
read snapshot to a write (``SQLITE_BUSY_SNAPSHOT``); on a SQLite file those run on
a synchronous engine of their own (``SqliteWriter``). ``synchronous=NORMAL``: a
commit survives the process dying at any point; a power cut may lose the last
commits (WAL frames not yet synced), never corrupt the file. PostgreSQL gives up
waiting for a row lock after ``LOCK_TIMEOUT_S`` instead of waiting for ever.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import QueuePool
from sqlalchemy.util.concurrency import await_

from storage.errors import DatabaseBusy, InvalidDatabaseUrl
from storage.sqlite_inline import InlineConnection, Retrying, inline_creator, is_lock_error

WRITE = "dhrflow_write"
"""Execution option marking a connection whose transaction will write."""
SQLITE_WRITER = "dhrflow_sqlite_writer"
"""Execution option of a SQLite file's engine: its ``SqliteWriter``."""

_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg", "postgres": "postgresql+asyncpg"}
LOCK_TIMEOUT_S = 30
"""How long a writer waits for a lock held by another, on either database."""


def async_url(url: str) -> URL:
    """``sqlite:///x.db`` and ``postgresql://...`` as their async-driver URLs; explicit drivers kept.

    Raises:
        InvalidDatabaseUrl: not a URL, or a database dhrflow does not run on.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InvalidDatabaseUrl("is not a URL; use sqlite:///PATH or postgresql://USER@HOST/DB") from None
    backend, _, driver = parsed.drivername.partition("+")
    if backend not in _ASYNC_DRIVERS:
        raise InvalidDatabaseUrl(f"{backend!r} is not supported; use sqlite:///PATH or postgresql://USER@HOST/DB")
    if driver in ("", "pysqlite", "psycopg2", "psycopg"):
        parsed = parsed.set(drivername=_ASYNC_DRIVERS[backend])
    return parsed


def make_engine(url: str, *, sqlite_inline: bool = True, foreign_keys: bool = True, **kwargs: Any) -> AsyncEngine:
    """An async engine for ``url`` with the connection settings dhrflow relies on.

    SQLite runs inline on the event loop (``storage.sqlite_inline`` says why and
    how lock waits stay asynchronous); ``sqlite_inline=False`` uses aiosqlite's thread.
    ``foreign_keys=False`` is for migrations only (``storage.migrate.upgrade`` says why).
    """
    target = async_url(url)
    if target.get_backend_name() == "sqlite":
        if sqlite_inline and target.database not in (None, "", ":memory:"):
            creator = inline_creator(target.database, LOCK_TIMEOUT_S)
            engine = create_async_engine(target, async_creator=creator, **kwargs)
            _configure_sqlite(engine, busy_timeout_ms=0, foreign_keys=foreign_keys)
            writer = SqliteWriter(target.database, LOCK_TIMEOUT_S, foreign_keys=foreign_keys)
            event.listen(engine.sync_engine, "engine_disposed", lambda _engine: writer.engine.dispose())
            # Engines made from this one later (``writing``, the sealed one) inherit the option.
            engine.sync_engine.update_execution_options(**{SQLITE_WRITER: writer})
        else:
            engine = create_async_engine(target, connect_args={"timeout": LOCK_TIMEOUT_S}, **kwargs)
            _configure_sqlite(engine, busy_timeout_ms=LOCK_TIMEOUT_S * 1000, foreign_keys=foreign_keys)
        return engine
    server_settings = {
        "lock_timeout": f"{LOCK_TIMEOUT_S}s",
        # a transaction left open by a crashed client must not hold its locks for ever
        "idle_in_transaction_session_timeout": f"{LOCK_TIMEOUT_S * 4}s",
    }
    connect_args = {"server_settings": server_settings, "timeout": 10}
    return create_async_engine(target, pool_pre_ping=True, connect_args=connect_args, **kwargs)


def _sqlite_settings(dbapi_connection: Any, *, busy_timeout_ms: int, foreign_keys: bool) -> None:
    """What every SQLite connection of dhrflow runs with, on a new connection of either engine."""
    # Take transaction control from the driver so that BEGIN is ours to emit.
    if dbapi_connection.isolation_level is not None:
        dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", f"foreign_keys={'ON' if foreign_keys else 'OFF'}"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
    cursor.close()


def _configure_sqlite(engine: AsyncEngine, *, busy_timeout_ms: int, foreign_keys: bool) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        _sqlite_settings(dbapi_connection, busy_timeout_ms=busy_timeout_ms, foreign_keys=foreign_keys)

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        statement = "BEGIN IMMEDIATE" if connection.get_execution_options().get(WRITE, False) else "BEGIN"
        driver = connection.connection.driver_connection
        if not isinstance(driver, InlineConnection):
            connection.exec_driver_sql(statement)
            return
        try:
            # Straight to SQLite, once per unit of work; a lock wait here is an asyncio.sleep.
            await_(driver.execute_and_close(statement))
        except sqlite3.OperationalError as exc:
            if is_lock_error(exc):
                raise DatabaseBusy(
                    f"the database is busy: another writer held it for {LOCK_TIMEOUT_S} s; try again"
                ) from None
            raise


class SqliteWriter:
    """Where the writing units of work of a SQLite file run: a synchronous engine on the same file.

    Why: through the async engine every statement crosses SQLAlchemy's async layer
    (a greenlet switch each way and an adapter cursor per call, about a third of a
    decision's cost); here the statements are plain synchronous SQLAlchemy on
    ``sqlite3``, run on the event loop. The loop stays free as on the async engine:
    a connection never waits inside SQLite (``busy_timeout`` 0), ``begin`` waits
    for the write lock with ``asyncio.sleep``, and once ``BEGIN IMMEDIATE`` holds
    it no statement of the transaction meets a lock in WAL mode.

    Its pool never blocks (``max_overflow=-1``): a checkout that waited for another
    coroutine to return a connection would wait with the event loop stopped. The
    pool's reset on return is a ``sqlite3`` rollback, which does nothing once the
    transaction has committed and undoes one that has not.
    """

    def __init__(self, path: str, lock_timeout: float, *, foreign_keys: bool) -> None:
        def connect() -> sqlite3.Connection:
            # check_same_thread=False: the pool may close a connection from the thread that disposes it.
            raw = sqlite3.connect(path, timeout=0, isolation_level=None, check_same_thread=False)
            try:
                _sqlite_settings(raw, busy_timeout_ms=0, foreign_keys=foreign_keys)
            except BaseException:
                raw.close()
                raise
            return raw

        url = URL.create("sqlite+pysqlite", database=path)
        self.engine: Engine = create_engine(url, creator=connect, poolclass=QueuePool, pool_size=5, max_overflow=-1)
        self.lock_timeout = lock_timeout
        self._retry = Retrying(lock_timeout)

    async def begin(self, options: Mapping[str, Any]) -> Connection:
        """A connection in a transaction holding the write lock (``BEGIN IMMEDIATE``), with ``options``.

        Raises:
            DatabaseBusy: another writer held the database for ``lock_timeout`` seconds.
        """
        try:
            conn: Connection = await self._retry(self._connect)
        except sqlite3.OperationalError as exc:
            if is_lock_error(exc):
                raise self._busy() from None
            raise
        try:
            driver = conn.connection.driver_connection
            assert isinstance(driver, sqlite3.Connection)
            await self._retry(lambda: driver.execute("BEGIN IMMEDIATE").close())
            conn.begin()  # SQLAlchemy's side; the driver's transaction is open already (pysqlite's do_begin is a no-op)
        except BaseException as exc:
            conn.close()
            if isinstance(exc, sqlite3.OperationalError) and is_lock_error(exc):
                raise self._busy() from None
            raise
        if options:
            conn.execution_options(**options)
        return conn

    def _connect(self) -> Connection:
        try:
            return self.engine.connect()
        except DBAPIError as exc:  # a new connection's settings met a lock: raised as the driver's, to be retried
            if isinstance(exc.orig, sqlite3.OperationalError) and is_lock_error(exc.orig):
                raise exc.orig from exc
            raise

    def _busy(self) -> DatabaseBusy:
        return DatabaseBusy(f"the database is busy: another writer held it for {self.lock_timeout:g} s; try again")
