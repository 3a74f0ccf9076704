"""``dhrflow extend request|approve|refuse`` and ``dhrflow reassign``: more time for an action, asked for and
decided; another lead officer for it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from cli.runner import AsOpt, ForOpt, ReviewOpt, parse_day, run

if TYPE_CHECKING:
    from workflows.commands.extensions import ExtensionResult, Reassigned
    from workflows.runtime.container import App


def register(root: typer.Typer) -> None:
    """Add ``reassign`` and ``extend``: ``request``, ``approve`` and ``refuse``."""
    root.command("reassign")(reassign)
    extend = typer.Typer(help="Extensions of a target date: asked for, then approved or refused.", no_args_is_help=True)
    extend.command("request")(extend_request)
    extend.command("approve")(extend_approve)
    extend.command("refuse")(extend_refuse)
    root.add_typer(extend, name="extend")


def _extension_line(result: ExtensionResult) -> str:
    target = result.target_date.isoformat() if result.target_date else "none"
    asked = f"extension to {result.requested_date} {result.status}"
    return f"{result.review_ref} {result.action_ref}: {asked} (target {target})"


def extend_request(
    ref: str,
    to: Annotated[str, typer.Option("--to", help="The new target date, YYYY-MM-DD.")],
    reason: Annotated[str, typer.Option(help="Why more time is needed.")],
    as_: AsOpt,
    review: ReviewOpt = None,
    for_: ForOpt = None,
) -> None:
    """The lead officer asks for a later target date; the agency's director is told."""
    from workflows.commands.extensions import request_extension
    from workflows.context import ActionKey

    new_date = parse_day(to, "--to")
    assert new_date is not None

    async def work(a: App) -> ExtensionResult:
        key = ActionKey(ref, review)
        return await request_extension(as_, key, new_date, reason, uow_factory=a.uow, clock=a.clock, on_behalf_of=for_)

    typer.echo(_extension_line(run(work)))


def _decide(ref: str, as_: str, review: str | None, approve: bool, reason: str, for_: str | None) -> None:
    from workflows.commands.extensions import decide_extension
    from workflows.context import ActionKey

    async def work(a: App) -> ExtensionResult:
        key = ActionKey(ref, review)
        return await decide_extension(as_, key, approve, reason, uow_factory=a.uow, clock=a.clock, on_behalf_of=for_)

    typer.echo(_extension_line(run(work)))


def extend_approve(
    ref: str,
    as_: AsOpt,
    reason: Annotated[str, typer.Option(help="A note for the record.")] = "",
    review: ReviewOpt = None,
    for_: ForOpt = None,
) -> None:
    """The agency's director (or the partnership) approves: the target date moves and the ladder restarts."""
    _decide(ref, as_, review, True, reason, for_)


def extend_refuse(
    ref: str,
    reason: Annotated[str, typer.Option(help="Why (required).")],
    as_: AsOpt,
    review: ReviewOpt = None,
    for_: ForOpt = None,
) -> None:
    """The agency's director (or the partnership) refuses, with a reason: the target date stands."""
    _decide(ref, as_, review, False, reason, for_)


def reassign(
    ref: str,
    to: Annotated[str, typer.Option("--to", help="The new lead officer (email).")],
    as_: AsOpt,
    review: ReviewOpt = None,
    for_: ForOpt = None,
) -> None:
    """The agency's director makes another of its lead officers the action's lead officer."""
    from workflows.commands.extensions import reassign_lead
    from workflows.context import ActionKey

    async def work(a: App) -> Reassigned:
        key = ActionKey(ref, review)
        return await reassign_lead(as_, key, to, uow_factory=a.uow, clock=a.clock, on_behalf_of=for_)

    done = run(work)
    typer.echo(f"{done.review_ref} {done.action_ref}: lead officer is now {done.lead_officer}")
