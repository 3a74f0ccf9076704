"""``dhrflow final-audit start|sign-off``: a review's plan audited as a whole, then signed off and frozen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from cli.runner import ForOpt, run

if TYPE_CHECKING:
    from workflows.commands.final_audit import FinalAudit
    from workflows.runtime.container import App


def register(root: typer.Typer) -> None:
    """Add ``final-audit``: ``start`` and ``sign-off``."""
    final_audit = typer.Typer(
        help="The final audit of a review's plan: start it, then sign the plan off.", no_args_is_help=True
    )
    final_audit.command("start")(final_audit_start)
    final_audit.command("sign-off")(final_audit_sign_off)
    root.add_typer(final_audit, name="final-audit")


def final_audit_start(
    review: Annotated[str, typer.Argument(help="Review reference, e.g. BDHR2011/12-03.")],
    as_: Annotated[str, typer.Option("--as", help="The partnership assurer (email).")],
    for_: ForOpt = None,
) -> None:
    """The partnership starts the review's final audit."""
    from workflows.commands.final_audit import start_final_audit

    async def work(a: App) -> FinalAudit:
        return await start_final_audit(as_, review, uow_factory=a.uow, clock=a.clock, on_behalf_of=for_)

    done = run(work)
    typer.echo(f"{done.review_ref}: final audit started ({done.actions} actions)")


def final_audit_sign_off(
    review: Annotated[str, typer.Argument(help="Review reference, e.g. BDHR2011/12-03.")],
    as_: Annotated[str, typer.Option("--as", help="The partnership assurer (email).")],
    for_: ForOpt = None,
) -> None:
    """Sign the plan off once every action is assured or withdrawn: a snapshot is frozen and its hash logged."""
    from workflows.commands.final_audit import sign_off

    async def work(a: App) -> FinalAudit:
        return await sign_off(as_, review, uow_factory=a.uow, clock=a.clock, on_behalf_of=for_)

    done = run(work)
    typer.echo(f"{done.review_ref}: plan signed off ({done.actions} actions), snapshot SHA-256 {done.sha256}")
