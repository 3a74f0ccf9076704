"""Where a bench case runs: a SQLite file in a scratch folder, or a scratch database on the PostgreSQL at
``DHRFLOW_BENCH_PG_URL`` (default ``postgresql://postgres@127.0.0.1:5432/test``, the tests' server), made for
the case and dropped after it. The same cases run on both, so their figures stand side by side."""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from workflows.runtime.settings import Settings

SQLITE, POSTGRES = "SQLite", "PostgreSQL"
KINDS = (SQLITE, POSTGRES)
ADMIN_URL = os.environ.get("DHRFLOW_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _dsn(url: str, database: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


async def postgres_reachable() -> str:
    """Why PostgreSQL cannot be measured (``""`` when it can)."""
    try:
        conn = await asyncpg.connect(_dsn(ADMIN_URL), timeout=5)
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, asyncpg.ClientConfigurationError) as exc:
        return f"no PostgreSQL at {make_url(ADMIN_URL).render_as_string()}: {exc}"
    await conn.close()
    return ""


@asynccontextmanager
async def scratch(kind: str, folder: Path) -> AsyncIterator[Settings]:
    """Settings for a fresh, empty database of ``kind`` (not yet migrated); PostgreSQL's is dropped after."""
    if kind == SQLITE:
        yield Settings(data_dir=folder, database_url=None)  # never the DATABASE_URL of the environment
        return
    name = f"dhrflow_bench_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(_dsn(ADMIN_URL))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield Settings(data_dir=folder, database_url=_dsn(ADMIN_URL, name))
    finally:
        admin = await asyncpg.connect(_dsn(ADMIN_URL))
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


async def fetch(settings: Settings, sql: str) -> list[tuple[object, ...]]:
    """The rows of ``sql`` (plain SQL both databases read alike), straight from the driver."""
    if settings.database_url is None:
        db = sqlite3.connect(settings.data_dir / "dhrflow.db")
        try:
            return [tuple(r) for r in db.execute(sql)]
        finally:
            db.close()
    conn = await asyncpg.connect(settings.database_url)
    try:
        return [tuple(r) for r in await conn.fetch(sql)]
    finally:
        await conn.close()
