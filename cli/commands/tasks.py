"""``dhrflow tasks``: what waits on a person, as My tasks shows it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from cli import render
from cli.runner import AsOpt, JsonOpt, run

if TYPE_CHECKING:
    from workflows.queries.tasks import Task
    from workflows.runtime.container import App


def register(root: typer.Typer) -> None:
    """Add ``tasks``."""
    root.command("tasks")(tasks)


def tasks(as_: AsOpt, json_: JsonOpt = False) -> None:
    """Everything that waits on me (and on whoever I stand in for today), by kind, the oldest wait first."""
    from workflows.queries.tasks import grouped, tasks_of

    async def work(a: App) -> list[Task]:
        return await tasks_of(a.reader, as_, today=a.clock.today())

    found = run(work)
    if json_:
        render.emit_json([t.to_json() for t in found])
        return
    if not found:
        typer.echo(f"nothing waits on {as_}")
        return
    for group in grouped(found):
        typer.echo(f"{group.label} ({group.count})")
        rows = [
            (
                t.since.isoformat() if t.since.year > 1 else "-",
                t.review_label or t.review_ref or "-",
                t.action_ref or "-",
                t.description + (f" [as deputy for {t.on_behalf_of}]" if t.on_behalf_of else ""),
            )
            for t in group.tasks
        ]
        typer.echo(render.table(["since", "review", "ref", "what waits"], rows))
