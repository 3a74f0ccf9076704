"""Schema migrations (Alembic), run programmatically on the application's engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import WRITE, make_engine
from storage.errors import MigrationBrokeKeys

MIGRATIONS = Path(__file__).parent / "migrations"


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as conn:
        return await conn.run_sync(_current)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the database to ``revision``; a no-op when it is there already.

    On a SQLite file the migrations run on an engine of their own with foreign keys off: a batch
    migration copies a table, drops the old one and renames the copy, and with keys enforced the
    drop of a table other rows refer to fails, so a database holding data could not be upgraded
    (found by the upgrade test from a first-release database). The keys are checked whole at the
    end, in the same transaction: a migration that broke one is rolled back.
    """
    database = engine.url.database
    if engine.dialect.name != "sqlite" or database in (None, "", ":memory:"):
        await _upgrade(engine, revision, check_keys=False)
        return
    migrating = make_engine(engine.url.render_as_string(hide_password=False), foreign_keys=False)
    try:
        await _upgrade(migrating, revision, check_keys=True)
    finally:
        await migrating.dispose()


async def _upgrade(engine: AsyncEngine, revision: str, *, check_keys: bool) -> None:
    def run(connection: Connection) -> None:
        command.upgrade(_config(connection), revision)
        if check_keys:
            broken = connection.execute(text("PRAGMA foreign_key_check")).all()
            if broken:
                raise MigrationBrokeKeys(len(broken), str(broken[0][0]))

    async with engine.connect() as conn:
        await conn.execution_options(**{WRITE: True})
        await conn.run_sync(run)
        await conn.commit()


async def is_current(engine: AsyncEngine) -> bool:
    return await current_revision(engine) == head_revision()


def autogenerate(connection: Connection, message: str, **kwargs: Any) -> None:
    """Write a new revision from the difference between the tables and the database (developers)."""
    command.revision(_config(connection), message=message, autogenerate=True, **kwargs)


def known_revisions() -> set[str]:
    """Every revision this release's migrations know (a database at one of them can be upgraded)."""
    return {script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()}
