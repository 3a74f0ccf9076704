"""Databases for the fault trials: one prepared source per database kind, cloned for every trial."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from storage.engine import make_engine
from tests.integration.conftest import _pg_admin, _pg_url

DHRFLOW = str(Path(sys.executable).parent / "dhrflow")
DAY = date(2026, 1, 5)  # a Monday, a working day: the sweep day of every trial
CLOCK_AT = datetime(2026, 1, 5, 7, 0, tzinfo=UTC)


async def clone(source: str, folder: Path) -> str:
    """A copy of ``source`` (a SQLite URL or a PostgreSQL database name as URL) for one trial."""
    if source.startswith("sqlite"):
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"trial-{uuid.uuid4().hex[:8]}.db"
        shutil.copy(source.removeprefix("sqlite:///"), target)
        return f"sqlite:///{target}"
    template = source.rsplit("/", 1)[1]
    name = f"dhrflow_f_{uuid.uuid4().hex[:12]}"
    await _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return _pg_url(name)


async def drop(url: str) -> None:
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    await _pg_admin(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def cli_env(url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DHRFLOW_"))}
    return env | {"DATABASE_URL": url, "DHRFLOW_DATA_DIR": str(data_dir), "COLUMNS": "200"} | extra


def dhrflow(args: Sequence[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([DHRFLOW, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300)


async def rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return [tuple(r) for r in (await conn.execute(text(sql))).all()]
    finally:
        await engine.dispose()
