"""What a command loads: a read command imports the database layer and its query, never Prefect, the web
app, the mail client or the document writers (``cli.main`` says how; ``bench/cli_cases.py`` times it)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli import Cli

# Runs one command as the console script does, then writes which modules it had imported.
_PROBE = """
import json, sys
from cli.main import main
out, sys.argv = sys.argv[1], ["dhrflow", *sys.argv[2:]]
try:
    main()
finally:
    with open(out, "w") as f:
        json.dump(sorted({name.split(".")[0] for name in sys.modules}), f)
"""

NEVER_FOR_A_READ = {
    "prefect",  # the flows: serve, deploy and worker only
    "fastapi",  # the web app, and what serves it
    "starlette",
    "uvicorn",
    "jinja2",  # templates: mail and HTML documents
    "aiosmtplib",  # sending mail
    "fpdf",  # the document writers and readers
    "docx",
    "openpyxl",
    "icalendar",
    "alembic",  # migrating (a read only checks the revision)
    "argon2",  # passwords
    "structlog",  # set up only when a module that logs is loaded (workflows.runtime.observability)
    "asyncpg",  # the database here is SQLite
}
"""Packages no read command needs. A module that imports one at its top (or a command module that imports a
use case at its top, ``cli.main`` says why not) puts it in every command's start."""

NOT_FOR_HELP = {"sqlalchemy", "sqlmodel", "aiosqlite", "pydantic_settings", "holidays", "dateutil"}
"""``--help`` opens no database and reads no settings."""


def _loaded(cli: Cli, tmp_path: Path, *args: str) -> set[str]:
    out = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(out), *args],
        env=cli.env,
        cwd=cli.data_dir.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(out.read_text()))


def test_help_loads_neither_the_database_layer_nor_the_settings(imported: Cli, tmp_path: Path) -> None:
    loaded = _loaded(imported, tmp_path, "--help")
    assert loaded & (NEVER_FOR_A_READ | NOT_FOR_HELP) == set()


@pytest.mark.parametrize("args", [("actions", "--json"), ("show", "3.11.1"), ("reviews",)])
def test_a_read_command_loads_only_what_it_reads_with(imported: Cli, tmp_path: Path, args: tuple[str, ...]) -> None:
    loaded = _loaded(imported, tmp_path, *args)
    assert "sqlalchemy" in loaded  # it did read the database
    assert loaded & NEVER_FOR_A_READ == set()
