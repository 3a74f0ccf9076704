"""Backup and restore at their decision points: what is refused before any file is written or replaced.

The copy itself (SQLite's online backup, the chain checked on the staged copy) runs on a real database in
``tests/faults/test_backup.py``.
"""

from __future__ import annotations

import io
import re
import sqlite3
import tarfile
from pathlib import Path

import pytest

from tests.unit.workflows.commands.world import AT
from workflows.commands.backup import backup, restore
from workflows.errors import BackupError
from workflows.runtime.settings import Settings


def settings(tmp_path: Path, database_url: str | None = None) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path / "data", database_url=database_url)


def test_postgresql_is_backed_up_with_its_own_tools(tmp_path: Path) -> None:
    on_postgres = settings(tmp_path, "postgresql://dhr@127.0.0.1/dhrflow")
    with pytest.raises(BackupError, match="pg_dump"):
        backup(on_postgres, tmp_path / "b.tar", now=AT)
    with pytest.raises(BackupError, match="pg_dump"):
        restore(on_postgres, tmp_path / "b.tar", force=True, now=AT)


def test_a_backup_needs_a_dhrflow_database_and_a_new_file(tmp_path: Path) -> None:
    local = settings(tmp_path)
    with pytest.raises(BackupError, match="no database at"):
        backup(local, tmp_path / "b.tar", now=AT)
    (tmp_path / "data").mkdir()
    sqlite3.connect(tmp_path / "data" / "dhrflow.db").close()  # an empty file: no migration recorded
    (tmp_path / "taken.tar").write_bytes(b"")
    with pytest.raises(BackupError, match="exists already"):
        backup(local, tmp_path / "taken.tar", now=AT)
    with pytest.raises(BackupError, match="not a dhrflow database"):
        backup(local, tmp_path / "b.tar", now=AT)
    assert not (tmp_path / "b.tar").exists()


def _tar(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_a_restore_replaces_nothing_it_has_not_checked(tmp_path: Path) -> None:
    local = settings(tmp_path)
    (tmp_path / "data").mkdir()
    db = tmp_path / "data" / "dhrflow.db"
    db.write_bytes(b"the database in use")
    archive = _tar(tmp_path / "b.tar", {"dhrflow.db": b"x"})
    with pytest.raises(BackupError, match="add --force"):
        restore(local, archive, force=False, now=AT)
    hostile = _tar(tmp_path / "evil.tar", {"dhrflow.db": b"x", "../../etc/passwd": b"root"})
    with pytest.raises(BackupError, match=re.escape("not a dhrflow backup: it holds '../../etc/passwd'")):
        restore(local, hostile, force=True, now=AT)
    with pytest.raises(BackupError, match="not a dhrflow database"):
        restore(local, archive, force=True, now=AT)
    assert db.read_bytes() == b"the database in use"
