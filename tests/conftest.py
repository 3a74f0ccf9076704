"""Fixtures every tier may use, none of which needs a database: the clock, the seed plan, the umask.

The databases (a SQLite file and the PostgreSQL server at 127.0.0.1:5432, a migrated copy per test) are
the integration tier's: ``tests/integration/conftest.py``, which the e2e and fault tiers borrow.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.unit.plan_builders import SEED_PLAN
from workflows.runtime.clock import FixedClock

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under ``make test``'s workers (pytest-xdist, ``--dist loadgroup``) every test on the Prefect
    harness runs on one worker, so one harness starts (about 15 s), not one per worker."""
    for item in items:
        if "prefect_harness" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("prefect"))


@pytest.fixture(scope="session")
def seed_plan() -> Path:
    return SEED_PLAN


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
