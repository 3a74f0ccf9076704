"""The Alembic migrations build exactly the schema the tables describe."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection

from storage.engine import make_engine
from storage.errors import DatabaseNotReady
from storage.migrate import _config, current_revision, head_revision, is_current, script_head, upgrade
from storage.tables import metadata
from workflows.runtime.container import open_app
from workflows.runtime.settings import Settings


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


async def test_migrated_schema_matches_the_tables(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        async with engine.connect() as conn:
            assert await conn.run_sync(_differences) == []
        assert await current_revision(engine) == head_revision() == script_head()
        assert await is_current(engine)
        await upgrade(engine)  # a second run is a no-op
    finally:
        await engine.dispose()


async def test_an_unmigrated_database_is_refused_with_the_way_out(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    with pytest.raises(DatabaseNotReady, match="dhrflow init"):
        async with open_app(settings):
            pass


async def test_init_creates_the_sqlite_file_in_the_data_folder(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "new")
    async with open_app(settings, migrate_schema=True) as app:
        assert await current_revision(app.engine) == head_revision()
    assert (tmp_path / "new" / "dhrflow.db").exists()


async def test_a_database_behind_the_head_is_not_current(tmp_path: Path) -> None:
    """The quick check (no Alembic) says "behind" for an older revision and for no schema at all."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        assert not await is_current(engine)
        await upgrade(engine, "0001")
        assert not await is_current(engine)
        await upgrade(engine)
        assert await is_current(engine)
    finally:
        await engine.dispose()


_AT_0014 = """
INSERT INTO partnership (id, name, short_name) VALUES (1, 'Birmingham Community Safety Partnership', 'BCSP');
INSERT INTO agency (id, partnership_id, name) VALUES (1, 1, 'West Midlands Police');
INSERT INTO review (id, partnership_id, ref, title, status, imported_on) VALUES
  (1, 1, 'BDHR2011/12-03', '', 'active', '2013-10-01'), (2, 1, 'BDHR2012/13-01', '', 'signed_off', '2013-01-07'),
  (3, 1, 'BDHR2010/11-02', '', 'active', NULL);
INSERT INTO action (id, review_id, agency_id, ref, position, action, lead, target_date_text, desired_outcome,
  monitoring, success_measure, outcome_progress, evidence_location, status_rag, quality_assured_by, extra,
  target_date, route, state, version, returned) VALUES
  (1, 1, 1, '3.11.1', 1, 'Brief every officer', 'DCI', 'Apr-14', '', '', '', '', '', '', '', '{}',
   '2014-04-30', 'commissioner', 'open', 0, 0);
INSERT INTO decision (id, partnership_id, seq, review_id, review_ref, action_id, action_ref, actor_name, actor_role,
  event, from_state, to_state, reason, note, evidence_hashes, payload, at, prev_hash, hash) VALUES
  (1, 1, 1, 1, 'BDHR2011/12-03', 1, '3.11.1', 'dhrflow', 'system', 'escalated', 'open', 'open', '', '', '[]', '{}',
   '2014-05-08 07:00:00', 'g', 'h1'),
  (2, 1, 2, 1, 'BDHR2011/12-03', NULL, '', 'dhrflow', 'system', 'escalated', '', '', '', '', '[]', '{}',
   '2014-05-08 07:00:00', 'h1', 'h2');
INSERT INTO escalation (id, partnership_id, action_id, ladder, ladder_version, step, anchor_date, due_on, fired_on,
  decision_id) VALUES (1, 1, 1, 'lead_officer', 1, 'director', '2014-04-30', '2014-05-08', '2014-05-08', 1);
"""

_REVIEW_STEP = (
    "INSERT INTO escalation (partnership_id, action_id, review_id, ladder, ladder_version, step, anchor_date, due_on,"
    " fired_on, decision_id) VALUES (1, NULL, 1, 'report_submission', 1, 'overdue', '2013-10-01', '2013-11-26',"
    " '2013-11-26', 2)"
)


async def test_0015_keeps_the_ledger_takes_review_steps_once_and_starts_the_reviews_timers(tmp_path: Path) -> None:
    """From 0014 with a ledger row and imported reviews: the row is kept (about its action, no review), the
    reviews still climbing get their timer (the signed off and the never-imported none), a step of a review's
    own ladder is taken once per review, step and anchor; and back down to 0014, those steps go."""
    path = tmp_path / "at-0014.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        await upgrade(engine, "0014")
        with sqlite3.connect(path) as conn:
            conn.executescript(_AT_0014)
        await upgrade(engine)
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT action_id, review_id, step FROM escalation").fetchall() == [
                (1, None, "director")
            ]
            timers = conn.execute("SELECT id, next_step_due_on FROM review ORDER BY id").fetchall()
            assert timers == [(1, "2013-10-01"), (2, None), (3, None)]
            conn.execute(_REVIEW_STEP)
            with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
                conn.execute(_REVIEW_STEP)
            conn.commit()

        def down(connection: Connection) -> None:
            command.downgrade(_config(connection), "0014")

        migrating = make_engine(f"sqlite:///{path}", foreign_keys=False)  # as ``upgrade`` runs a batch on SQLite
        try:
            async with migrating.begin() as conn:
                await conn.run_sync(down)
        finally:
            await migrating.dispose()
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT id, action_id FROM escalation").fetchall() == [(1, 1)]
            with pytest.raises(sqlite3.IntegrityError, match="NOT NULL"):
                conn.execute(
                    _REVIEW_STEP.replace("action_id, review_id, ", "action_id, ").replace("NULL, 1, ", "NULL, ")
                )
    finally:
        await engine.dispose()
