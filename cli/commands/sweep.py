"""``dhrflow sweep``: every escalation-ladder step due by a day fired, once each."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from cli import render
from cli.runner import EXIT_REFUSED, JsonOpt, parse_day, run

if TYPE_CHECKING:
    from workflows.commands.sweep import SweepReport
    from workflows.runtime.container import App


def register(root: typer.Typer) -> None:
    """Add ``sweep``."""
    root.command("sweep")(sweep)


def sweep(
    on: Annotated[str | None, typer.Option("--on", help="The day to sweep for, YYYY-MM-DD (default: today).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show who would be told; write nothing.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Fire every ladder step due by the day: reminders, overdue notices, escalations; each once."""
    from workflows.commands.sweep import sweep as run_sweep
    from workflows.queries.reviews import first_import_on
    from workflows.runtime.working_days import england_and_wales

    day = parse_day(on)

    async def work(a: App) -> tuple[SweepReport, date | None]:
        today = day or a.clock.today()
        done = await run_sweep(today, uow_factory=a.uow, clock=a.clock, calendar=england_and_wales(), dry_run=dry_run)
        return done, await first_import_on(a.reader)

    report, imported_on = run(work)
    if json_:
        render.emit_json(
            {
                "today": report.today.isoformat(),
                "dry_run": report.dry_run,
                "examined": report.examined,
                "reviews_examined": report.reviews_examined,
                "fired_count": report.fired_count,
                "fired": [f.to_json() for f in report.fired],
                "failed_count": report.failed_count,
                "failures": [str(f) for f in report.failures],
            }
        )
        _end_if_incomplete(report)
        return
    rows = [
        (f.review_ref, f.action_ref or "(review)", f.ladder, f.step, f.due_on, ", ".join(r.label for r in f.notify))
        for f in report.fired
    ]
    if rows:
        typer.echo(render.table(["review", "ref", "ladder", "step", "due", "tells"], rows))
    if report.fired_count > len(rows):
        typer.echo(f"... and {report.fired_count - len(rows):,} more")
    verb = "would fire" if dry_run else "fired"
    typer.echo(
        f"sweep for {report.today}: {report.examined:,} action(s) due for a look"
        + (f" and {report.reviews_examined:,} review(s)" if report.reviews_examined else "")
        + f", {report.fired_count:,} step(s) {verb}"
    )
    if imported_on is not None and report.today < imported_on:
        typer.echo(
            f"note: {report.today} is before the first plan was imported ({imported_on}): a ladder starts when its "
            f"action is imported, so days before that are not swept; what was overdue at import is caught up by "
            f"the first sweep from {imported_on} on"
        )
    _end_if_incomplete(report)


def _end_if_incomplete(report: SweepReport) -> None:
    """Every other action was swept; the ones whose data stopped them are named, and the exit code says so."""
    if not report.failed_count:
        return
    for f in report.failures:
        typer.echo(f"error: not swept: {f}", err=True)
    more = report.failed_count - len(report.failures)
    if more > 0:
        typer.echo(f"error: ... and {more:,} more not swept", err=True)
    raise typer.Exit(EXIT_REFUSED)
