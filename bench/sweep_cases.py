"""Benchmarks of the escalation sweep on a SQLite file: steady state and catch-up."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.harness import Result
from documents.importer import read_plan
from workflows.commands.demo import seed_plan_path
from workflows.commands.import_plan import import_plan
from workflows.commands.sweep import sweep
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import open_app
from workflows.runtime.settings import Settings
from workflows.runtime.working_days import england_and_wales

TODAY = date(2026, 11, 26)


async def _prepare(folder: Path, actions: int, due: int, overdue_since: date) -> Settings:
    """A migrated database with the seed, then ``actions`` generated ones of which ``due`` are due today."""
    settings = Settings(data_dir=folder)
    clock = FixedClock(datetime(2026, 11, 26, 7, tzinfo=UTC))
    async with open_app(settings, clock=clock, migrate_schema=True) as app:
        await import_plan(read_plan(seed_plan_path()), uow_factory=app.uow, clock=app.clock)
    db = sqlite3.connect(folder / "dhrflow.db")
    db.execute("INSERT INTO review (partnership_id, ref, title, status) VALUES (1, 'BENCH', 'Bench', 'active')")
    review_id = db.execute("SELECT id FROM review WHERE ref = 'BENCH'").fetchone()[0]
    later = (TODAY + timedelta(days=30)).isoformat()
    rows = (
        (
            review_id, 1 + i % 4, f"9.{i // 1000}.{i % 1000}", i, "Generated action", "", "", "", "", "", "", "", "",
            "", "{}", overdue_since.isoformat() if i < due else later, "commissioner", "open", 0, False,
            TODAY.isoformat() if i < due else later,
        )
        for i in range(actions)
    )  # fmt: skip
    db.executemany(
        "INSERT INTO action (review_id, agency_id, ref, position, action, lead, target_date_text, desired_outcome,"
        " monitoring, success_measure, outcome_progress, evidence_location, status_rag, quality_assured_by, extra,"
        " target_date, route, state, version, returned, next_step_due_on)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.execute("UPDATE action SET next_step_due_on = ? WHERE review_id != ?", (later, review_id))
    db.commit()
    db.close()
    return settings


async def _sweep(settings: Settings) -> tuple[float, int, int]:
    clock = FixedClock(datetime(2026, 11, 26, 7, tzinfo=UTC))
    async with open_app(settings, clock=clock) as app:
        started = time.perf_counter()
        report = await sweep(TODAY, uow_factory=app.uow, clock=clock, calendar=england_and_wales(), keep=0)
        return time.perf_counter() - started, report.examined, report.fired_count


async def steady_state(actions: int = 1_000_000, due_share: float = 0.005) -> list[Result]:
    """``actions`` open actions of which ``due_share`` reach a step today."""
    with tempfile.TemporaryDirectory() as folder:
        settings = await _prepare(Path(folder), actions, int(actions * due_share), TODAY)
        wall, examined, fired = await _sweep(settings)
    detail = f"{actions:,} actions, {examined:,} due, {fired:,} steps fired"
    return [Result(f"sweep, steady state ({actions:,} actions)", wall, "s", 1, False, detail)]


async def catch_up(actions: int = 1_000_000) -> list[Result]:
    """Every action far overdue at once; run in a process of its own to measure its peak memory."""
    with tempfile.TemporaryDirectory() as folder:
        await _prepare(Path(folder), actions, actions, date(2013, 1, 31))
        code = (
            "import asyncio, logging, resource; from pathlib import Path; from bench.sweep_cases import _sweep;"
            "from workflows.runtime.observability import configure_logging; configure_logging(logging.WARNING);"
            "from workflows.runtime.settings import Settings;"
            f"wall, examined, fired = asyncio.run(_sweep(Settings(data_dir=Path({folder!r}))));"
            "print(wall, examined, fired, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
        )
        done = await asyncio.to_thread(subprocess.run, [sys.executable, "-c", code], capture_output=True, text=True)
        out = done.stdout
    wall, examined, fired, rss_kb = out.strip().splitlines()[-1].split()
    rate = int(examined) / float(wall)
    detail = f"{int(examined):,} actions in {float(wall):.1f} s, {int(fired):,} steps fired"
    return [
        Result(f"catch-up sweep ({actions:,} overdue)", rate, "actions/s", 100_000, True, detail),
        Result("catch-up sweep, peak memory", int(rss_kb) / 1024, "MB", 300, False, "whole process, max RSS"),
    ]
