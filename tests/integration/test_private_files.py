"""What dhrflow writes in its data folder is the service account's alone: folders 0700, files 0600, made so
whatever the umask (issue 14: with the usual 022 the database, its WAL, evidence and backups were 0644)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from storage.private_files import FILE_MODE, FOLDER_MODE
from tests.cli import COMM_ADD, LEAD, LEAD_ADD, Cli
from tests.integration.helpers import seed
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
