"""``dhrflow escalations`` and ``dhrflow acknowledge``: the ledger of fired ladder steps, and an escalation
acknowledged by someone it told."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from cli import render
from cli.runner import EXIT_USAGE, AsOpt, ForOpt, JsonOpt, PartnershipOpt, fail, run
from workflows.runtime.clock import LONDON

if TYPE_CHECKING:
    from workflows.commands.acknowledgements import EscalationView
    from workflows.runtime.container import App


def register(root: typer.Typer) -> None:
    """Add ``escalations`` and ``acknowledge``."""
    root.command("escalations")(escalations)
    root.command("acknowledge")(acknowledge)


def escalations(
    partnership: PartnershipOpt = None,
    json_: JsonOpt = False,
    mine: Annotated[bool, typer.Option("--mine", help="Only the steps that told me (give --as).")] = False,
    as_: Annotated[str | None, typer.Option("--as", help="Who I am (email), with --mine.")] = None,
) -> None:
    """The ledger of fired steps, newest first; with --mine, the ones that told me, unacknowledged first."""
    if mine and as_ is None:
        raise fail("--mine needs --as EMAIL: say who you are", EXIT_USAGE)
    if as_ is not None and not mine:
        raise fail("--as goes with --mine (the steps that told that person)", EXIT_USAGE)
    from workflows.commands.acknowledgements import escalations as list_escalations

    async def work(a: App) -> list[EscalationView]:
        return await list_escalations(a.reader, partnership, mine=as_)

    views = run(work)
    if json_:
        render.emit_json([v.to_json() for v in views])
        return
    if mine and not views:
        typer.echo(f"no escalations have told {as_}")
        return
    table = [
        (
            v.id,
            v.fired_on,
            v.review_ref,
            v.action_ref,
            f"{v.ladder} / {v.step}",
            v.kind,
            v.due_on,
            ", ".join(r.label for r in v.notify),
            _acknowledged(v),
        )
        for v in views
    ]
    typer.echo(
        render.table(["id", "fired", "review", "ref", "ladder / step", "kind", "due", "told", "acknowledged"], table)
    )


def _acknowledged(view: EscalationView) -> str:
    if view.acknowledged_by is None:
        return "-" if view.kind != "escalation" else "no"
    when = view.acknowledged_at.astimezone(LONDON).date() if view.acknowledged_at else ""
    return f"{view.acknowledged_by} {when}"


def acknowledge(
    escalation_id: Annotated[int, typer.Argument(help="The escalation's id (first column of `dhrflow escalations`).")],
    as_: AsOpt,
    note: Annotated[str, typer.Option(help="What you are doing about it, for the record.")] = "",
    for_: ForOpt = None,
) -> None:
    """Someone an escalation told (the agency's director, the partnership) says they have it in hand."""
    from workflows.commands.acknowledgements import acknowledge as acknowledge_escalation

    async def work(a: App) -> EscalationView:
        return await acknowledge_escalation(
            as_, escalation_id, note, uow_factory=a.uow, clock=a.clock, on_behalf_of=for_
        )

    view = run(work)
    typer.echo(f"escalation {view.id} ({view.review_ref} {view.action_ref}, {view.ladder} / {view.step}) acknowledged")
