"""``dhrflow demo``: the embedded default set up in one go, the seed plan imported and demo people added."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from cli import render
from cli.commands.reviews import print_summaries
from cli.runner import run

if TYPE_CHECKING:
    from workflows.commands.import_plan import ImportReport
    from workflows.queries.reviews import ReviewSummary
    from workflows.runtime.container import App


def register(root: typer.Typer) -> None:
    """Add ``demo``."""
    root.command("demo")(demo)


def demo() -> None:
    """Set up the embedded default: migrate, import the seed plan, add demo people, print a summary."""
    set_up()


def set_up() -> Path:
    """What ``demo`` does (``serve --demo`` too); returns the data folder, absolute."""
    from workflows.commands.demo import load_demo
    from workflows.queries.reviews import review_summaries

    async def work(a: App) -> tuple[ImportReport, list[ReviewSummary], list[Any], Path]:
        report, people = await load_demo(a)
        today = a.clock.today()
        return (
            report,
            await review_summaries(a.reader, today=today, policy=a.rag_policy),
            people,
            a.settings.data_dir.resolve(),
        )

    report, summaries, people, data_dir = run(work, migrate_schema=True)
    what = "imported" if report.created_review else "already imported"
    if report.frozen:
        what = "already imported and signed off (its plan is frozen; left as it is)"
    typer.echo(f"dhrflow demo: data in {data_dir}")
    typer.echo(f"seed plan {report.review_ref} {what}: {len(report.added)} actions added, {report.unchanged} unchanged")
    for w in report.warnings:
        typer.echo(f"  warning: {w}")
    print_summaries(summaries)
    typer.echo("\nDemo people (use with --as EMAIL; sign in to the web app with the password):")
    rows = [(p.email, p.role.label, p.agency or "", p.password or "(set earlier)") for p in people]
    typer.echo(render.table(["email", "role", "agency", "password"], rows))
    if any(p.password for p in people):
        typer.echo("Demo passwords are shown this once; `dhrflow people password EMAIL` sets a new one.")
    typer.echo("\nNext (the CLI is .venv/bin/dhrflow):")
    typer.echo("  dhrflow actions --overdue")
    typer.echo('  dhrflow submit 3.11.1 --as lead.wmp@demo.invalid --note "Briefing note sent to all officers"')
    typer.echo("  dhrflow verify 3.11.1 --as commissioner@demo.invalid")
    typer.echo("  dhrflow assure 3.11.1 --as assurer@demo.invalid")
    typer.echo("  dhrflow show 3.11.1")
    return data_dir
