"""Shared fixtures: real databases (SQLite files and the PostgreSQL server at 127.0.0.1:5432).

Each test gets a database of its own, copied from a template migrated once per
session: a SQLite file copy, or ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from storage.engine import make_engine
from storage.migrate import upgrade
from tests.unit.plan_builders import SEED_PLAN
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import App, open_app
from workflows.runtime.settings import Settings

pytest_plugins = ["tests.cli"]  # the CLI runner and its prepared data folders

PG_ADMIN_URL = os.environ.get("DHRFLOW_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under ``make test``'s workers (pytest-xdist, ``--dist loadgroup``) every test on the Prefect
    harness runs on one worker, so one harness starts (about 15 s), not one per worker."""
    for item in items:
        if "prefect_harness" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("prefect"))


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
def seed_plan() -> Path:
    return SEED_PLAN


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
def open_umask() -> Iterator[None]:
    """Umask 0 for the test (and the commands it starts): what dhrflow makes must be private by its own
    modes, not by the umask's grace."""
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2013, 10, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, data_dir=tmp_path / "data")


@pytest.fixture
async def app(settings: Settings, clock: FixedClock) -> AsyncIterator[App]:
    async with open_app(settings, clock=clock) as opened:
        yield opened
