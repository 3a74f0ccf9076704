"""``dhrflow calendar create|revoke``: a person's secret deadline-calendar address."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from cli.runner import run

if TYPE_CHECKING:
    from workflows.runtime.container import App

AsOpt = Annotated[str, typer.Option("--as", help="Whose calendar (email).")]


def register(root: typer.Typer) -> None:
    """Add ``calendar``: ``create`` and ``revoke``."""
    calendar = typer.Typer(
        help="Deadline calendar: an iCalendar feed of your target dates and the decisions waiting for you.",
        no_args_is_help=True,
    )
    calendar.command("create")(create)
    calendar.command("revoke")(revoke)
    root.add_typer(calendar, name="calendar")


def create(as_: AsOpt) -> None:
    """Make your calendar address (any old one stops working); it is shown this once."""
    from workflows.commands.calendar_feed import create_calendar_feed

    async def work(a: App) -> str:
        return await create_calendar_feed(as_, uow_factory=a.uow, clock=a.clock)

    typer.echo(f"/calendar/{run(work)}.ics")
    typer.echo(
        "(shown once: put the web app's address in front and subscribe to it; `dhrflow calendar revoke` ends it)",
        err=True,
    )


def revoke(as_: AsOpt) -> None:
    """Stop your calendar address working at once."""
    from workflows.commands.calendar_feed import revoke_calendar_feed

    async def work(a: App) -> int:
        return await revoke_calendar_feed(as_, uow_factory=a.uow, clock=a.clock)

    typer.echo("calendar address revoked" if run(work) else "no calendar address to revoke")
