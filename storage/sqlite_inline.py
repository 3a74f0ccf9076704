"""An aiosqlite-shaped SQLite connection that runs each call inline on the event loop.

Why: aiosqlite runs SQLite on a thread of its own and every call crosses to it
and back; measured here at 57 µs a crossing, and SQLAlchemy's adapter makes four
per statement (cursor, execute, fetch, close). A decision is about eight
statements, so the crossings alone cap SQLite at a few hundred decisions a
second, while the SQLite work itself takes microseconds. Inline, each call is a
plain ``sqlite3`` call.

What keeps the event loop free: a connection never waits inside SQLite for a
lock (``busy_timeout`` is 0). When SQLite answers "database is locked", the
statement is retried after an ``asyncio.sleep`` that grows to 50 ms, for up to
``lock_timeout`` seconds; other coroutines run meanwhile. In WAL mode only
``BEGIN IMMEDIATE`` (and a checkpoint) ever meets a lock, so this is the busy
handler SQLite would run, made asynchronous.

SQLAlchemy's aiosqlite dialect drives this through ``create_async_engine(...,
async_creator=...)``; to it, this is an aiosqlite connection.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal

_FIRST_WAIT_S, _LONGEST_WAIT_S = 0.0005, 0.05


def is_lock_error(exc: sqlite3.OperationalError) -> bool:
    """SQLITE_BUSY or SQLITE_LOCKED, extended codes (BUSY_RECOVERY, BUSY_SNAPSHOT, ...) included."""
    return (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


class Retrying:
    """Runs a SQLite call, retrying it after an ``asyncio.sleep`` while the database is locked, for up to
    ``lock_timeout`` seconds; then the lock error is raised."""

    def __init__(self, lock_timeout: float) -> None:
        self.lock_timeout = lock_timeout

    async def __call__(self, work: Callable[[], Any]) -> Any:
        deadline = time.monotonic() + self.lock_timeout
        wait = _FIRST_WAIT_S
        while True:
            try:
                return work()
            except sqlite3.OperationalError as exc:
                if not is_lock_error(exc) or time.monotonic() >= deadline:
                    raise
            await asyncio.sleep(wait * (0.5 + random.random()))  # jitter: waiting writers do not march in step
            wait = min(wait * 2, _LONGEST_WAIT_S)


class InlineCursor:
    def __init__(self, cursor: sqlite3.Cursor, retry: Retrying) -> None:
        self._cursor = cursor
        self._retry = retry

    async def __aenter__(self) -> InlineCursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._cursor.close()

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> InlineCursor:
        await self._retry(lambda: self._cursor.execute(sql, parameters or ()))
        return self

    async def executemany(self, sql: str, seq_of_parameters: Iterable[Sequence[Any]]) -> InlineCursor:
        # A retry re-runs the whole batch: safe because a locked statement wrote nothing, and in
        # WAL mode only BEGIN IMMEDIATE (taken before any write) and checkpoints meet a lock.
        rows = list(seq_of_parameters)
        await self._retry(lambda: self._cursor.executemany(sql, rows))
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size if size is not None else self._cursor.arraysize)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value


class _ImmediateQueue:
    """Stands in for aiosqlite's request queue, which SQLAlchemy uses to set ``isolation_level``."""

    def put_nowait(self, item: tuple[asyncio.Future[Any], Callable[[], Any]]) -> None:
        future, function = item
        try:
            future.set_result(function())
        except Exception as exc:  # handed to the awaiting caller, as aiosqlite does
            future.set_exception(exc)


class InlineConnection:
    """The subset of ``aiosqlite.Connection`` that SQLAlchemy's aiosqlite dialect uses."""

    def __init__(self, connection: sqlite3.Connection, lock_timeout: float) -> None:
        self._connection: sqlite3.Connection | None = connection
        self._conn = self  # SQLAlchemy sets isolation_level on ``_conn`` through ``_tx``
        self._tx = _ImmediateQueue()
        self._retry = Retrying(lock_timeout)

    @property
    def _live(self) -> sqlite3.Connection:
        if self._connection is None:
            raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
        return self._connection

    @property
    def isolation_level(self) -> str | None:
        return self._live.isolation_level

    @isolation_level.setter
    def isolation_level(self, value: Literal["DEFERRED", "EXCLUSIVE", "IMMEDIATE"] | None) -> None:
        self._live.isolation_level = value

    def cursor(self) -> InlineCursor:
        return InlineCursor(self._live.cursor(), self._retry)

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> InlineCursor:
        return await self.cursor().execute(sql, parameters)

    async def execute_and_close(self, sql: str) -> None:
        cursor = self.cursor()
        try:
            await cursor.execute(sql)
        finally:
            await cursor.close()

    async def commit(self) -> None:
        await self._retry(self._live.commit)

    async def rollback(self) -> None:
        self._live.rollback()

    async def create_function(self, *args: Any, **kw: Any) -> None:
        self._live.create_function(*args, **kw)

    async def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def stop(self) -> None:
        """Terminate: close at once (SQLAlchemy calls this for a connection it gives up on)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def inline_creator(path: str, lock_timeout: float) -> Callable[[], Any]:
    """An ``async_creator`` for ``create_async_engine``: inline connections to the file at ``path``."""

    async def connect() -> InlineConnection:
        # check_same_thread=False: the pool may close a connection from the thread that disposes it.
        raw = sqlite3.connect(path, timeout=0, isolation_level=None, check_same_thread=False)
        return InlineConnection(raw, lock_timeout)

    return connect
