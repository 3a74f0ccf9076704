"""Writing units of work on a SQLite file run on its synchronous writer (``storage.engine.SqliteWriter``).

Two apps on one file stand for two processes (the web app and a sweep, or two web workers): each has its
own engines and pools, so they meet only in SQLite's locks.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from domain.states import Event
from storage.driver import Prepared
from storage.engine import SQLITE_WRITER, SqliteWriter, make_engine
from storage.errors import ConcurrencyConflict
from storage.repositories import ACTION
from storage.uow import SqlUnitOfWork, Tx
from tests.integration.helpers import ASSURER, COMMISSIONER, LEAD, seed
from workflows.commands.transitions import TransitionCommand, record_transition, take_transition
from workflows.context import ActionKey
from workflows.queries.log import verify_log
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import App, open_app, sql_reader_factory, sql_uow_factory
from workflows.runtime.settings import Settings

REF = "3.11.1"  # West Midlands Police: LEAD's


@pytest.fixture
async def two_apps(sqlite_template: Path, tmp_path: Path, clock: FixedClock) -> AsyncIterator[tuple[App, App]]:
    """Two apps, each with its own engines, on one SQLite file holding the seed and its people."""
    path = tmp_path / "dhrflow.db"
    shutil.copy(sqlite_template, path)
    settings = Settings(database_url=f"sqlite:///{path}", data_dir=tmp_path / "data")
    async with AsyncExitStack() as stack:
        first = await stack.enter_async_context(open_app(settings, clock=clock))
        second = await stack.enter_async_context(open_app(settings, clock=clock))
        yield first, second


def database(app: App) -> Path:
    assert app.engine.url.database is not None
    return Path(app.engine.url.database)


def writer_of(app: App) -> SqliteWriter:
    writer = app.engine.get_execution_options()[SQLITE_WRITER]
    assert isinstance(writer, SqliteWriter)
    return writer


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    """What the file holds, read with sqlite3 alone: committed data only."""
    with sqlite3.connect(path) as db:
        return [tuple(row) for row in db.execute(sql)]


def progress(note: str, expected_version: int | None = None) -> TransitionCommand:
    return TransitionCommand(LEAD, ActionKey(REF), Event.RECORD_PROGRESS, note=note, expected_version=expected_version)


async def test_two_processes_writing_one_action_at_once_lose_no_update(
    two_apps: tuple[App, App], seed_plan: Path
) -> None:
    """Forty decisions on one action, from two apps at once, none with a version: each waits for the write lock,
    reads the action as the one before it left it, and so none is lost, none conflicts and the chain holds."""
    first, second = two_apps
    await seed(first, seed_plan)
    path = database(first)
    [(version_before,)] = rows(path, f"SELECT version FROM action WHERE ref = '{REF}'")

    async def decide(i: int) -> None:
        app = (first, second)[i % 2]
        await take_transition(progress(f"update {i}"), uow_factory=app.uow, clock=app.clock, store=app.store)

    await asyncio.gather(*(decide(i) for i in range(40)))
    [(version_after,)] = rows(path, f"SELECT version FROM action WHERE ref = '{REF}'")
    notes = rows(path, "SELECT note FROM decision WHERE event = 'record_progress'")
    assert version_after == version_before + 40
    assert sorted(note for (note,) in notes) == sorted(f"update {i}" for i in range(40))
    assert [report.ok for report in await verify_log(second.reader)] == [True]


async def test_a_writer_holding_the_lock_makes_the_other_process_wait_and_its_stale_version_is_refused(
    two_apps: tuple[App, App], seed_plan: Path
) -> None:
    first, second = two_apps
    await seed(first, seed_plan)
    path = database(first)
    [(version,)] = rows(path, f"SELECT version FROM action WHERE ref = '{REF}'")
    decisions = len(rows(path, "SELECT id FROM decision"))
    at = first.clock.now()
    async with first.uow() as uow:
        await uow.run(record_transition, progress("first", version), (), (), at)  # holds the write lock from here
        late = asyncio.create_task(
            take_transition(progress("second", version), uow_factory=second.uow, clock=second.clock, store=second.store)
        )
        await asyncio.sleep(0.3)
        assert not late.done(), "the second process wrote while the first held the lock"
        await uow.commit()
    with pytest.raises(ConcurrencyConflict) as conflict:
        await late
    assert (conflict.value.expected, conflict.value.actual) == (version, version + 1)
    assert rows(path, f"SELECT version FROM action WHERE ref = '{REF}'") == [(version + 1,)]
    assert len(rows(path, "SELECT id FROM decision")) == decisions + 1
    assert [report.ok for report in await verify_log(second.reader)] == [True]


async def test_the_update_itself_refuses_a_stale_version(two_apps: tuple[App, App], seed_plan: Path) -> None:
    """The backstop under the lock: the action's update matches its row only at the version it was read at."""
    first, _ = two_apps
    await seed(first, seed_plan)
    path = database(first)
    before = rows(path, f"SELECT * FROM action WHERE ref = '{REF}'")

    def save_at(tx: Tx, version: int) -> int:
        [(_, action)] = tx.actions.find(1, REF)
        return tx.actions.save_state(action, version, None)

    [(version,)] = rows(path, f"SELECT version FROM action WHERE ref = '{REF}'")
    for stale in (version - 1, version + 1):
        async with first.uow() as uow:
            with pytest.raises(ConcurrencyConflict) as conflict:
                await uow.run_and_commit(save_at, stale)
        assert (conflict.value.expected, conflict.value.actual) == (stale, version)
    assert rows(path, f"SELECT * FROM action WHERE ref = '{REF}'") == before
    async with first.uow() as uow:
        assert await uow.run_and_commit(save_at, version) == version + 1


@pytest.mark.parametrize("how", ["run", "run_and_commit"])
async def test_an_exception_inside_a_writing_unit_of_work_leaves_nothing_written_and_no_lock_held(
    two_apps: tuple[App, App], seed_plan: Path, how: str
) -> None:
    first, _ = two_apps
    await seed(first, seed_plan)
    path = database(first)
    tables = "SELECT (SELECT group_concat(version) FROM action), (SELECT count(*) FROM decision), "
    tables += "(SELECT count(*) FROM outbox), (SELECT count(*) FROM partnership)"
    before = rows(path, tables)

    def decide_then_fail(tx: Tx) -> None:
        tx.partnerships.add("Another", "ANOTHER")
        record_transition(tx, progress("half done"), (), (), first.clock.now())
        raise RuntimeError("the work failed after writing")

    with pytest.raises(RuntimeError, match="after writing"):
        async with first.uow() as uow:
            await (uow.run if how == "run" else uow.run_and_commit)(decide_then_fail)
    assert rows(path, tables) == before
    # No transaction was left open on a pooled connection: another writer gets the lock at once.
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()
    assert [report.ok for report in await verify_log(first.reader)] == [True]


async def test_a_commit_stays_committed_when_its_connection_goes_back_to_the_pool(
    two_apps: tuple[App, App], seed_plan: Path
) -> None:
    """The pool rolls back a connection it takes back (``reset_on_return``): after a commit there is nothing to
    roll back, and the next unit of work on the same connection starts clean."""
    first, _ = two_apps
    await seed(first, seed_plan)
    path = database(first)
    pool = writer_of(first).engine.pool
    async with first.uow() as uow:
        await uow.run_and_commit(lambda tx: tx.partnerships.add("Kept", "KEPT"))
    assert pool.checkedin() >= 1
    assert rows(path, "SELECT short_name FROM partnership WHERE short_name = 'KEPT'") == [("KEPT",)]
    async with first.uow() as uow:
        assert [p.short_name for p in await uow.run(lambda tx: tx.partnerships.all())][-1] == "KEPT"


async def test_disposing_the_engine_closes_the_writers_connections(tmp_path: Path, sqlite_template: Path) -> None:
    path = tmp_path / "dhrflow.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    writer = engine.get_execution_options()[SQLITE_WRITER]
    assert isinstance(writer, SqliteWriter)
    async with sql_uow_factory(engine)() as uow:
        await uow.run_and_commit(lambda tx: tx.partnerships.add("Disposed", "DISPOSED"))
    async with sql_reader_factory(engine)() as uow:
        await uow.run(lambda tx: tx.partnerships.all())
    assert writer.engine.pool.checkedin() == 1
    await engine.dispose()
    assert writer.engine.pool.checkedin() == 0
    # The last connection to close checkpoints the log into the file and removes it: none was left open.
    assert not path.with_name(path.name + "-wal").exists()


async def test_a_unit_of_work_on_the_writer_and_one_through_the_async_layer_write_the_same_rows(
    sqlite_template: Path, tmp_path: Path, seed_plan: Path
) -> None:
    """The writer runs the decision path's statements straight on sqlite3 (``storage.driver``): the rows it
    leaves are byte for byte those SQLAlchemy's async engine leaves for the same decisions."""
    dumps = []
    for name, inline in (("writer", True), ("async", False)):
        path = tmp_path / f"{name}.db"
        shutil.copy(sqlite_template, path)
        clock = FixedClock(datetime(2013, 10, 1, 9, 0, tzinfo=UTC))
        settings = Settings(database_url=f"sqlite:///{path}", data_dir=tmp_path / name)
        async with open_app(settings, clock=clock) as app:
            engine = make_engine(f"sqlite:///{path}", sqlite_inline=inline)
            uow = sql_uow_factory(engine)
            assert (SQLITE_WRITER in engine.get_execution_options()) == inline
            try:
                await seed(replace(app, uow=uow), seed_plan)
                for who, event, text in [
                    (LEAD, Event.SUBMIT_EVIDENCE, "Audit figures attached — Q3 “final”"),
                    (COMMISSIONER, Event.REJECT, "No audit figures"),
                    (LEAD, Event.SUBMIT_EVIDENCE, "Now with figures"),
                    (COMMISSIONER, Event.VERIFY, ""),
                    (ASSURER, Event.ASSURE, ""),
                ]:
                    reason = text if event == Event.REJECT else ""
                    note = "" if event == Event.REJECT else text
                    command = TransitionCommand(who, ActionKey(REF), event, reason=reason, note=note)
                    await take_transition(command, uow_factory=uow, clock=clock, store=app.store)
            finally:
                await engine.dispose()
        dumps.append([rows(path, f"SELECT * FROM {table} ORDER BY id") for table in ("action", "decision", "outbox")])
    assert dumps[0] == dumps[1]
    assert len(dumps[0][1]) > 5  # the seed's decisions and the five above


async def test_a_statement_sqlalchemy_renders_anew_each_time_is_not_prepared(two_apps: tuple[App, App]) -> None:
    first, _ = two_apps
    in_a_list = Prepared(select(ACTION.c.id).where(ACTION.c.id.in_([1, 2])))
    run: Callable[[Tx], object] = lambda tx: in_a_list.rows(tx.connection, {})  # noqa: E731
    async with first.uow() as uow:
        with pytest.raises(ValueError, match="rendered anew"):
            await uow.run(run)
    async with SqlUnitOfWork(first.engine) as uow:  # the async engine's connection: through SQLAlchemy
        assert await uow.run(run) == []
