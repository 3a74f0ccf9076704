"""``dhrflow review show|milestone``: a review's own timeline (submitted to its quality assurer, the panel's
letter, the family told, published, taken down) and recording its next step."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from cli import render
from cli.runner import AsOpt, JsonOpt, PartnershipOpt, parse_day, run

if TYPE_CHECKING:
    from workflows.commands.milestones import MilestoneResult
    from workflows.queries.timeline import ReviewTimeline
    from workflows.runtime.container import App


def register(root: typer.Typer) -> None:
    """Add the group ``review``: ``show`` and ``milestone``."""
    group = typer.Typer(help="One review as a whole: where it stands, and its milestones.", no_args_is_help=True)
    group.command("show")(show)
    group.command("milestone")(milestone)
    root.add_typer(group, name="review")


def show(ref: str, json_: JsonOpt = False, partnership: PartnershipOpt = None) -> None:
    """Where a review stands: its kind, status, milestones, what is next and when, its actions counted."""
    from workflows.queries.timeline import review_timeline

    async def work(a: App) -> ReviewTimeline:
        return await review_timeline(a.reader, ref, partnership=partnership, today=a.clock.today())

    found = run(work)
    if json_:
        render.emit_json(found.to_json())
        return
    typer.echo(f"review {found.review_ref} ({found.kind}, {found.status}): {found.standing}")
    if found.title:
        typer.echo(render.safe(found.title))
    rows = [
        (
            line.label,
            line.happened_on.isoformat() if line.happened_on else "-",
            line.recorded_by or "",
            line.url or "",
        )
        for line in found.milestones
    ]
    typer.echo(render.table(["milestone", "on", "recorded by", "address"], rows))
    for line in found.milestones:
        for n, point in enumerate(line.points, 1):
            day = line.happened_on.isoformat() if line.happened_on else ""
            typer.echo(f"note ({line.label.lower()} {day}, point {n}): {render.safe(point)}")
    if found.next is not None:
        due = ""
        if found.next_due_on:
            due = (
                f", OVERDUE since {found.next_due_on.isoformat()}"
                if found.overdue
                else f", due by {found.next_due_on.isoformat()}"
            )
        typer.echo(f"next: {found.next.label}{due}")
    states = ", ".join(f"{k} {v}" for k, v in found.by_state.items()) or "none"
    typer.echo(f"actions: {found.actions} ({states})")
    if found.awaiting_publication:
        typer.echo(f"targets counted from publication, not yet dated: {found.awaiting_publication}")


def milestone(
    ref: str,
    name: Annotated[
        str,
        typer.Argument(
            help="report_submitted_to_home_office, panel_letter_received, family_informed, published or taken_down."
        ),
    ],
    on: Annotated[str, typer.Option("--on", help="The day it happened, YYYY-MM-DD.")],
    as_: AsOpt,
    url: Annotated[str, typer.Option("--url", help="published: the address the report is published at.")] = "",
    point: Annotated[
        list[str] | None,
        typer.Option("--point", help="panel_letter_received: a point of the letter (repeat for each)."),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Record a milestone of a review (the coordinator or the partnership assurer); publication dates every
    target counted from it."""
    from workflows.commands.milestones import MilestoneCommand, record_milestone

    day = parse_day(on, "--on")
    assert day is not None
    command = MilestoneCommand(ref, name, day, url, tuple(point or ()))

    async def work(a: App) -> MilestoneResult:
        return await record_milestone(as_, command, uow_factory=a.uow, clock=a.clock)

    done = run(work)
    if json_:
        render.emit_json(done.to_json())
        return
    typer.echo(f"{done.review_ref}: {done.label} on {done.happened_on.isoformat()}")
    for action_ref, target in done.dated:
        typer.echo(f"  {action_ref}: target date {target.isoformat()}")
