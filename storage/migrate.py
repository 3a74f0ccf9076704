"""Schema migrations (Alembic), run programmatically on the application's engine.

Alembic is imported only to migrate: every command checks that the schema is current, and with
Alembic (its import and the reading of every script) that check cost about half a second of each
CLI command's start. ``is_current`` reads the head from the scripts' own ``revision`` lines and the
database's ``alembic_version`` row with plain SQL instead (a test keeps it equal to Alembic's head).
"""

from __future__ import annotations

import ast
import contextlib
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import WRITE, make_engine
from storage.errors import MigrationBrokeKeys

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
_REVISION_LINE = re.compile(r"^(down_revision|revision)\b[^=\n]*=\s*([^#\n]+?)\s*(?:#.*)?$", re.MULTILINE)
"""``revision: str = '0009'`` and ``down_revision: str | None = '0008'  # a comment``: the value is read as Python."""


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The head as Alembic reads it from the scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


@cache
def script_head() -> str:
    """The head read from each script's ``revision`` and ``down_revision`` lines: the one revision no
    other script comes after. Anything else (a merge, a branch, a line it cannot read) is left to
    Alembic, which reads the scripts whole."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        found: dict[str, object] = {}
        for name, value in _REVISION_LINE.findall(script.read_text(encoding="utf-8")):
            with contextlib.suppress(ValueError, SyntaxError):
                found[name] = ast.literal_eval(value)
        revision, parent = found.get("revision"), found.get("down_revision", ...)
        if not isinstance(revision, str) or not (parent is None or isinstance(parent, str)):
            return head_revision()
        revisions.add(revision)
        if parent is not None:
            parents.add(parent)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else head_revision()


def _current(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

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
    from alembic import command

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


def _recorded(connection: Connection) -> list[str]:
    if not inspect(connection).has_table("alembic_version"):
        return []
    return [row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))]


async def is_current(engine: AsyncEngine) -> bool:
    """Whether the database is at the scripts' head (without importing Alembic)."""
    async with engine.connect() as conn:
        return await conn.run_sync(_recorded) == [script_head()]


def autogenerate(connection: Connection, message: str, **kwargs: Any) -> None:
    """Write a new revision from the difference between the tables and the database (developers)."""
    from alembic import command

    command.revision(_config(connection), message=message, autogenerate=True, **kwargs)


def known_revisions() -> set[str]:
    """Every revision this release's migrations know (a database at one of them can be upgraded)."""
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()}
