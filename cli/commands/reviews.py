"""``dhrflow reviews``: every review with its actions counted by agency, RAG and state."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

import typer

from cli import render
from cli.runner import JsonOpt, run
from domain.rag import Rag

if TYPE_CHECKING:
    from workflows.queries.reviews import ReviewSummary
    from workflows.runtime.container import App


def register(root: typer.Typer) -> None:
    """Add ``reviews``."""
    root.command("reviews")(reviews)


def reviews(json_: JsonOpt = False) -> None:
    """Reviews with their actions counted by state and RAG."""
    from workflows.queries.reviews import review_summaries

    async def work(a: App) -> list[ReviewSummary]:
        return await review_summaries(a.reader, today=a.clock.today(), policy=a.rag_policy)

    summaries = run(work)
    if json_:
        render.emit_json([s.to_json() for s in summaries])
    elif not summaries:
        typer.echo("no reviews yet: dhrflow import FILE")
    else:
        print_summaries(summaries)


def print_summaries(summaries: list[ReviewSummary]) -> None:
    """Each review as a table of RAG colours by agency, then its states, scopes and notes (``demo`` too)."""
    colours = [str(r) for r in Rag]
    for s in summaries:
        kind = f", {s.kind.name}" if s.kind else ""
        typer.echo(f"\n{s.partnership} review {s.review_ref} ({s.status}{kind}, {s.standing}): {s.actions} actions")
        rows = [(agency, *(counts.get(c, 0) for c in colours)) for agency, counts in s.by_agency.items()]
        rows.append(("all agencies", *(s.by_rag.get(c, 0) for c in colours)))
        typer.echo(render.table(["agency", *colours], rows, wrap_last=False))
        typer.echo("states: " + ", ".join(f"{k} {v}" for k, v in sorted(s.by_state.items())))
        if s.scopes:
            typer.echo("recommendations by scope: " + ", ".join(f"{k} {v}" for k, v in sorted(s.scopes.items())))
        if s.reported_complete:
            typer.echo(
                f"reported complete in the plan, still to check: {s.reported_complete} "
                f"(dhrflow actions --review {shlex.quote(s.review_ref)} --reported-complete)"
            )
        for note in s.notes:
            typer.echo(f"note ({note['location']}): {render.safe(note['text'])}")
