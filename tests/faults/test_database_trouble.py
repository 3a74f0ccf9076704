"""Database trouble: SQLite busy under the web app and a sweep at once, PostgreSQL connections killed
mid-transaction. Each request either goes through or is answered with a clear problem (503 with
Retry-After, 409); nothing is lost or half-written: decisions match the successful answers and the
log verifies.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import shutil
import sqlite3
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import typer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

import storage.engine
from cli.runner import run
from storage.engine import async_url
from tests.e2e.conftest import Site
from tests.faults import tally
from tests.integration.helpers import LEAD
from workflows.commands.sweep import sweep
from workflows.queries.log import verify_log
from workflows.runtime.container import App
from workflows.runtime.working_days import england_and_wales

REF = "3.11.1"  # West Midlands Police's, the LEAD's


async def _action(site: Site) -> tuple[int, int]:
    async with site.app.reader() as uow:
        row = (await uow.connection.execute(text(f"SELECT id, version FROM action WHERE ref = '{REF}'"))).one()
    return int(row[0]), int(row[1])


async def _decisions(site: Site) -> int:
    async with site.app.reader() as uow:
        return int((await uow.connection.execute(text("SELECT count(*) FROM decision"))).scalar_one())


async def _log_ok(site: Site) -> bool:
    return all(r.ok for r in await verify_log(site.app.reader))


@pytest.fixture
def short_lock_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """A one-second wait for the database lock (30 s in production), so the test sees it run out."""
    monkeypatch.setattr(storage.engine, "LOCK_TIMEOUT_S", 1)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_write_while_sqlite_is_held_by_another_writer_is_a_503_and_goes_through_after(
    short_lock_wait: None, site: Site, database_url: str
) -> None:
    action_id, version = await _action(site)
    lead = await site.token(LEAD)
    before = await _decisions(site)
    url = f"/api/v1/actions/{action_id}/transitions"
    body = {"event": "record_progress", "expected_version": version, "note": "Progress"}
    holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process writing: a long sweep, a restore, a backup tool
    try:
        async with site.client() as client:
            busy = await client.post(url, json=body, headers=lead)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert busy.status_code == 503, busy.text
    assert busy.headers["content-type"].startswith("application/problem+json")
    assert "busy" in busy.json()["detail"] and busy.headers["Retry-After"]
    assert await _decisions(site) == before
    async with site.client() as client:
        again = await client.post(url, json=body, headers=lead)
    assert again.status_code == 200, again.text
    assert await _decisions(site) == before + 1 and await _log_ok(site)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_the_web_app_and_a_sweep_at_once_on_sqlite_lose_nothing(site: Site, database_url: str) -> None:
    action_id, version = await _action(site)
    lead = await site.token(LEAD)
    before = await _decisions(site)
    app = site.app

    async def requests() -> Counter[int]:
        statuses: Counter[int] = Counter()
        async with site.client() as client:
            for n in range(30):
                _, current = await _action(site)
                body = {"event": "record_progress", "expected_version": current, "note": f"Progress {n}"}
                done = await client.post(f"/api/v1/actions/{action_id}/transitions", json=body, headers=lead)
                statuses[done.status_code] += 1
        return statuses

    async def sweeping() -> int:
        report = await sweep(app.clock.today(), uow_factory=app.uow, clock=app.clock, calendar=england_and_wales())
        return report.fired_count

    statuses, other_statuses, fired = await asyncio.gather(requests(), requests(), sweeping())
    together = statuses + other_statuses
    counts = tally.Counts(trials=1)
    counts.crashes += sum(n for status, n in together.items() if status >= 500 and status != 503)
    counts.partial_writes += abs(await _decisions(site) - before - together[200] - fired)
    counts.crashes += not await _log_ok(site)
    tally.record("web + sweep at once", "sqlite", counts)
    assert set(together) <= {200, 409, 503} and together[200] >= 30, together
    assert counts.clean, counts
    assert (await _action(site))[1] == version + together[200] + 0  # every answered 200 is one version


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_postgresql_connections_killed_mid_transaction_are_503s_and_leave_nothing_half_written(
    site: Site, database_url: str
) -> None:
    action_id, _ = await _action(site)
    lead = await site.token(LEAD)
    before = await _decisions(site)
    database = database_url.rsplit("/", 1)[1]
    rng = random.Random("terminate")
    admin = create_async_engine(async_url(database_url.rsplit("/", 1)[0] + "/test"), isolation_level="AUTOCOMMIT")
    stop = asyncio.Event()

    async def terminator() -> int:
        killed = 0
        async with admin.connect() as conn:
            while not stop.is_set():
                await asyncio.sleep(rng.uniform(0.005, 0.05))
                result = await conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE datname = :db AND pid <> pg_backend_pid()"
                        " AND state IN ('active', 'idle in transaction')"
                    ),
                    {"db": database},
                )
                killed += len(result.all())
        return killed

    async def requests() -> Counter[int]:
        statuses: Counter[int] = Counter()
        async with site.client() as client:
            for n in range(tally.trials(default=2) * 20):
                with contextlib.suppress(Exception):
                    _, current = await _action(site)  # the read may be the one killed: try again
                body = {"event": "record_progress", "expected_version": current, "note": f"Progress {n}"}
                done = await client.post(f"/api/v1/actions/{action_id}/transitions", json=body, headers=lead)
                statuses[done.status_code] += 1
        stop.set()
        return statuses

    killing = asyncio.create_task(terminator())
    try:
        statuses = await requests()
    finally:
        stop.set()
        killed = await killing
        await admin.dispose()
    counts = tally.Counts(trials=sum(statuses.values()))
    counts.crashes += sum(n for status, n in statuses.items() if status >= 500 and status != 503)
    counts.partial_writes += abs(await _decisions(site) - before - statuses[200])
    counts.crashes += not await _log_ok(site)
    tally.record("pg backend killed (web)", "postgresql", counts)
    assert set(statuses) <= {200, 409, 503} and statuses[200] > 0, (statuses, killed)
    assert counts.clean, counts


def test_a_sweep_while_sqlite_is_held_by_another_writer_is_one_clear_line(
    short_lock_wait: None,
    sqlite_template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The CLI's runner, in process (the lock wait shortened); not through Typer's root callback, which
    would configure logging onto a captured stream for the rest of the session."""
    db = tmp_path / "dhrflow.db"
    shutil.copy(sqlite_template, db)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.chdir(tmp_path)

    async def work(a: App) -> object:
        return await sweep(date(2026, 1, 5), uow_factory=a.uow, clock=a.clock, calendar=england_and_wales())

    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(typer.Exit) as exited:
            run(work)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    err = capsys.readouterr().err
    assert exited.value.exit_code == 1
    assert err.startswith("error: the database is busy") and len(err.splitlines()) == 1, err
