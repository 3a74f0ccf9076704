"""Benchmarks of the escalation sweep on a SQLite file: steady state and catch-up."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import asyncpg

from bench.databases import SQLITE, scratch
from bench.harness import Result
from documents.importer import read_plan
from workflows.commands.demo import seed_plan_path
from workflows.commands.import_plan import import_plan
from workflows.commands.sweep import sweep
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import open_app
from workflows.runtime.settings import Settings
from workflows.runtime.working_days import england_and_wales

CATCH_UP_WHY = (
    "four rows a firing (decision, outbox, ledger, timer) with the chain: plain sqlite3 writing the same rows "
    "manages about 50,000/s here; docs/benchmarks.md, Catch-up"
)

TODAY = date(2026, 11, 26)


_ACTION_COLUMNS = (
    "review_id", "agency_id", "ref", "position", "action", "lead", "target_date_text", "desired_outcome",
    "monitoring", "success_measure", "outcome_progress", "evidence_location", "status_rag", "quality_assured_by",
    "extra", "target_date", "route", "state", "version", "returned", "next_step_due_on",
)  # fmt: skip


async def _prepare(settings: Settings, actions: int, due: int, overdue_since: date) -> None:
    """Migrate the database and import the seed, then add ``actions`` generated ones of which ``due`` are due
    today, straight through the driver (a million rows in seconds): SQLite's or PostgreSQL's."""
    clock = FixedClock(datetime(2026, 11, 26, 7, tzinfo=UTC))
    async with open_app(settings, clock=clock, migrate_schema=True) as app:
        await import_plan(read_plan(seed_plan_path()), uow_factory=app.uow, clock=app.clock)
    later = TODAY + timedelta(days=30)

    def rows(review_id: int) -> Iterator[tuple[object, ...]]:
        for i in range(actions):
            soon = i < due
            yield (
                review_id, 1 + i % 4, f"9.{i // 1000}.{i % 1000}", i, "Generated action",
                "", "", "", "", "", "", "", "", "", "{}",
                overdue_since if soon else later, "commissioner", "open", 0, False, TODAY if soon else later,
            )  # fmt: skip

    if settings.database_url is None:
        db = sqlite3.connect(settings.data_dir / "dhrflow.db")
        db.execute("INSERT INTO review (partnership_id, ref, title, status) VALUES (1, 'BENCH', 'Bench', 'active')")
        review_id = db.execute("SELECT id FROM review WHERE ref = 'BENCH'").fetchone()[0]
        marks = ", ".join("?" for _ in _ACTION_COLUMNS)
        iso = ((v.isoformat() if isinstance(v, date) else v for v in row) for row in rows(review_id))
        db.executemany(f"INSERT INTO action ({', '.join(_ACTION_COLUMNS)}) VALUES ({marks})", (tuple(r) for r in iso))
        db.execute("UPDATE action SET next_step_due_on = ? WHERE review_id != ?", (later.isoformat(), review_id))
        db.commit()
        db.close()
        return
    conn = await asyncpg.connect(settings.database_url)
    try:
        review_id = await conn.fetchval(
            "INSERT INTO review (partnership_id, ref, title, status)"
            " VALUES (1, 'BENCH', 'Bench', 'active') RETURNING id"
        )
        await conn.copy_records_to_table("action", records=rows(review_id), columns=list(_ACTION_COLUMNS))
        await conn.execute("UPDATE action SET next_step_due_on = $1 WHERE review_id != $2", later, review_id)
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


async def _sweep(settings: Settings) -> tuple[float, int, int]:
    clock = FixedClock(datetime(2026, 11, 26, 7, tzinfo=UTC))
    async with open_app(settings, clock=clock) as app:
        started = time.perf_counter()
        report = await sweep(TODAY, uow_factory=app.uow, clock=clock, calendar=england_and_wales(), keep=0)
        return time.perf_counter() - started, report.examined, report.fired_count


async def steady_state(actions: int = 1_000_000, due_share: float = 0.005, kind: str = SQLITE) -> list[Result]:
    """``actions`` open actions of which ``due_share`` reach a step today."""
    with tempfile.TemporaryDirectory() as folder:
        async with scratch(kind, Path(folder)) as settings:
            await _prepare(settings, actions, int(actions * due_share), TODAY)
            wall, examined, fired = await _sweep(settings)
    detail = f"{actions:,} actions, {examined:,} due, {fired:,} steps fired, {kind}"
    return [Result(f"sweep, steady state ({actions:,} actions, {kind})", wall, "s", 1, False, detail)]


async def catch_up(actions: int = 1_000_000, kind: str = SQLITE) -> list[Result]:
    """Every action far overdue at once; run in a process of its own to measure its peak memory."""
    with tempfile.TemporaryDirectory() as folder:
        async with scratch(kind, Path(folder)) as settings:
            await _prepare(settings, actions, actions, date(2013, 1, 31))
            code = (
                "import asyncio, logging, resource; from pathlib import Path; from bench.sweep_cases import _sweep;"
                "from workflows.runtime.observability import configure_logging; configure_logging(logging.WARNING);"
                "from workflows.runtime.settings import Settings;"
                f"wall, examined, fired = asyncio.run(_sweep(Settings(data_dir=Path({folder!r}), "
                f"database_url={settings.database_url!r})));"
                "print(wall, examined, fired, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
            )
            run = [sys.executable, "-c", code]
            done = await asyncio.to_thread(subprocess.run, run, capture_output=True, text=True)
            out = done.stdout
    wall, examined, fired, rss_kb = out.strip().splitlines()[-1].split()
    rate = int(examined) / float(wall)
    detail = f"{int(examined):,} actions in {float(wall):.1f} s, {int(fired):,} steps fired"
    return [
        Result(f"catch-up sweep ({actions:,} overdue, {kind})", rate, "actions/s", 100_000, True, detail, CATCH_UP_WHY),
        Result(f"catch-up sweep, peak memory ({kind})", int(rss_kb) / 1024, "MB", 300, False, "whole process, max RSS"),
    ]
