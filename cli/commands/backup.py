"""``dhrflow backup`` and ``dhrflow restore``: the embedded installation's database and evidence files."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

if TYPE_CHECKING:
    from workflows.commands.backup import BackupReport

T = TypeVar("T")


def register(root: typer.Typer) -> None:
    """Add ``backup`` and ``restore``."""
    root.command("backup")(backup)
    root.command("restore")(restore)


def _guarded(work: Callable[[], T]) -> T:
    from pydantic import ValidationError

    from workflows.errors import WorkflowError

    try:
        return work()
    except ValidationError as exc:
        typer.echo(f"error: settings: {exc.errors()[0]['msg']}", err=True)
        raise typer.Exit(1) from None
    except WorkflowError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    except OSError as exc:
        typer.echo(f"error: {exc.filename or 'file'}: {exc.strerror or exc}", err=True)
        raise typer.Exit(1) from None


def backup(
    out: Annotated[
        Path | None, typer.Option("--out", help="The tar file to write (default: DATA_DIR/backups/dhrflow-TIME.tar).")
    ] = None,
) -> None:
    """Back up the SQLite database (consistent while the app runs) and the evidence files into one tar."""
    from workflows.commands import backup as backups
    from workflows.runtime.settings import Settings

    now = datetime.now(UTC)

    def work() -> BackupReport:
        settings = Settings()
        return backups.backup(settings, out or backups.default_backup_path(settings, now), now=now)

    report = _guarded(work)
    typer.echo(
        f"backed up the database (migration {report.revision}) and {report.evidence_files} evidence file(s) "
        f"to {report.path} ({report.size:,} bytes)"
    )


def restore(
    path: Annotated[Path, typer.Argument(help="A tar written by `dhrflow backup`.")],
    force: Annotated[bool, typer.Option("--force", help="Replace the database that is there now.")] = False,
) -> None:
    """Restore a backup: checked (a dhrflow database, a known migration, a log that verifies) before replacing."""
    from workflows.commands import backup as backups
    from workflows.runtime.settings import Settings

    now = datetime.now(UTC)
    report = _guarded(lambda: backups.restore(Settings(), path, force=force, now=now))
    kept = f"; the replaced database is kept at {report.previous}" if report.previous else ""
    typer.echo(
        f"restored {report.database} (migration {report.revision}, {report.partnerships} partnership log(s), "
        f"{report.decisions} decisions verified, {report.evidence_files} evidence file(s)){kept}"
    )
