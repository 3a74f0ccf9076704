"""``dhrflow bulk verify|assure|acknowledge|reassign REF...``: one move on several actions, each its own decision.

Each REF may carry the version the person saw (``3.11.1@2``, as ``dhrflow show`` or ``actions --json`` gives
it): an action moved since is refused as a conflict rather than decided on. What was done and what was refused
(and why) is printed either way, and a refusal adds one line on stderr; the exit status is 0 when everything
was done, 3 when only conflicts were refused (look again and decide), 1 when anything else was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from cli import render
from cli.runner import EXIT_CONFLICT, EXIT_REFUSED, EXIT_USAGE, AsOpt, ForOpt, JsonOpt, ReviewOpt, fail, run
from domain.errors import ErrorKind

if TYPE_CHECKING:  # the use case is imported when a bulk command runs (``cli.main`` says why)
    from workflows.commands.bulk import BulkReport, Seen
    from workflows.runtime.container import App

Refs = Annotated[
    list[str],
    typer.Argument(metavar="REF[@VERSION]", help="Action refs, each with the version you saw if you give it."),
]
CommentOpt = Annotated[str, typer.Option("--comment", help="Kept with each decision (optional).")]

_DONE = {"verify": "verified", "assure": "assured", "acknowledge": "acknowledged", "reassign": "reassigned"}
"""Each move (``workflows.commands.bulk.BulkMove``, by its value) and what the report says of it."""


def register(root: typer.Typer) -> None:
    """Add the group ``bulk``: ``verify``, ``assure``, ``acknowledge`` and ``reassign``."""
    group = typer.Typer(
        help="One move on several actions at once, each its own decision under the single move's rules.",
        no_args_is_help=True,
    )
    for move, doc in _MOVES.items():
        group.command(move)(_moving(move, doc))
    group.command("reassign")(reassign)
    root.add_typer(group, name="bulk")


_MOVES = {
    "verify": "A commissioner verifies the evidence of each action.",
    "assure": "The partnership assures each action.",
    "acknowledge": ("Acknowledge every escalation of each action that waits on you (the comment is each one's note)."),
}


def _moving(move: str, doc: str) -> Callable[..., None]:
    """The command for ``move``: the three that take a comment differ only in the move and their help."""

    def command(
        ref: Refs,
        as_: AsOpt,
        review: ReviewOpt = None,
        comment: CommentOpt = "",
        for_: ForOpt = None,
        json_: JsonOpt = False,
    ) -> None:
        _bulk(move, ref, as_, review, for_, json_, comment=comment)

    command.__doc__ = doc
    return command


def reassign(
    ref: Refs,
    to: Annotated[str, typer.Option("--to", help="The new lead officer (email).")],
    as_: AsOpt,
    review: ReviewOpt = None,
    for_: ForOpt = None,
    json_: JsonOpt = False,
) -> None:
    """The agency's director makes another of its lead officers the lead of each action."""
    _bulk("reassign", ref, as_, review, for_, json_, to=to)


def _seen(ref: str, review: str | None) -> Seen:
    from workflows.commands.bulk import Seen
    from workflows.context import ActionKey

    name, at, version = ref.partition("@")
    if not at:
        return Seen(ActionKey(ref.strip(), review))
    if not (version.isascii() and version.isdigit() and len(version) < 10):
        raise fail(f"{ref!r}: give REF or REF@VERSION, the version a whole number (see `dhrflow show REF`)", EXIT_USAGE)
    return Seen(ActionKey(name.strip(), review), int(version))


def _bulk(
    move: str,
    refs: list[str],
    as_: str,
    review: str | None,
    for_: str | None,
    json_: bool,
    *,
    comment: str = "",
    to: str = "",
) -> None:
    from workflows.commands.bulk import BulkCommand, BulkMove, bulk_move

    seen = [_seen(r, review) for r in refs]
    command = BulkCommand(as_, BulkMove(move), seen, comment=comment, to=to, on_behalf_of=for_)

    async def work(a: App) -> BulkReport:
        return await bulk_move(command, uow_factory=a.uow, clock=a.clock, store=a.store)

    report = run(work)
    if json_:
        render.emit_json(report.to_json())
    else:
        rows = [(i.review_ref, i.action_ref, _DONE[move] if i.done else "refused", i.detail) for i in report.items]
        typer.echo(render.table(["review", "ref", "outcome", "what or why"], rows))
        typer.echo(f"{len(report.done)} {_DONE[move]}, {len(report.refused)} refused")
    if report.refused:
        conflicts_only = all(i.kind == ErrorKind.CONFLICT for i in report.refused)
        refused = f"{len(report.refused)} of {len(report.items)} refused"
        raise fail(
            refused + (": changed since you saw them" if conflicts_only else ""),
            EXIT_CONFLICT if conflicts_only else EXIT_REFUSED,
        )
