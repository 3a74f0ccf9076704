"""Integration fixtures: real databases, the CLI on a data folder of its own, and a real Prefect API.

Each test gets a database of its own, copied from a template migrated once per session: a SQLite file
copy, or ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL (made the first time a PostgreSQL test asks).
The e2e and fault tiers import these fixtures from here.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from storage.engine import make_engine
from storage.migrate import upgrade
from tests.cli import _demo, _imported, _staffed, cli, cli_forker, demo, imported, staffed
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import App, open_app
from workflows.runtime.settings import Settings

CLI_FIXTURES = (cli, cli_forker, _imported, _staffed, _demo, imported, staffed, demo)
"""The CLI runner and its prepared data folders (``tests/cli.py``), for the tests here and the tiers that
import this module's fixtures."""

PG_ADMIN_URL = os.environ.get("DHRFLOW_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")

# Prefect reads its settings once, when first imported (the flow tests import it at collection):
# keep its home out of the user's ~/.prefect and keep it offline.
_PREFECT_HOME = tempfile.mkdtemp(prefix="dhrflow-test-prefect-")
atexit.register(shutil.rmtree, _PREFECT_HOME, ignore_errors=True)
os.environ.setdefault("PREFECT_HOME", _PREFECT_HOME)
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """A temporary Prefect server and database for the session (about 8 s to start, so shared)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield


def _pg_url(database: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + database


async def _pg_admin(*statements: str) -> None:
    engine = create_async_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            for statement in statements:
                await conn.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
async def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    await upgrade(engine)
    await engine.dispose()
    return path


def _in_own_loop(work: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run ``work`` on a loop of its own: a synchronous fixture may be set up while the session's loop runs."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, work()).result()


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A migrated PostgreSQL template, made the first time a PostgreSQL test asks (SQLite tests never do)."""
    name = f"dhrflow_tpl_{uuid.uuid4().hex[:10]}"

    async def create() -> None:
        await _pg_admin(f'CREATE DATABASE "{name}"')
        engine = make_engine(_pg_url(name))
        await upgrade(engine)
        await engine.dispose()

    async def drop() -> None:
        await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    _in_own_loop(create)
    yield name
    _in_own_loop(drop)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> AsyncIterator[str]:
    """A migrated, empty database of the test's own, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "dhrflow.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("pg_template")
    name = f"dhrflow_t_{uuid.uuid4().hex[:12]}"
    await _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield _pg_url(name)
    await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, data_dir=tmp_path / "data")


@pytest.fixture
async def app(settings: Settings, clock: FixedClock) -> AsyncIterator[App]:
    async with open_app(settings, clock=clock) as opened:
        yield opened
