"""Schema migrations (Alembic), run programmatically on the application's engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import WRITE

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
    """Bring the database to ``revision``; a no-op when it is there already."""

    def run(connection: Connection) -> None:
        command.upgrade(_config(connection), revision)

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
