"""schemathesis against the OpenAPI schema of a real server: whatever it sends, no 5xx.

The server runs in a thread of its own (uvicorn, its own event loop) on a seeded
SQLite database; the calls carry a partnership assurer's API token, so they reach
past sign-in into every operation.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.integration.helpers import ASSURER, COORDINATOR, seed
from web.app import create_app
from workflows.commands.accounts import create_api_token
from workflows.runtime.container import open_app
from workflows.runtime.settings import Settings


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@dataclass(frozen=True)
class Running:
    url: str
    headers: dict[str, str]
    coordinator: dict[str, str]
    """The coordinator's headers: imports and deputies are theirs, so only they get past the 403."""


@pytest.fixture(scope="module")
def api_server(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, seed_plan: Path) -> Iterator[Running]:
    folder = tmp_path_factory.mktemp("schemathesis")
    shutil.copy(sqlite_template, folder / "dhrflow.db")
    settings_ = Settings(database_url=f"sqlite:///{folder / 'dhrflow.db'}", data_dir=folder)

    async def prepare() -> tuple[str, str]:
        async with open_app(settings_) as app:
            await seed(app, seed_plan)
            return (
                await create_api_token(ASSURER, "schemathesis", uow_factory=app.uow, clock=app.clock),
                await create_api_token(COORDINATOR, "schemathesis", uow_factory=app.uow, clock=app.clock),
            )

    with contextlib.ExitStack() as stack:
        token, coordinator = stack.enter_context(_own_loop()).submit(asyncio.run, prepare()).result()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = _Server(uvicorn.Config(create_app(settings_), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield Running(
        f"http://127.0.0.1:{port}",
        {"Authorization": f"Bearer {token}"},
        {"Authorization": f"Bearer {coordinator}"},
    )
    server.should_exit = True
    thread.join(timeout=10)


@contextlib.contextmanager
def _own_loop() -> Iterator[object]:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        yield pool


def test_no_request_makes_the_api_fail_with_a_5xx(api_server: Running) -> None:
    schema = schemathesis.openapi.from_url(f"{api_server.url}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10, [op.label for op in operations]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case: schemathesis.Case) -> None:
            response = case.call(base_url=api_server.url, headers=api_server.headers)
            case.validate_response(response, checks=(not_a_server_error,))

        call()


def test_the_coordinators_operations_never_fail_with_a_5xx_either(api_server: Running) -> None:
    """Imports (the importer behind an upload) and deputies, as the one role that gets past their 403."""
    schema = schemathesis.openapi.from_url(f"{api_server.url}/api/v1/openapi.json")
    operations = [r.ok() for r in schema.get_all_operations()]
    theirs = [op for op in operations if "/imports" in op.path or "/deputies" in op.path]
    assert len(theirs) >= 3, [op.label for op in operations]
    for operation in theirs:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case: schemathesis.Case) -> None:
            response = case.call(base_url=api_server.url, headers=api_server.coordinator)
            case.validate_response(response, checks=(not_a_server_error,))

        call()
