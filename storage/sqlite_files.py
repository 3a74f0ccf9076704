"""The embedded SQLite database as a file: a consistent copy of it while others write, the migration it is
at, and its write-ahead log folded back in. What ``workflows.commands.backup`` does with the files it needs
from the database, kept here so that no SQL is written outside ``storage``."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path


def copy_database(db: Path, to: Path) -> None:
    """Copy ``db`` to ``to`` with SQLite's online backup: one consistent snapshot while the web app and the
    flows keep writing (read-only on ``db``; waits up to 30 s for a writer)."""
    source = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(to)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def revision(db: Path) -> str | None:
    """The Alembic revision ``db`` is at; ``None`` when it is no dhrflow database (no migration recorded)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None


def fold_wal(db: Path) -> None:
    """Write ``db``'s write-ahead log back into the file, so the file alone is the whole database."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
