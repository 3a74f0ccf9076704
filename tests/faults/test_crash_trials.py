"""Crash trials: SIGKILL the sweep and the dispatcher at random points, re-run, count what went wrong.

After a kill and a re-run, every due step has fired exactly once (the ledger against a dry run's
list), the decisions and outbox rows are those of a clean run (no partial batch), every
notification reached the SMTP server under one Message-ID (a re-send after a crash between the
server's 250 and the mark reuses it: counted apart, as ``resent_same_id``), and the log verifies.
"""

from __future__ import annotations

import asyncio
import random
import shutil
import signal
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.document_cases import plan_text
from documents.importer import read_plan
from tests.faults import tally
from tests.faults.databases import CLOCK_AT, DAY, DHRFLOW, cli_env, clone, dhrflow, drop, rows
from tests.integration.conftest import _pg_admin, _pg_url
from tests.integration.helpers import seed
from tests.integration.smtp_server import Inbox, free_port, smtp_server
from tests.unit.plan_builders import SEED_PLAN
from workflows.commands.import_plan import import_plan
from workflows.commands.sweep import sweep
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import open_app
from workflows.runtime.settings import Settings
from workflows.runtime.working_days import england_and_wales

GENERATED_ACTIONS = 2500  # two of the sweep's 2000-action batches: a kill can land between commits
KINDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@dataclass
class Source:
    kind: str
    url: str
    folder: Path


async def _source(
    request: pytest.FixtureRequest, template: Path, folder: Path, *, generated: int, swept: bool
) -> Source:
    if request.param == "sqlite":
        path = folder / "source.db"
        shutil.copy(template, path)
        url = f"sqlite:///{path}"
    else:
        name = f"dhrflow_src_{uuid.uuid4().hex[:10]}"
        await _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{request.getfixturevalue("pg_template")}"')
        url = _pg_url(name)
    settings = Settings(_env_file=None, database_url=url, data_dir=folder / "data")  # type: ignore[call-arg]
    async with open_app(settings, clock=FixedClock(CLOCK_AT)) as app:
        if generated:  # first: the seed adds a coordinator, after whom imports need --as
            plan = folder / "generated.txt"
            plan.write_text(plan_text(generated), encoding="utf-8")
            await import_plan(read_plan(plan), uow_factory=app.uow, clock=app.clock)
        await seed(app, SEED_PLAN)
        if swept:
            await sweep(DAY, uow_factory=app.uow, clock=app.clock, calendar=england_and_wales())
    return Source(request.param, url, folder)


@pytest.fixture(scope="module", params=KINDS)
async def sweep_source(
    request: pytest.FixtureRequest, sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Source]:
    source = await _source(
        request, sqlite_template, tmp_path_factory.mktemp("sweep"), generated=GENERATED_ACTIONS, swept=False
    )
    yield source
    await drop(source.url)


@pytest.fixture(scope="module", params=KINDS)
async def dispatch_source(
    request: pytest.FixtureRequest, sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Source]:
    source = await _source(request, sqlite_template, tmp_path_factory.mktemp("dispatch"), generated=100, swept=True)
    yield source
    await drop(source.url)


def _killed(args: list[str], env: dict[str, str], cwd: Path, delay: float) -> bool:
    """Run ``dhrflow args``; SIGKILL it after ``delay`` seconds unless it finished. True if killed."""
    process = subprocess.Popen([DHRFLOW, *args], env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        process.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return True


LEDGER = (
    "SELECT r.ref, a.ref, e.ladder, e.step, e.anchor_date FROM escalation e"
    " JOIN action a ON a.id = e.action_id JOIN review r ON r.id = a.review_id"
)


async def _sweep_state(url: str) -> tuple[list[tuple[str, ...]], int, int]:
    ledger = [tuple(str(v) for v in r) for r in await rows(url, LEDGER)]
    decisions = (await rows(url, "SELECT count(*) FROM decision"))[0][0]
    outbox = (await rows(url, "SELECT count(*) FROM outbox"))[0][0]
    return ledger, int(decisions), int(outbox)


def _verifies(env: dict[str, str], cwd: Path) -> bool:
    return dhrflow(["log", "verify"], env, cwd).returncode == 0


async def _terminated(args: list[str], env: dict[str, str], cwd: Path, delay: float) -> str:
    """Run ``dhrflow args`` on PostgreSQL and end its database connections (``pg_terminate_backend``)
    after ``delay`` seconds; the process's stderr: one clear line if it failed."""
    database = env["DATABASE_URL"].rsplit("/", 1)[1]
    process = await asyncio.create_subprocess_exec(
        DHRFLOW, *args, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    await asyncio.sleep(delay)
    await _pg_admin(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        f" WHERE datname = '{database}' AND pid <> pg_backend_pid()"
    )
    _, stderr = await process.communicate()
    return stderr.decode() if process.returncode else ""


async def test_sweep_killed_at_random_points_fires_every_due_step_exactly_once(
    sweep_source: Source, tmp_path: Path
) -> None:
    """SIGKILL the sweep at random points; on PostgreSQL, also end its connection mid-transaction."""
    rng = random.Random(f"sweep-{sweep_source.kind}")
    # The expected set: a dry run of the same day on the source (writes nothing).
    settings = Settings(_env_file=None, database_url=sweep_source.url, data_dir=tmp_path)  # type: ignore[call-arg]
    async with open_app(settings, clock=FixedClock(CLOCK_AT)) as app:
        dry = await sweep(
            DAY, uow_factory=app.uow, clock=app.clock, calendar=england_and_wales(), dry_run=True, keep=10**7
        )
    expected = {(f.review_ref, f.action_ref, str(f.ladder), f.step, f.anchor_date.isoformat()) for f in dry.fired}
    assert len(expected) == dry.fired_count > GENERATED_ACTIONS
    _, base_decisions, base_outbox = await _sweep_state(sweep_source.url)

    # A clean run: its duration bounds the kill delays, its rows are what every trial must end with.
    url = await clone(sweep_source.url, tmp_path)
    env = cli_env(url, tmp_path / "data")
    started = time.monotonic()
    assert dhrflow(["sweep", "--on", DAY.isoformat()], env, tmp_path).returncode == 0
    clean_s = time.monotonic() - started
    ledger, decisions, outbox = await _sweep_state(url)
    assert set(ledger) == expected and len(ledger) == len(expected)
    clean_decisions, clean_outbox = decisions - base_decisions, outbox - base_outbox
    await drop(url)

    ways = ["sweep killed"] + (["sweep connection ended"] if sweep_source.kind == "postgresql" else [])
    for way in ways:
        counts = tally.Counts()
        seen: list[str] = []
        for _ in range(tally.trials()):
            url = await clone(sweep_source.url, tmp_path)
            env = cli_env(url, tmp_path / "data")
            if way == "sweep killed":
                _killed(["sweep", "--on", DAY.isoformat()], env, tmp_path, rng.uniform(0.2, clean_s))
            else:
                delay = rng.uniform(1, clean_s)
                stderr = await _terminated(["sweep", "--on", DAY.isoformat()], env, tmp_path, delay)
                if "Traceback" in stderr or len(stderr.strip().splitlines()) > 1:
                    counts.crashes += 1
                    seen.append(f"ended after {delay:.2f} of {clean_s:.2f} s, said: {stderr.strip()[-1500:]}")
            counts.trials += 1
            rerun = dhrflow(["sweep", "--on", DAY.isoformat()], env, tmp_path)
            if rerun.returncode != 0 or "Traceback" in rerun.stderr:
                counts.crashes += 1
                seen.append(f"the sweep after it exited {rerun.returncode}: {rerun.stderr.strip()[-1500:]}")
            elif not _verifies(env, tmp_path):
                counts.crashes += 1
                seen.append("the log did not verify after the sweep ran again")
            ledger, decisions, outbox = await _sweep_state(url)
            counts.lost += len(expected - set(ledger))
            counts.duplicated += len(ledger) - len(set(ledger)) + len(set(ledger) - expected)
            counts.partial_writes += abs(decisions - base_decisions - clean_decisions)
            counts.partial_writes += abs(outbox - base_outbox - clean_outbox)
            await drop(url)
        tally.record(way, sweep_source.kind, counts)
        assert counts.clean, (way, counts, seen)  # what each crash said: a flake is read, not guessed


MAIL_ENV = {
    "DHRFLOW_SMTP_HOST": "127.0.0.1",
    "DHRFLOW_SMTP_SECURITY": "plain",
    "DHRFLOW_SMTP_TIMEOUT": "5",
    "DHRFLOW_MAIL_FROM": "dhrflow@bcsp.test",
    "DHRFLOW_NOTIFY_BATCH_SIZE": "10",
    "DHRFLOW_NOTIFY_CONCURRENCY": "2",
    "DHRFLOW_NOTIFY_LEASE_S": "1",  # a killed dispatcher's claims come back after a second
    "DHRFLOW_NOTIFY_RETRY_BASE_S": "0.1",
    "DHRFLOW_NOTIFY_RETRY_MAX_S": "0.5",
}

DELIVERIES = "SELECT id, parent_id, recipient_email, status, message_id FROM outbox WHERE parent_id IS NOT NULL"


@dataclass
class MailOutcome:
    counts: tally.Counts
    distinct: int


async def dispatch_until_done(url: str, env: dict[str, str], cwd: Path, rounds: int = 10) -> bool:
    """Dispatch until nothing is pending (leases and back-offs are short here); False if a run crashed."""
    for _ in range(rounds):
        done = dhrflow(["notify", "dispatch"], env, cwd)
        if done.returncode != 0 or "Traceback" in done.stderr:
            return False
        pending = await rows(url, "SELECT count(*) FROM outbox WHERE status = 'pending'")
        if pending[0][0] == 0:
            return True
        await asyncio.sleep(1.1)
    return True


async def mail_outcome(url: str, inbox: Inbox, clean_distinct: int | None) -> MailOutcome:
    """Compare what the server received with the deliveries the outbox marks sent."""
    counts = tally.Counts(trials=1)
    deliveries = await rows(url, DELIVERIES)
    sent_ids = [r[4] for r in deliveries if r[3] == "sent"]
    expected = set(sent_ids)
    received = Counter(inbox.message_ids())
    pending = await rows(url, "SELECT count(*) FROM outbox WHERE status = 'pending'")
    counts.lost += int(pending[0][0]) + len(expected - set(received))
    if clean_distinct is not None:
        counts.lost += max(0, clean_distinct - len(expected & set(received)))
    per_person = Counter((r[1], r[2]) for r in deliveries)
    counts.duplicated += len(set(received) - expected) + sum(n - 1 for n in per_person.values())
    counts.duplicated += len(sent_ids) - len(expected)
    counts.resent_same_id += sum(n - 1 for n in received.values())
    return MailOutcome(counts, len(expected & set(received)))


async def test_dispatcher_killed_at_random_points_delivers_every_message_id_once(
    dispatch_source: Source, tmp_path: Path
) -> None:
    rng = random.Random(f"dispatch-{dispatch_source.kind}")
    port = free_port()
    env_of = lambda url: cli_env(url, tmp_path / "data", DHRFLOW_SMTP_PORT=str(port), **MAIL_ENV)  # noqa: E731

    inbox = Inbox()
    url = await clone(dispatch_source.url, tmp_path)
    with smtp_server(inbox, port):
        started = time.monotonic()
        assert await dispatch_until_done(url, env_of(url), tmp_path)
        clean_s = time.monotonic() - started
    clean = await mail_outcome(url, inbox, None)
    assert clean.counts.clean and clean.distinct > 100, clean
    await drop(url)

    counts = tally.Counts()
    for _ in range(tally.trials()):
        inbox = Inbox()
        url = await clone(dispatch_source.url, tmp_path)
        with smtp_server(inbox, port):
            _killed(["notify", "dispatch"], env_of(url), tmp_path, rng.uniform(0.2, clean_s))
            await asyncio.sleep(1.1)  # the killed run's leases end
            finished = await dispatch_until_done(url, env_of(url), tmp_path)
        outcome = await mail_outcome(url, inbox, clean.distinct)
        outcome.counts.crashes += not finished or not _verifies(env_of(url), tmp_path)
        counts.add(outcome.counts)
        await drop(url)
    tally.record("dispatcher killed", dispatch_source.kind, counts)
    assert counts.clean, counts
