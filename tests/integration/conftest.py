"""Integration fixtures: a real Prefect API for the flow tests, started once and only when asked for."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest

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
