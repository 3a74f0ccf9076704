"""The async engine, built from a plain URL; the async driver is picked here.

SQLite runs in WAL mode with ``BEGIN IMMEDIATE`` for writing units of work, so
two writers queue on the database lock instead of failing when one upgrades its
read snapshot to a write (``SQLITE_BUSY_SNAPSHOT``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.util.concurrency import await_

from storage.sqlite_inline import InlineConnection, inline_creator

WRITE = "dhrflow_write"
"""Execution option marking a connection whose transaction will write."""

_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg", "postgres": "postgresql+asyncpg"}
SQLITE_BUSY_TIMEOUT_S = 30


def async_url(url: str) -> URL:
    """``sqlite:///x.db`` and ``postgresql://...`` as their async-driver URLs; explicit drivers kept."""
    parsed = make_url(url)
    backend, _, driver = parsed.drivername.partition("+")
    if backend not in _ASYNC_DRIVERS:
        raise ValueError(f"DATABASE_URL: unsupported database {backend!r}; use sqlite:///PATH or postgresql://...")
    if driver in ("", "pysqlite", "psycopg2", "psycopg"):
        parsed = parsed.set(drivername=_ASYNC_DRIVERS[backend])
    return parsed


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str, *, sqlite_inline: bool = True, **kwargs: Any) -> AsyncEngine:
    """An async engine for ``url`` with the connection settings dhrflow relies on.

    SQLite runs inline on the event loop (``storage.sqlite_inline`` says why and
    how lock waits stay asynchronous); ``sqlite_inline=False`` uses aiosqlite's thread.
    """
    target = async_url(url)
    if target.get_backend_name() == "sqlite":
        if sqlite_inline and target.database not in (None, "", ":memory:"):
            creator = inline_creator(target.database, SQLITE_BUSY_TIMEOUT_S)
            engine = create_async_engine(target, async_creator=creator, **kwargs)
            _configure_sqlite(engine, busy_timeout_ms=0)
        else:
            engine = create_async_engine(target, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S}, **kwargs)
            _configure_sqlite(engine, busy_timeout_ms=SQLITE_BUSY_TIMEOUT_S * 1000)
        return engine
    return create_async_engine(target, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: AsyncEngine, *, busy_timeout_ms: int) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the driver so that BEGIN is ours to emit.
        if dbapi_connection.isolation_level is not None:
            dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        statement = "BEGIN IMMEDIATE" if connection.get_execution_options().get(WRITE, False) else "BEGIN"
        driver = connection.connection.driver_connection
        if isinstance(driver, InlineConnection):
            await_(driver.execute(statement))  # straight to SQLite: this runs once per unit of work
        else:
            connection.exec_driver_sql(statement)
