"""``dhrflow impact confirm|not-shown|due|months``: whether an assured action changed practice, recorded against
the plan's "How will success be measured"; the checks due; the partnership's months from assurance to a check."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli import render
from cli.runner import AsOpt, ForOpt, JsonOpt, PartnershipOpt, ReviewOpt, parse_day, run
from domain.impact import ImpactOutcome

if TYPE_CHECKING:
    from workflows.commands.impact import ImpactResult, MonthsSet
    from workflows.queries.impact import ImpactDue
    from workflows.runtime.container import App

OnOpt = Annotated[str | None, typer.Option("--on", help="The day it was found, YYYY-MM-DD (default: today).")]


def register(root: typer.Typer) -> None:
    """Add the ``impact`` group."""
    impact = typer.Typer(
        help="Impact checks: months after assurance, did practice change? (see `dhrflow impact due`)",
        no_args_is_help=True,
    )
    impact.command("confirm")(confirm)
    impact.command("not-shown")(not_shown)
    impact.command("due")(due)
    impact.command("months")(months)
    root.add_typer(impact, name="impact")


def _record(
    ref: str,
    outcome: ImpactOutcome,
    as_: str,
    *,
    review: str | None,
    reason: str,
    note: str,
    files: list[Path],
    on: str | None,
    for_: str | None,
    json_: bool,
) -> None:
    from workflows.commands.impact import ImpactCommand, record_impact
    from workflows.context import ActionKey

    command = ImpactCommand(as_, ActionKey(ref, review), outcome, reason, note, tuple(files), (), parse_day(on), for_)

    async def work(a: App) -> ImpactResult:
        return await record_impact(command, uow_factory=a.uow, clock=a.clock, store=a.store)

    result = run(work)
    if json_:
        render.emit_json(result.to_json())
        return
    typer.echo(
        f"{result.review_ref} {result.action_ref}: {result.outcome} on {result.decided_on} "
        f"(check due {result.due_on}, decision {result.decision_id})"
    )
    for f in result.evidence:
        typer.echo(f"  evidence {f.name}: sha256 {f.sha256}")


def confirm(
    ref: Annotated[str, typer.Argument(help="Action ref, e.g. 3.11.1.")],
    as_: AsOpt,
    evidence: Annotated[
        list[Path] | None, typer.Option("--evidence", help="A file showing practice changed (repeatable).")
    ] = None,
    note: Annotated[str, typer.Option(help="What changed, against the success measure (or give --evidence).")] = "",
    review: ReviewOpt = None,
    on: OnOpt = None,
    for_: ForOpt = None,
    json_: JsonOpt = False,
) -> None:
    """The partnership assurer records that the assured action changed practice, with evidence."""
    _record(
        ref,
        ImpactOutcome.CONFIRMED,
        as_,
        review=review,
        reason="",
        note=note,
        files=evidence or [],
        on=on,
        for_=for_,
        json_=json_,
    )


def not_shown(
    ref: Annotated[str, typer.Argument(help="Action ref, e.g. 3.11.1.")],
    as_: AsOpt,
    reason: Annotated[str, typer.Option(help="What the check found: why no change in practice is shown.")],
    review: ReviewOpt = None,
    on: OnOpt = None,
    for_: ForOpt = None,
    json_: JsonOpt = False,
) -> None:
    """The partnership assurer records that the check showed no change in practice, and why."""
    _record(
        ref,
        ImpactOutcome.NOT_SHOWN,
        as_,
        review=review,
        reason=reason,
        note="",
        files=[],
        on=on,
        for_=for_,
        json_=json_,
    )


def due(
    as_: AsOpt,
    all_: Annotated[bool, typer.Option("--all", help="Every unanswered check, not only those due by today.")] = False,
    json_: JsonOpt = False,
) -> None:
    """The impact checks due (unanswered, due today or before) that you may see, soonest first."""
    from workflows.queries.impact import impact_due

    async def work(a: App) -> list[ImpactDue]:
        return await impact_due(a.reader, as_, today=None if all_ else a.clock.today())

    found = run(work)
    if json_:
        render.emit_json([d.to_json() for d in found])
        return
    if not found:
        typer.echo("no impact checks due")
        return
    rows = [(d.review_ref, d.action_ref, d.agency, d.due_on.isoformat(), d.success_measure) for d in found]
    typer.echo(render.table(["review", "action", "agency", "due", "how success is measured"], rows))


def months(
    count: Annotated[int, typer.Argument(help="Months from assurance to the check; 0: no impact checks.")],
    as_: Annotated[str | None, typer.Option("--as", help="The coordinator (email).")] = None,
    partnership: PartnershipOpt = None,
) -> None:
    """Set how many months after assurance the partnership checks impact (for actions assured from now on)."""
    from workflows.commands.impact import set_impact_months

    async def work(a: App) -> MonthsSet:
        return await set_impact_months(
            count, uow_factory=a.uow, clock=a.clock, actor_email=as_, partnership=partnership
        )

    done = run(work)
    typer.echo(f"{done.partnership}: impact checks {done.months} months after assurance (was {done.before})")
