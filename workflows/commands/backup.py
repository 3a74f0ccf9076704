"""Backup and restore of the embedded (SQLite) installation: the database and the evidence files.

A backup is one tar file: ``dhrflow.db`` (SQLite's online backup API: a consistent copy while the
web app and flows keep writing), every evidence file under ``evidence/`` (content-addressed, so a
file is the same bytes whenever it is copied) and ``manifest.json`` (revision, time, counts).
Evidence is included because the log verifies evidence hashes against the files: a database
without its files restores a log that points at nothing.

A restore checks everything before it replaces anything: the tar holds only plain files in the
expected places, the database is a dhrflow database at a migration this release knows (older ones
are upgraded in the staging copy), and every partnership's hash chain verifies.
"""

from __future__ import annotations

import asyncio
import json
import os
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from storage import migrate, sqlite_files
from storage.private_files import FILE_MODE, private_file, private_folder, write_private
from workflows.errors import BackupError
from workflows.queries.log import verify_log
from workflows.runtime.container import open_app, sqlite_path
from workflows.runtime.settings import Settings

DB_NAME = "dhrflow.db"
EVIDENCE = "evidence"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class BackupReport:
    path: Path
    revision: str
    evidence_files: int
    size: int


@dataclass(frozen=True)
class RestoreReport:
    database: Path
    revision: str
    partnerships: int
    decisions: int
    evidence_files: int
    previous: Path | None
    """Where the replaced database was moved (``None`` when there was none)."""


def _database_file(settings: Settings) -> Path:
    path = sqlite_path(settings.effective_database_url)
    if path is None:
        raise BackupError(
            "backup and restore are for the embedded SQLite database; on PostgreSQL use "
            "pg_dump -Fc and pg_restore (see docs/operations.md), and copy DHRFLOW_DATA_DIR/evidence"
        )
    return path


def default_backup_path(settings: Settings, now: datetime) -> Path:
    return settings.data_dir / "backups" / f"dhrflow-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}.tar"


def backup(settings: Settings, out: Path, *, now: datetime) -> BackupReport:
    """Write a consistent backup of the database and the evidence files to ``out`` (blocking I/O)."""
    db = _database_file(settings)
    if not db.exists():
        raise BackupError(f"no database at {db}: nothing to back up")
    if out.exists():
        raise BackupError(f"{out} exists already; name another file")
    private_folder(out.parent)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".backup-") as staging:
        copy = Path(staging) / DB_NAME
        sqlite_files.copy_database(db, copy)  # SQLite's online backup: one consistent snapshot
        revision = sqlite_files.revision(copy)
        if revision is None:
            raise BackupError(f"{db} is not a dhrflow database (no migration recorded)")
        files = sorted(p for p in settings.evidence_dir.rglob("*") if p.is_file() and not p.name.startswith("."))
        manifest = {
            "format": "dhrflow-backup/1",
            "made_at": now.astimezone(UTC).isoformat(),
            "revision": revision,
            "evidence_files": len(files),
        }
        (Path(staging) / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        partial = out.with_name(f".{out.name}.partial")
        partial.unlink(missing_ok=True)
        with tarfile.open(private_file(partial), "w") as tar:  # the whole database and evidence: 0600
            tar.add(Path(staging) / MANIFEST, arcname=MANIFEST)
            tar.add(copy, arcname=DB_NAME)
            for file in files:
                tar.add(file, arcname=f"{EVIDENCE}/{file.relative_to(settings.evidence_dir).as_posix()}")
        os.replace(partial, out)
    return BackupReport(out, revision, len(files), out.stat().st_size)


def _unpack(archive: Path, into: Path) -> None:
    try:
        with tarfile.open(archive, "r:") as tar:
            for member in tar.getmembers():
                name = member.name
                allowed = name in (DB_NAME, MANIFEST) or (name.startswith(f"{EVIDENCE}/") and ".." not in name)
                if not (member.isfile() or member.isdir()) or not allowed:
                    raise BackupError(f"{archive} is not a dhrflow backup: it holds {name!r}")
            tar.extractall(into, filter="data")
    except (tarfile.TarError, EOFError):
        raise BackupError(f"{archive} is not a dhrflow backup (not a readable tar file)") from None
    if not (into / DB_NAME).is_file():
        raise BackupError(f"{archive} is not a dhrflow backup: it holds no {DB_NAME}")


async def _check(staged: Path, data_dir: Path) -> tuple[str, int, int]:
    """Upgrade the staged copy if it is older and verify every chain; (revision, partnerships, decisions)."""
    revision = sqlite_files.revision(staged)
    if revision is None:
        raise BackupError("the backup's database is not a dhrflow database (no migration recorded)")
    if revision not in migrate.known_revisions():
        raise BackupError(f"the backup's database is at migration {revision}, which this release does not know")
    settings = Settings(_env_file=None, database_url=f"sqlite:///{staged}", data_dir=data_dir)
    async with open_app(settings, migrate_schema=True) as staged_app:
        reports = await verify_log(staged_app.reader, files=data_dir / EVIDENCE)
    broken = [r for r in reports if not r.ok]
    if broken:
        first = broken[0]
        raise BackupError(
            f"the backup's decision log does not verify ({first.partnership}: "
            f"{first.chain.problem or first.problems[0]}); nothing was replaced"
        )
    return migrate.head_revision(), len(reports), sum(r.chain.checked for r in reports)


def restore(settings: Settings, archive: Path, *, force: bool, now: datetime) -> RestoreReport:
    """Replace the database and merge in the evidence files from ``archive``, after checking it (blocking).

    Stop the web app and the flows first: a restore under a running app swaps its file away.
    """
    db = _database_file(settings)
    if not archive.is_file():
        raise BackupError(f"no backup at {archive}")
    if db.exists() and not force:
        raise BackupError(
            f"{db} exists: restoring replaces it; add --force (it is kept beside as a .before-restore copy)"
        )
    private_folder(db.parent)
    with tempfile.TemporaryDirectory(dir=db.parent, prefix=".restore-") as staging:
        root = Path(staging)
        _unpack(archive, root)
        revision, partnerships, decisions = asyncio.run(_check(root / DB_NAME, root))
        restored = [p for p in (root / EVIDENCE).rglob("*") if p.is_file()] if (root / EVIDENCE).exists() else []
        # Evidence files are named by their hash: copying them in never changes a file already there.
        for file in restored:
            target = settings.evidence_dir / file.relative_to(root / EVIDENCE)
            if not target.exists():
                write_private(target, file.read_bytes())  # not the mode the tar carried
        previous = None
        if db.exists():
            previous = db.with_name(f"{db.name}.before-restore-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}")
            sqlite_files.fold_wal(db)  # so the kept copy is whole on its own
            os.replace(db, previous)
        for suffix in ("-wal", "-shm"):
            db.with_name(db.name + suffix).unlink(missing_ok=True)
        sqlite_files.fold_wal(root / DB_NAME)  # the checked copy may still hold pages in its WAL
        os.chmod(root / DB_NAME, FILE_MODE)  # it came out of the tar with the mode it went in with
        os.replace(root / DB_NAME, db)
    return RestoreReport(db, revision, partnerships, decisions, len(restored), previous)
