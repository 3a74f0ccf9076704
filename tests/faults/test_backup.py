"""``dhrflow backup`` and ``dhrflow restore`` as a user runs them: back up, change things, restore, verify."""

from __future__ import annotations

import asyncio
import io
import shutil
import sqlite3
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from domain.states import Event
from tests.cli import Cli
from tests.faults import tally
from tests.integration import helpers
from tests.integration.helpers import seed
from workflows.commands import backup as backups
from workflows.commands.transitions import TransitionCommand, take_transition
from workflows.context import ActionKey
from workflows.runtime.container import App
from workflows.runtime.settings import Settings

LEAD, COMMISSIONER = "lead@wmp.test", "comm@nhs.test"


def _seed(cli: Cli) -> None:
    """On the ``staffed`` CLI (the seed, a police lead and an NHS commissioner): evidence submitted."""
    evidence = cli.data_dir.parent / "briefing.pdf"
    evidence.write_bytes(b"%PDF-1.4 the briefing minutes")
    cli("submit", "3.11.1", "--as", LEAD, "--note", "Message of the day published", "--file", str(evidence))


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_backup_then_changes_then_restore_brings_back_the_data_and_a_verifying_log(
    staffed: Cli,
    tmp_path: Path,
) -> None:
    cli = staffed
    _seed(cli)
    db = cli.data_dir / "dhrflow.db"
    before = _count(db, "decision")
    archive = tmp_path / "b.tar"
    assert "backed up the database" in cli("backup", "--out", str(archive)).stdout
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert {"dhrflow.db", "manifest.json"} <= set(names)
    assert [n for n in names if n.startswith("evidence/")]  # the evidence files go with the log

    cli("verify", "3.11.1", "--as", COMMISSIONER)
    assert _count(db, "decision") == before + 1

    refused = cli("restore", str(archive), ok=False)
    assert "--force" in refused.stderr and _count(db, "decision") == before + 1  # nothing replaced

    shutil.rmtree(cli.data_dir / "evidence")  # lost with the disk, say
    out = cli("restore", str(archive), "--force").stdout
    assert f"{before} decisions verified" in out and "1 evidence file(s)" in out
    assert _count(db, "decision") == before
    assert "ok" in cli("log", "verify", "--files").stdout
    shown = cli.json("show", "3.11.1")
    assert isinstance(shown, dict) and shown["state"] == "evidence_submitted"
    assert list(cli.data_dir.glob("dhrflow.db.before-restore-*"))  # the replaced one is kept
    tally.record("backup, change, restore", "sqlite", tally.Counts(trials=1))  # reached only if all held


def test_a_backup_whose_log_was_tampered_with_is_refused_before_anything_is_replaced(
    staffed: Cli,
    tmp_path: Path,
) -> None:
    cli = staffed
    _seed(cli)
    archive = tmp_path / "b.tar"
    cli("backup", "--out", str(archive))
    # Rewrite one decision's reason inside the backup's database, as an attacker with the file could.
    work = tmp_path / "work"
    with tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
    conn = sqlite3.connect(work / "dhrflow.db")
    conn.execute("DROP TRIGGER decision_no_update")
    conn.execute("UPDATE decision SET note = 'rewritten' WHERE id = (SELECT max(id) FROM decision)")
    conn.commit()
    conn.close()  # folds the WAL back into the file that goes into the tar
    tampered = tmp_path / "tampered.tar"
    with tarfile.open(tampered, "w") as tar:
        for name in ("manifest.json", "dhrflow.db"):
            tar.add(work / name, arcname=name)
    db = cli.data_dir / "dhrflow.db"
    before = db.read_bytes()
    refused = cli("restore", str(tampered), "--force", ok=False)
    assert "does not verify" in refused.stderr
    assert db.read_bytes() == before


def test_restore_refuses_what_is_not_a_dhrflow_backup(cli: Cli, tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar at all")
    assert "not a dhrflow backup" in cli("restore", str(junk), ok=False).stderr
    escape = tmp_path / "escape.tar"
    with tarfile.open(escape, "w") as tar:
        info = tarfile.TarInfo("../outside")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    assert "not a dhrflow backup" in cli("restore", str(escape), ok=False).stderr
    assert not (tmp_path / "outside").exists()


def test_backup_on_postgresql_is_one_line_pointing_at_pg_dump(cli: Cli) -> None:
    cli.env["DATABASE_URL"] = "postgresql://postgres@127.0.0.1:5432/test"
    assert "pg_dump" in cli("backup", ok=False).stderr


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_backup_taken_while_decisions_are_being_written_restores_a_verifying_log(
    app: App, settings: Settings, seed_plan: Path, tmp_path: Path
) -> None:
    await seed(app, seed_plan)
    stop = asyncio.Event()

    async def writing() -> int:
        written = 0
        while not stop.is_set():
            command = TransitionCommand(helpers.LEAD, ActionKey("3.11.1"), Event.RECORD_PROGRESS, note=f"n{written}")
            await take_transition(command, uow_factory=app.uow, clock=app.clock, store=app.store)
            written += 1
            await asyncio.sleep(0)
        return written

    writer = asyncio.create_task(writing())
    await asyncio.sleep(0.2)
    now = datetime.now(UTC)
    made = await asyncio.to_thread(backups.backup, settings, tmp_path / "live.tar", now=now)
    await asyncio.sleep(0.2)
    stop.set()
    written = await writer
    assert written > 0 and made.revision

    elsewhere = Settings(_env_file=None, database_url=None, data_dir=tmp_path / "elsewhere")  # type: ignore[call-arg]
    restored = await asyncio.to_thread(backups.restore, elsewhere, tmp_path / "live.tar", force=False, now=now)
    assert restored.decisions > 0  # the restore verified every chain before putting the file in place
