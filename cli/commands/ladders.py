"""``dhrflow ladder set|catch-up|show``: the escalation ladders of a partnership, and its catch-up rule."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from cli import render
from cli.runner import EXIT_USAGE, JsonOpt, PartnershipOpt, fail, run
from domain.ladders import CatchUp, Ladder, LadderName, parse_step

if TYPE_CHECKING:
    from workflows.commands.ladders import LadderSet
    from workflows.runtime.container import App


def register(root: typer.Typer) -> None:
    """Add ``ladder``: ``set``, ``catch-up`` and ``show``."""
    ladder = typer.Typer(help="Escalation ladders.", no_args_is_help=True)
    ladder.command("set")(ladder_set)
    ladder.command("catch-up")(ladder_catch_up)
    ladder.command("show")(ladder_show)
    root.add_typer(ladder, name="ladder")


def ladder_set(
    name: Annotated[
        str,
        typer.Argument(
            help="lead_officer, commissioner_check, partnership_check, impact_check or report_submission (a review)."
        ),
    ],
    step: Annotated[
        list[str],
        typer.Option(
            "--step",
            help="KEY:OFFSET:KIND:ROLE[+ROLE], in order, e.g. director:5:escalation:director (repeat for each step).",
        ),
    ],
    as_: Annotated[str | None, typer.Option("--as", help="The coordinator making the change (email).")] = None,
    partnership: PartnershipOpt = None,
) -> None:
    """Give the partnership a new version of a ladder; the next sweep applies it to every action under way."""
    from workflows.commands.ladders import set_ladder

    try:
        ladder_name = LadderName(name)
    except ValueError:
        raise fail(f"ladder {name!r} is not one of: {', '.join(LadderName)}", EXIT_USAGE) from None

    async def work(a: App) -> LadderSet:
        steps = [parse_step(ladder_name, text) for text in step]
        return await set_ladder(
            ladder_name, steps, uow_factory=a.uow, clock=a.clock, actor_email=as_, partnership=partnership
        )

    done = run(work)
    typer.echo(
        f"{done.ladder.name} is now version {done.ladder.version}; "
        f"the next sweep looks again at {done.rechecked:,} action(s) under way"
    )


def ladder_catch_up(
    mode: Annotated[str, typer.Argument(help="highest_only (default) or all.")],
    as_: Annotated[str | None, typer.Option("--as", help="The coordinator making the change (email).")] = None,
    partnership: PartnershipOpt = None,
) -> None:
    """What a sweep fires for an action found with several steps due: only the highest, or each."""
    from workflows.commands.ladders import set_catch_up

    try:
        catch_up = CatchUp(mode)
    except ValueError:
        raise fail(f"catch-up {mode!r} is not one of: {', '.join(CatchUp)}", EXIT_USAGE) from None

    async def work(a: App) -> CatchUp:
        return await set_catch_up(catch_up, uow_factory=a.uow, clock=a.clock, actor_email=as_, partnership=partnership)

    before = run(work)
    typer.echo(f"catch-up: {catch_up} (was {before})")


_SINCE = {
    "target_date": "the target date",
    "impact_due": "the day the impact check is due",
    "imported_on": "the day the review's plan was first imported",
}


def ladder_show(partnership: PartnershipOpt = None, json_: JsonOpt = False) -> None:
    """The ladders in force: steps in working days from the target date or from when evidence arrived."""
    from workflows.queries.ladders import ladders as ladders_in_force

    async def work(a: App) -> tuple[dict[LadderName, Ladder], CatchUp]:
        return await ladders_in_force(a.reader, partnership)

    ladders, catch_up = run(work)
    if json_:
        render.emit_json(
            {
                "catch_up": str(catch_up),
                "ladders": [ladder.to_json() for ladder in ladders.values()],
            }
        )
        return
    for ladder in ladders.values():
        since = _SINCE.get(ladder.anchor, "the day the evidence arrived")
        typer.echo(f"{ladder.name} (version {ladder.version}, working days from {since})")
        rows = [(s.key, f"{s.offset:+d}", s.kind, ", ".join(r.label for r in s.notify)) for s in ladder.steps]
        typer.echo(render.table(["step", "days", "kind", "tells"], rows))
        typer.echo("")
    fires = "only the highest" if catch_up == "highest_only" else "each"
    typer.echo(f"catch-up: {catch_up} (an action found with several steps due fires {fires})")
