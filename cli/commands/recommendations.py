"""``dhrflow recommendations`` (the list, each with its status and actions) and ``dhrflow recommendation
set|not-accepted|accepted`` (the coordinator's decisions about one: its scope and addressee, and whether it
was accepted)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from cli import render
from cli.runner import EXIT_USAGE, JsonOpt, PartnershipOpt, ReviewOpt, fail, run

if TYPE_CHECKING:
    from workflows.commands.recommendations import RecommendationChange
    from workflows.queries.recommendations import RecommendationView
    from workflows.runtime.container import App

AsCoordinator = Annotated[str, typer.Option("--as", help="The coordinator (email).")]
ReviewArg = Annotated[str, typer.Argument(help="Review reference, e.g. BDHR2011/12-03.")]
NumberArg = Annotated[
    str, typer.Argument(help="The recommendation's number (one of them, for a row naming several), or #N.")
]


def register(root: typer.Typer) -> None:
    """Add ``recommendations`` and the group ``recommendation``: ``set``, ``not-accepted``, ``accepted``."""
    root.command("recommendations")(recommendations)
    one = typer.Typer(help="The coordinator's decisions about one recommendation.", no_args_is_help=True)
    one.command("set")(set_)
    one.command("not-accepted")(not_accepted)
    one.command("accepted")(accepted)
    root.add_typer(one, name="recommendation")


def recommendations(
    review: ReviewOpt = None,
    scope: Annotated[str | None, typer.Option("--scope", help="local, regional or national.")] = None,
    status: Annotated[
        str | None,
        typer.Option("--status", help="not_started, in_progress, implemented, partly_implemented or not_accepted."),
    ] = None,
    partnership: PartnershipOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Recommendations with their scope, addressee, status (derived from their actions) and dates."""
    from workflows.queries.recommendations import RecommendationQuery, one_scope, parse_status
    from workflows.queries.recommendations import recommendations as listing

    async def work(a: App) -> list[RecommendationView]:
        query = RecommendationQuery(review, one_scope(scope), parse_status(status))
        return await listing(a.reader, query, partnership=partnership)

    found = run(work)
    if json_:
        render.emit_json([v.to_json() for v in found])
        return
    if not found:
        typer.echo("no recommendations match")
        return
    for v in found:
        scope_text = ", ".join(v.scope) or "scope not stated"
        head = f"\n{v.review_ref} recommendation {v.number} ({scope_text}; to {v.addressee or 'addressee not stated'})"
        typer.echo(render.safe(head))
        typer.echo(f"  {render.safe(' '.join(v.text.split()))}")
        status_text = v.status.label + (f": {v.reason}" if v.reason else "")
        typer.echo(render.safe(f"  status: {status_text}"))
        dates = [
            ("first target", v.first_target),
            ("latest target", v.latest_target),
            ("implemented", v.implemented_on),
        ]
        shown = ", ".join(f"{name} {day.isoformat()}" for name, day in dates if day)
        if shown:
            typer.echo(f"  {shown}")
        typer.echo("  actions: " + (", ".join(f"{a.ref} {a.state}" for a in v.actions) or "none"))


def set_(
    review: ReviewArg,
    number: NumberArg,
    as_: AsCoordinator,
    scope: Annotated[
        list[str] | None,
        typer.Option("--scope", help="local, regional or national; repeat (or comma separate) for several."),
    ] = None,
    addressee: Annotated[
        str | None,
        typer.Option("--addressee", help='The body it is addressed to: an agency, or "Home Office", DHSC, MoJ, ...'),
    ] = None,
    clear_scope: Annotated[bool, typer.Option("--clear-scope", help="Say no scope (the plan stated none).")] = False,
) -> None:
    """Set a recommendation's scope and/or addressee: a decision in the log."""
    if scope is None and addressee is None and not clear_scope:
        raise fail("say what to set: --scope, --addressee or --clear-scope", EXIT_USAGE)
    if scope and clear_scope:
        raise fail("--scope and --clear-scope together: give one", EXIT_USAGE)
    from workflows.commands.recommendations import set_recommendation

    async def work(a: App) -> RecommendationChange:
        scopes = [] if clear_scope else scope
        return await set_recommendation(
            as_, review, number, scopes=scopes, addressee=addressee, uow_factory=a.uow, clock=a.clock
        )

    _said(run(work))


def not_accepted(
    review: ReviewArg,
    number: NumberArg,
    reason: Annotated[str, typer.Option("--reason", help="Why the body it is addressed to did not accept it.")],
    as_: AsCoordinator,
) -> None:
    """Record that a recommendation was not accepted, and why: a decision in the log."""
    from workflows.commands.recommendations import set_not_accepted

    async def work(a: App) -> RecommendationChange:
        return await set_not_accepted(as_, review, number, reason, uow_factory=a.uow, clock=a.clock)

    _said(run(work))


def accepted(
    review: ReviewArg,
    number: NumberArg,
    as_: AsCoordinator,
    note: Annotated[str, typer.Option("--note", help="Why it is accepted after all.")] = "",
) -> None:
    """Accept a recommendation recorded as not accepted: its status follows its actions again."""
    from workflows.commands.recommendations import set_accepted

    async def work(a: App) -> RecommendationChange:
        return await set_accepted(as_, review, number, note, uow_factory=a.uow, clock=a.clock)

    _said(run(work))


def _said(change: RecommendationChange) -> None:
    where = f"recommendation {change.number} of {change.review_ref}"
    if not change.changes:
        typer.echo(f"{where}: nothing changed")
        return
    for name, moved in change.changes.items():
        typer.echo(
            render.safe(f"{where}: {name.replace('_', ' ')} {moved['from'] or '(none)'} -> {moved['to'] or '(none)'}")
        )
