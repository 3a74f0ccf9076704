"""Transitions through the REST API: 16 concurrent clients against a real server (uvicorn, its own process)."""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.databases import POSTGRES, SQLITE, fetch, scratch
from bench.harness import Result, loaded
from bench.sweep_cases import TODAY, _prepare
from workflows.commands.accounts import create_api_token
from workflows.commands.people import NewPerson, add_person
from workflows.runtime.container import open_app
from workflows.runtime.settings import Settings

CLIENTS = 16


async def _setup(settings: Settings, actions: int) -> tuple[str, list[int]]:
    await _prepare(settings, actions, 0, TODAY)
    [(agency,)] = await fetch(settings, "SELECT name FROM agency WHERE id = 1")
    found = await fetch(settings, "SELECT id FROM action WHERE agency_id = 1 AND state = 'open'")
    ids = sorted(int(str(r[0])) for r in found)
    async with open_app(settings) as app:
        lead = NewPerson("Bench Lead", "lead@bench.invalid", "lead_officer", str(agency))
        await add_person(lead, uow_factory=app.uow, clock=app.clock)
        token = await create_api_token(lead.email, "bench", uow_factory=app.uow, clock=app.clock)
    return token, ids


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _wait(url: str, server: asyncio.subprocess.Process) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(300):
            assert server.returncode is None, "the server exited"
            try:
                if (await client.get(f"{url}/sign-in")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the server did not start")


async def transitions_over_http(total: int = 4000, kind: str = SQLITE, processes: int = 2) -> list[Result]:
    """``CLIENTS`` clients, spread over ``processes`` web processes (uvicorn, each its own), on ``kind``."""
    with tempfile.TemporaryDirectory() as folder:
        async with scratch(kind, Path(folder)) as settings:
            token, ids = await _setup(settings, 4 * CLIENTS * 8)
            env = os.environ | {"DHRFLOW_DATA_DIR": folder, "DO_NOT_TRACK": "1"}
            env.pop("DATABASE_URL", None)
            if settings.database_url is not None:
                env["DATABASE_URL"] = settings.database_url
            ports = [_free_port() for _ in range(processes)]
            command = [
                sys.executable,
                "-m",
                "uvicorn",
                "web.app:from_environment",
                "--factory",
                "--log-level",
                "warning",
            ]
            servers = [await asyncio.create_subprocess_exec(*command, "--port", str(p), env=env) for p in ports]
            try:
                urls = [f"http://127.0.0.1:{p}" for p in ports]
                for url, server in zip(urls, servers, strict=True):
                    await _wait(url, server)
                latencies, wall, conflicts = await _drive(urls, token, ids, total)
            finally:
                for server in servers:
                    server.terminate()
                for server in servers:
                    await asyncio.wait_for(server.wait(), timeout=20)
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[int(len(ordered) * 0.99) - 1] * 1000
    detail = (
        f"{len(ordered):,} record_progress transitions, {CLIENTS} clients, {processes} web processes, "
        f"{conflicts} conflicts, {kind}"
    )
    return [
        Result(f"REST transitions, 16 clients ({kind})", len(ordered) / wall, "/s", 400, True, detail, _why(kind)),
        Result(f"REST transition latency p50 ({kind})", p50, "ms", 100, False, detail),
        Result(f"REST transition latency p99 ({kind})", p99, "ms", 100, False, detail),
    ]


async def _drive(urls: list[str], token: str, ids: list[int], total: int) -> tuple[list[float], float, int]:
    """Each client moves its own actions round-robin, knowing their versions: no two clients share one. The
    clients take the web processes in turn."""
    headers = {"Authorization": f"Bearer {token}"}
    shares = [ids[i::CLIENTS] for i in range(CLIENTS)]
    per_client = total // CLIENTS
    latencies: list[float] = []
    conflicts = 0

    async def client(mine: list[int], url: str) -> None:
        nonlocal conflicts
        versions = dict.fromkeys(mine, 0)
        limits = httpx.Limits(max_connections=1)
        async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=30) as http:
            for n in range(per_client):
                action = mine[n % len(mine)]
                body = {"event": "record_progress", "expected_version": versions[action], "note": f"update {n}"}
                started = time.perf_counter()
                answer = await http.post(f"/api/v1/actions/{action}/transitions", json=body)
                latencies.append(time.perf_counter() - started)
                if answer.status_code == 200:
                    versions[action] = answer.json()["version"]
                elif answer.status_code == 409:
                    conflicts += 1
                else:
                    raise RuntimeError(f"{answer.status_code}: {answer.text[:200]}")

    started = time.perf_counter()
    await asyncio.gather(*(client(mine, urls[i % len(urls)]) for i, mine in enumerate(shares)))
    return latencies, time.perf_counter() - started, conflicts


def _why(kind: str) -> str:
    """Why the REST rate may miss its target on ``kind``, beyond a loaded machine."""
    if kind == POSTGRES:
        return "PostgreSQL takes the partnership's chain lock for each decision, so one partnership's writers queue"
    return loaded()
