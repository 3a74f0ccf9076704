"""What dhrflow writes in its data folder is the service account's alone: folders 0700, files 0600, made so
whatever the umask (issue 14: with the usual 022 the database, its WAL, evidence and backups were 0644)."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from storage.private_files import FILE_MODE, FOLDER_MODE
from tests.cli import COMM_ADD, LEAD, LEAD_ADD, Cli
from tests.integration.helpers import seed
from workflows.commands.import_plan import UPLOAD_HOURS, keep_upload
from workflows.errors import InvalidInput
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import open_app
from workflows.runtime.settings import Settings


def not_private(root: Path) -> dict[str, str]:
    """Every folder under ``root`` (and itself) not 0700 and every file not 0600, with its mode."""
    found = {}
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode != (FOLDER_MODE if path.is_dir() else FILE_MODE):
            found[str(path.relative_to(root))] = oct(mode)
    return found


@pytest.mark.usefixtures("open_umask")
def test_the_data_folder_init_import_submit_backup_and_restore_leave_is_private(cli: Cli, seed_plan: Path) -> None:
    cli("init")
    assert not_private(cli.data_dir) == {}
    cli("import", str(seed_plan))
    cli(*LEAD_ADD)
    cli(*COMM_ADD)
    evidence = cli.data_dir.parent / "briefing.pdf"
    evidence.write_bytes(b"%PDF-1.4 the briefing minutes")
    cli("submit", "3.11.1", "--as", LEAD, "--note", "Message of the day published", "--file", str(evidence))
    cli("backup")
    [archive] = (cli.data_dir / "backups").iterdir()
    cli("restore", str(archive), "--force")
    assert {p.name for p in (cli.data_dir / "evidence").rglob("*") if p.is_file()}  # something was checked
    assert not_private(cli.data_dir) == {}


@pytest.mark.usefixtures("open_umask")
async def test_the_databases_wal_and_shm_and_the_evidence_are_private(
    tmp_path: Path, seed_plan: Path, clock: FixedClock
) -> None:
    settings = Settings(_env_file=None, database_url=None, data_dir=tmp_path / "data")
    async with open_app(settings, clock=clock, migrate_schema=True) as app:
        await seed(app, seed_plan)  # writes, and the pool keeps the connection (and so the WAL) open
        app.store.put(b"%PDF-1.4 minutes", "minutes.pdf")
        present = {p.name for p in settings.data_dir.iterdir()}
        assert {"dhrflow.db", "dhrflow.db-wal", "dhrflow.db-shm", "evidence"} <= present
        assert not_private(settings.data_dir) == {}


@pytest.mark.usefixtures("open_umask")
def test_an_uploaded_plan_is_kept_private_and_one_left_unconfirmed_for_a_day_goes(tmp_path: Path) -> None:
    """The next upload clears the stale ones, and only files named as kept uploads: nothing else there."""
    uploads = tmp_path / "uploads"
    stale, fresh, other = "a" * 64 + ".xlsx", "b" * 64 + ".csv", "notes.txt"
    keep_upload(uploads, stale, b"last week's plan")
    (uploads / other).write_bytes(b"not an upload")
    long_ago = time.time() - (UPLOAD_HOURS + 1) * 3600
    for name in (stale, other):
        os.utime(uploads / name, (long_ago, long_ago))
    keep_upload(uploads, fresh, b"today's plan")
    assert sorted(p.name for p in uploads.iterdir()) == sorted([fresh, other])
    assert (uploads / fresh).read_bytes() == b"today's plan"
    assert stat.S_IMODE(uploads.stat().st_mode) == FOLDER_MODE
    assert stat.S_IMODE((uploads / fresh).stat().st_mode) == FILE_MODE


@pytest.mark.parametrize("name", ["../" + "c" * 64 + ".csv", "plan.csv", "c" * 64 + ".exe"])
def test_only_a_kept_uploads_own_name_is_written(tmp_path: Path, name: str) -> None:
    with pytest.raises(InvalidInput):
        keep_upload(tmp_path / "uploads", name, b"a plan")
    assert not (tmp_path / "uploads").exists() or list((tmp_path / "uploads").iterdir()) == []
