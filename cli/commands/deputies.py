"""``dhrflow deputy``: name someone to act in your stead for a period, end it, list who stands in for whom."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from cli import render
from cli.runner import parse_day, run
from workflows.runtime.clock import LONDON

if TYPE_CHECKING:
    from workflows.commands.deputies import DeputyView
    from workflows.runtime.container import App


def register(root: typer.Typer) -> None:
    """Add ``deputy``: ``name``, ``end`` and ``list``."""
    deputy = typer.Typer(
        help="Deputies: someone acts in a person's stead for a period (act with --for EMAIL).", no_args_is_help=True
    )
    deputy.command("name")(name)
    deputy.command("end")(end)
    deputy.command("list")(list_)
    root.add_typer(deputy, name="deputy")


def _day(text: str, option: str) -> date:
    day = parse_day(text, option)
    assert day is not None
    return day


def _line(view: DeputyView) -> str:
    now = " (in force)" if view.in_force else ""
    return f"deputy period {view.id}: {view.deputy} for {view.principal}, {view.starts_on} to {view.ends_on}{now}"


def name(
    principal: Annotated[str, typer.Argument(help="Who is away (email).")],
    deputy: Annotated[str, typer.Argument(help="Who stands in for them (email).")],
    from_: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD.")],
    to: Annotated[str, typer.Option("--to", help="Last day, YYYY-MM-DD.")],
    reason: Annotated[str, typer.Option(help="Why (leave, absence, ...): recorded in the log.")],
    as_: Annotated[str, typer.Option("--as", help="The person themselves, or the coordinator (email).")],
) -> None:
    """Name a deputy for a period; the deputy then acts with `--for PRINCIPAL`, recorded as on their behalf."""
    from workflows.commands.deputies import name_deputy

    starts, ends = _day(from_, "--from"), _day(to, "--to")

    async def work(a: App) -> DeputyView:
        return await name_deputy(as_, principal, deputy, starts, ends, reason, uow_factory=a.uow, clock=a.clock)

    typer.echo(_line(run(work)))


def end(
    period: Annotated[int, typer.Argument(help="The period's id (first column of `dhrflow deputy list`).")],
    as_: Annotated[str, typer.Option("--as", help="The person, their deputy or the coordinator (email).")],
    reason: Annotated[str, typer.Option(help="Why it ends early, for the record.")] = "",
) -> None:
    """End a deputy period now (the person is back early)."""
    from workflows.commands.deputies import end_deputy

    async def work(a: App) -> DeputyView:
        return await end_deputy(as_, period, reason, uow_factory=a.uow, clock=a.clock)

    view = run(work)
    typer.echo(f"deputy period {view.id} ended: {view.deputy} no longer acts for {view.principal}")


def list_(
    mine: Annotated[str | None, typer.Option("--person", help="Only the periods naming this person (email).")] = None,
    partnership: Annotated[str | None, typer.Option(help="The partnership's short name.")] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The deputy periods in force or to come."""
    from workflows.commands.deputies import deputies

    async def work(a: App) -> list[DeputyView]:
        today = a.clock.now().astimezone(LONDON).date()
        return await deputies(a.reader, today=today, partnership=partnership, person_email=mine)

    views = run(work)
    if json_:
        render.emit_json([v.to_json() for v in views])
        return
    if not views:
        typer.echo("no deputy periods in force or to come")
        return
    rows = [
        (v.id, v.principal, v.deputy, v.starts_on, v.ends_on, "yes" if v.in_force else "", render.safe(v.reason))
        for v in views
    ]
    typer.echo(render.table(["id", "for", "deputy", "from", "to", "in force", "reason"], rows))
