"""``dhrflow init``: the database, made or brought up to this release's schema."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from cli.runner import run

if TYPE_CHECKING:
    from workflows.runtime.container import App


def register(root: typer.Typer) -> None:
    """Add ``init``."""
    root.command("init")(init)


def init() -> None:
    """Create the database (or upgrade it to this release) in the data folder or at DATABASE_URL."""

    async def work(a: App) -> str:
        return a.settings.effective_database_url

    url = run(work, migrate_schema=True)
    typer.echo(f"database ready: {url.split('@')[-1]}")
