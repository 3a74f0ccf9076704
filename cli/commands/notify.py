"""``dhrflow notify``: send the outbox now, see what failed, requeue it, set how people are told."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from cli import render
from cli.runner import run

if TYPE_CHECKING:
    from workflows.commands.dead_letters import DeadLetter
    from workflows.commands.dispatch import DispatchReport
    from workflows.runtime.container import App


def register(root: typer.Typer) -> None:
    """Add ``notify``: ``dispatch``, ``failed``, ``retry``, ``prefer`` and ``list``."""
    notify = typer.Typer(help="Notifications: send, failures, retries, digests.", no_args_is_help=True)
    notify.command("dispatch")(dispatch_now)
    notify.command("failed")(failed)
    notify.command("retry")(retry)
    notify.command("prefer")(prefer)
    notify.command("list")(list_)
    root.add_typer(notify, name="notify")


def dispatch_now() -> None:
    """Send every notification due now (what the `dispatch_notifications` flow does every minute)."""
    # The templates (jinja2) and the SMTP client: only the command that sends pays for them at start.
    from notifications.sender import SmtpSender
    from notifications.settings import NotifySettings
    from workflows.commands.dispatch import dispatch

    async def work(a: App) -> DispatchReport:
        settings = NotifySettings()
        return await dispatch(settings, uow_factory=a.uow, clock=a.clock, sender=SmtpSender(settings))

    report = run(work)
    typer.echo(
        f"sent {report.sent} notification(s) in {report.emails} email(s); "
        f"{report.retrying} to retry later, {report.dead} failed"
    )
    for reply, n in sorted(report.replies.items(), key=lambda kv: -kv[1])[:5]:
        typer.echo(f"  {n} x {render.safe(reply)}")
    if report.dead:
        typer.echo("see `dhrflow notify failed`; `dhrflow notify retry ID|--all` once the cause is fixed")


def failed(json_: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False) -> None:
    """Dead letters: notifications that will not go until someone acts, with the reason."""
    from workflows.commands.dead_letters import dead_letters

    async def work(a: App) -> list[DeadLetter]:
        return await dead_letters(a.reader)

    letters = run(work)
    if json_:
        render.emit_json([letter.__dict__ for letter in letters])
        return
    if not letters:
        typer.echo("no failed notifications")
        return
    rows = [(d.id, d.kind, d.review_ref, d.action_ref, d.recipient, d.attempts, d.reply) for d in letters]
    typer.echo(render.table(["id", "kind", "review", "ref", "to", "tries", "reason"], rows))


def retry(
    row_id: Annotated[int | None, typer.Argument(metavar="ID", help="The id `dhrflow notify failed` shows.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Requeue every failed notification.")] = False,
) -> None:
    """Put a failed notification (or all of them) back in the queue, due now."""
    if (row_id is None) == (not all_):
        typer.echo("error: give one ID or --all", err=True)
        raise typer.Exit(1)
    from workflows.commands.dead_letters import requeue

    async def work(a: App) -> list[int]:
        return await requeue(None if all_ else row_id, uow_factory=a.uow, clock=a.clock)

    ids = run(work)
    typer.echo(f"requeued {len(ids)} notification(s); they go with the next dispatch")


def prefer(
    email: Annotated[str, typer.Argument(help="The person's email.")],
    preference: Annotated[str, typer.Argument(help="immediate, or daily for one digest a day.")],
) -> None:
    """How a person is told: each notification at once, or one daily digest."""
    from workflows.commands.dead_letters import set_preference

    async def work(a: App) -> None:
        await set_preference(email, preference, uow_factory=a.uow)

    run(work)
    typer.echo(f"{email.strip().lower()}: {preference}")


def list_() -> None:
    """How many outbox rows are in each state."""
    from workflows.commands.dead_letters import outbox_counts

    async def work(a: App) -> dict[str, int]:
        return await outbox_counts(a.reader)

    counts = run(work)
    typer.echo(render.table(["status", "rows"], sorted(counts.items())))
