"""``dhrflow log verify``: the decision log checked, its hash chain and what it vouches for."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from cli import render
from cli.runner import EXIT_LOG_BROKEN, JsonOpt, fail, run

if TYPE_CHECKING:
    from workflows.queries.log import LogReport
    from workflows.runtime.container import App


def register(root: typer.Typer) -> None:
    """Add ``log``: ``verify``."""
    log = typer.Typer(help="The tamper-evident decision log.", no_args_is_help=True)
    log.command("verify")(log_verify)
    root.add_typer(log, name="log")


def log_verify(
    expect_head: Annotated[
        list[str] | None,
        typer.Option("--expect-head", help="A head written down before, PARTNERSHIP:SEQ:HASH (repeatable)."),
    ] = None,
    files: Annotated[bool, typer.Option("--files", help="Also re-hash every stored evidence file.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Check the decision log: its hash chain, the actions and evidence against it; name what is wrong.

    The head it prints (seq and hash) is worth writing down (board minutes, the
    sign-off): with --expect-head, a later check proves nothing was cut from the
    end of the log or rewritten before that point.
    """
    from workflows.queries.log import ExpectedHead, verify_log

    async def work(a: App) -> list[LogReport]:
        expected = [ExpectedHead.parse(e) for e in expect_head or []]
        return await verify_log(a.reader, expect=expected, files=a.store.root if files else None)

    reports = run(work)
    broken = [r for r in reports if not r.ok]
    if json_:
        render.emit_json([r.to_json() for r in reports])
    else:
        for r in reports:
            head = f"head {r.chain.head_seq}:{r.chain.head_hash}"
            if r.ok:
                typer.echo(f"{r.partnership}: ok, {r.chain.checked} decisions, {head}")
                continue
            typer.echo(f"{r.partnership}: BROKEN ({r.chain.checked} good decisions, {head})")
            for problem in ([r.chain.problem] if r.chain.problem else []) + r.problems:
                typer.echo(f"  {problem}")
        if not reports:
            typer.echo("no decisions recorded yet")
    if broken:
        first = broken[0]
        problem = first.chain.problem or first.problems[0]
        more = sum(len(r.problems) + bool(r.chain.problem) for r in broken) - 1
        raise fail(
            f"decision log broken: {first.partnership}: {problem}" + (f" (+{more} more)" if more else ""),
            EXIT_LOG_BROKEN,
        )
