"""The Alembic migrations build exactly the schema the tables describe."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection

from storage.engine import make_engine
from storage.errors import DatabaseNotReady
from storage.migrate import current_revision, head_revision, is_current, script_head, upgrade
from storage.tables import metadata
from workflows.runtime.container import open_app
from workflows.runtime.settings import Settings


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


async def test_migrated_schema_matches_the_tables(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        async with engine.connect() as conn:
            assert await conn.run_sync(_differences) == []
        assert await current_revision(engine) == head_revision() == script_head()
        assert await is_current(engine)
        await upgrade(engine)  # a second run is a no-op
    finally:
        await engine.dispose()


async def test_an_unmigrated_database_is_refused_with_the_way_out(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    with pytest.raises(DatabaseNotReady, match="dhrflow init"):
        async with open_app(settings):
            pass


async def test_init_creates_the_sqlite_file_in_the_data_folder(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "new")
    async with open_app(settings, migrate_schema=True) as app:
        assert await current_revision(app.engine) == head_revision()
    assert (tmp_path / "new" / "dhrflow.db").exists()


async def test_a_database_behind_the_head_is_not_current(tmp_path: Path) -> None:
    """The quick check (no Alembic) says "behind" for an older revision and for no schema at all."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        assert not await is_current(engine)
        await upgrade(engine, "0001")
        assert not await is_current(engine)
        await upgrade(engine)
        assert await is_current(engine)
    finally:
        await engine.dispose()
