"""``dhrflow board dates add|list|remove`` and ``dhrflow board cycle``: the board's meetings and the progress
updates asked for before each."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from cli.runner import EXIT_REFUSED, parse_day, run
from domain.board_cycle import CycleDays

if TYPE_CHECKING:
    from workflows.commands.board_cycle import CycleReport
    from workflows.runtime.container import App

DayArg = Annotated[str, typer.Argument(help="The meeting day, YYYY-MM-DD.")]
AsOpt = Annotated[str, typer.Option("--as", help="The coordinator (email).")]


def register(root: typer.Typer) -> None:
    """Add ``board``: the ``dates`` group and ``cycle``."""
    board = typer.Typer(help="The board cycle: meeting dates, and progress updates asked for before each.")
    dates = typer.Typer(help="The board's meeting dates (set by the coordinator).", no_args_is_help=True)
    dates.command("add")(dates_add)
    dates.command("remove")(dates_remove)
    dates.command("list")(dates_list)
    board.add_typer(dates, name="dates")
    board.command("cycle")(cycle)
    root.add_typer(board, name="board")


def _day(text: str, option: str) -> date:
    day: date | None = parse_day(text, option)
    assert day is not None
    return day


def dates_add(day: DayArg, as_: AsOpt) -> None:
    """Set a board meeting date; lead officers with open actions are asked for an update before it."""
    from workflows.commands.board_cycle import add_board_date

    meets_on = _day(day, "DAY")

    async def work(a: App) -> date:
        return await add_board_date(as_, meets_on, uow_factory=a.uow, clock=a.clock)

    typer.echo(f"board meets on {run(work).isoformat()}")


def dates_remove(
    day: DayArg,
    as_: AsOpt,
    reason: Annotated[str, typer.Option(help="Why, for the record.")] = "",
) -> None:
    """Take a meeting date off; the requests already sent for it stay on record."""
    from workflows.commands.board_cycle import remove_board_date

    meets_on = _day(day, "DAY")

    async def work(a: App) -> date:
        return await remove_board_date(as_, meets_on, reason, uow_factory=a.uow, clock=a.clock)

    typer.echo(f"board meeting on {run(work).isoformat()} removed")


def dates_list(
    partnership: Annotated[str | None, typer.Option("--partnership", help="Partnership short name.")] = None,
) -> None:
    """The board's meeting dates."""
    from workflows.commands.board_cycle import board_dates

    async def work(a: App) -> list[date]:
        return await board_dates(a.reader, partnership=partnership)

    days = run(work)
    typer.echo("\n".join(d.isoformat() for d in days) if days else "no board meeting dates set")


def cycle(on: Annotated[str | None, typer.Option("--on", help="The day to run for (default: today).")] = None) -> None:
    """Ask for (and remind about) progress updates due today before coming meetings, once each."""
    from workflows.commands.board_cycle import run_board_cycle
    from workflows.runtime.working_days import england_and_wales

    day = parse_day(on, "--on")

    async def work(a: App) -> CycleReport:
        s = a.settings
        days = CycleDays(s.board_request_working_days, s.board_reminder_working_days)
        today = day or a.clock.today()
        return await run_board_cycle(today, uow_factory=a.uow, clock=a.clock, calendar=england_and_wales(), days=days)

    report = run(work)
    typer.echo(f"{report.day}: {report.requests} request(s), {report.reminders} reminder(s) sent")
    for failure in report.failures:  # the other partnerships' cycles ran; these could not
        typer.echo(f"error: not run: {failure}", err=True)
    if report.failures:
        raise typer.Exit(EXIT_REFUSED)
