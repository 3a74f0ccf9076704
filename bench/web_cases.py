"""Transitions through the REST API: 16 concurrent clients against a real server (uvicorn, its own process)."""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.harness import Result
from bench.sweep_cases import TODAY, _prepare
from workflows.commands.accounts import create_api_token
from workflows.commands.people import NewPerson, add_person
from workflows.runtime.container import open_app
from workflows.runtime.settings import Settings

CLIENTS = 16


async def _setup(folder: Path, actions: int) -> tuple[str, list[int]]:
    await _prepare(folder, actions, 0, TODAY)
    db = sqlite3.connect(folder / "dhrflow.db")
    agency = db.execute("SELECT name FROM agency WHERE id = 1").fetchone()[0]
    ids = [r[0] for r in db.execute("SELECT id FROM action WHERE agency_id = 1 AND state = 'open' ORDER BY id")]
    db.close()
    async with open_app(Settings(data_dir=folder)) as app:
        lead = NewPerson("Bench Lead", "lead@bench.invalid", "lead_officer", agency)
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


async def transitions_over_http(total: int = 4000) -> list[Result]:
    with tempfile.TemporaryDirectory() as folder:
        token, ids = await _setup(Path(folder), 4 * CLIENTS * 8)
        port = _free_port()
        env = os.environ | {"DHRFLOW_DATA_DIR": folder, "DO_NOT_TRACK": "1"}
        env.pop("DATABASE_URL", None)
        command = [sys.executable, "-m", "uvicorn", "web.app:from_environment", "--factory", "--port", str(port)]
        server = await asyncio.create_subprocess_exec(*command, "--log-level", "warning", env=env)
        try:
            url = f"http://127.0.0.1:{port}"
            await _wait(url, server)
            latencies, wall, conflicts = await _drive(url, token, ids, total)
        finally:
            server.terminate()
            await asyncio.wait_for(server.wait(), timeout=20)
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[int(len(ordered) * 0.99) - 1] * 1000
    detail = f"{len(ordered):,} record_progress transitions, {CLIENTS} clients, {conflicts} conflicts, SQLite"
    return [
        Result("REST transitions, 16 clients", len(ordered) / wall, "/s", 400, True, detail),
        Result("REST transition latency p50", p50, "ms", 100, False, detail),
        Result("REST transition latency p99", p99, "ms", 100, False, detail),
    ]


async def _drive(url: str, token: str, ids: list[int], total: int) -> tuple[list[float], float, int]:
    """Each client moves its own actions round-robin, knowing their versions: no two clients share one."""
    headers = {"Authorization": f"Bearer {token}"}
    shares = [ids[i::CLIENTS] for i in range(CLIENTS)]
    per_client = total // CLIENTS
    latencies: list[float] = []
    conflicts = 0

    async def client(mine: list[int]) -> None:
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
    await asyncio.gather(*(client(mine) for mine in shares))
    return latencies, time.perf_counter() - started, conflicts
