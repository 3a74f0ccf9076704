"""The lifecycle's verbs (``dhrflow submit``, ``verify``, ``reject``, ``assure``, ...), one command per event of
the transition table, made from it; and ``dhrflow lifecycle``, the table itself."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli import render
from cli.runner import ForOpt, JsonOpt, ReviewOpt, parse_day, run
from domain.lifecycle import TRANSITIONS, VERBS, Guard, mermaid
from domain.states import Event

if TYPE_CHECKING:
    from workflows.runtime.container import App


def register(root: typer.Typer) -> None:
    """Add one command per verb of the lifecycle (``domain.lifecycle.VERBS``, in its order), then ``lifecycle``."""
    for event, name in VERBS.items():
        root.command(name)(_make_verb(event))
    root.command("lifecycle")(lifecycle)


def _verb_help(event: Event) -> str:
    rows = [t for t in TRANSITIONS if t.event is event]
    lines = [f"{rows[0].label}: the {event} event of the lifecycle."]
    lines += [f"{t.source} -> {t.target}, by the {t.role.label}" for t in rows]
    return "\n\n".join(lines)


def _make_verb(event: Event) -> Callable[..., None]:
    guards = {g for t in TRANSITIONS if t.event is event for g in t.guards}
    takes_reason = Guard.REASON_GIVEN in guards
    takes_files = Guard.EVIDENCE_GIVEN in guards

    def verb(
        ref: str,
        as_: str,
        review: str | None = None,
        reason: str = "",
        note: str = "",
        file: list[Path] | None = None,
        version: int | None = None,
        for_: str | None = None,
        json_: bool = False,
        impact_due: str | None = None,
    ) -> None:
        from workflows.commands.transitions import TransitionCommand, take_transition
        from workflows.context import ActionKey

        command = TransitionCommand(
            actor_email=as_,
            action=ActionKey(ref, review),
            event=event,
            reason=reason,
            note=note,
            files=tuple(file or ()),
            expected_version=version,
            on_behalf_of=for_,
            impact_due_on=parse_day(impact_due, "--impact-due"),
        )

        async def work(a: App) -> Any:
            return await take_transition(command, uow_factory=a.uow, clock=a.clock, store=a.store)

        result = run(work)
        if json_:
            render.emit_json(result.to_json())
            return
        typer.echo(
            f"{result.review_ref} {result.action_ref}: {result.from_state} -> {result.to_state} "
            f"(version {result.version}, decision {result.decision_id}, {result.notifications} notification(s) queued)"
        )
        for f in result.evidence:
            typer.echo(f"  evidence {f.name}: sha256 {f.sha256}")
        if result.impact_due_on is not None:
            typer.echo(f"  impact check due {result.impact_due_on}")

    p = inspect.Parameter
    kw = p.KEYWORD_ONLY
    params = [
        p("ref", kw, annotation=Annotated[str, typer.Argument(help="Action ref, e.g. 3.2.3.")]),
        p("as_", kw, annotation=Annotated[str, typer.Option("--as", help="Who acts (email).")]),
        p("review", kw, default=None, annotation=ReviewOpt),
    ]
    if takes_reason:
        params.append(
            p("reason", kw, annotation=Annotated[str, typer.Option(help="Why: the lead officer and the log read it.")])
        )
    note_help = "What was done (required unless --file)." if takes_files else "A note for the record."
    if event is Event.RECORD_PROGRESS:
        note_help = "The progress update (required)."
        params.append(p("note", kw, annotation=Annotated[str, typer.Option(help=note_help)]))
    else:
        params.append(p("note", kw, default="", annotation=Annotated[str, typer.Option(help=note_help)]))
    if takes_files:
        help_ = "An evidence file (repeatable)."
        params.append(p("file", kw, default=None, annotation=Annotated[list[Path] | None, typer.Option(help=help_)]))
    version_help = "The version you saw: refuse if someone acted since (see `dhrflow show`)."
    params.append(p("version", kw, default=None, annotation=Annotated[int | None, typer.Option(help=version_help)]))
    params.append(p("for_", kw, default=None, annotation=ForOpt))
    params.append(p("json_", kw, default=False, annotation=JsonOpt))
    if event is Event.ASSURE:
        help_ = "The day to check its impact, YYYY-MM-DD (default: the partnership's months after today)."
        option = typer.Option("--impact-due", help=help_)
        params.append(p("impact_due", kw, default=None, annotation=Annotated[str | None, option]))
    verb.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]  # Typer reads the signature
    verb.__doc__ = _verb_help(event)
    verb.__name__ = VERBS[event]
    return verb


def lifecycle(
    mermaid_: Annotated[bool, typer.Option("--mermaid", help="Print a Mermaid state diagram.")] = False,
) -> None:
    """The lifecycle table: who may fire which event from which state, and its guards."""
    if mermaid_:
        typer.echo(mermaid())
        return
    rows = [(t.source, t.event, t.target, t.role.label, ", ".join(t.guards)) for t in TRANSITIONS]
    typer.echo(render.table(["from", "event", "to", "role", "guards"], rows))
