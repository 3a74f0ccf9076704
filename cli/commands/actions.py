"""``dhrflow actions`` and ``dhrflow show``: the actions as a list, filtered, and one action in full."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from cli import render
from cli.runner import JsonOpt, PartnershipOpt, ReviewOpt, fail, run
from domain.model import Scope
from domain.rag import Rag
from domain.states import State
from workflows.runtime.clock import LONDON

if TYPE_CHECKING:
    from workflows.queries.actions import ActionDetail, ActionView
    from workflows.runtime.container import App


def register(root: typer.Typer) -> None:
    """Add ``actions`` and ``show``."""
    root.command("actions")(actions)
    root.command("show")(show)


def _parse_states(values: list[str]) -> tuple[str, ...]:
    try:
        return tuple(str(State(v)) for v in values)
    except ValueError:
        raise fail(f"--state must be one of: {', '.join(State)}") from None


def _parse_scope(value: str | None) -> Scope | None:
    try:
        return Scope(value.strip().lower()) if value else None
    except ValueError:
        raise fail(f"--scope must be one of: {', '.join(Scope)}") from None


def _parse_rags(values: list[str]) -> tuple[Rag, ...]:
    try:
        return tuple(Rag(v.lower()) for v in values)
    except ValueError:
        raise fail(f"--rag must be one of: {', '.join(Rag)}") from None


def actions(
    review: ReviewOpt = None,
    agency: Annotated[str | None, typer.Option(help="Agency name or part of it.")] = None,
    state: Annotated[list[str] | None, typer.Option(help="State (repeatable).")] = None,
    rag: Annotated[list[str] | None, typer.Option(help="RAG colour (repeatable).")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only open actions past their target date.")] = False,
    scope: Annotated[
        str | None, typer.Option(help="Only actions of recommendations of this scope: local, regional, national.")
    ] = None,
    reported_complete: Annotated[
        bool,
        typer.Option("--reported-complete", help="Only actions the plan reported done, still to be assured."),
    ] = False,
    partnership: PartnershipOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Actions in document order, with state and RAG."""
    from workflows.queries.actions import ActionQuery, list_actions

    query = ActionQuery(
        review,
        agency,
        _parse_states(state or []),
        _parse_rags(rag or []),
        overdue,
        scope=_parse_scope(scope),
        reported_complete=reported_complete,
    )

    async def work(a: App) -> list[ActionView]:
        return await list_actions(a.reader, query, today=a.clock.today(), policy=a.rag_policy, partnership=partnership)

    views = run(work)
    if json_:
        render.emit_json([v.to_json() for v in views])
        return
    rows = [
        (
            v.ref,
            _short(v.agency),
            v.target_date or v.target_waits or v.target_date_text,
            v.state,
            v.rag,
            v.version,
            v.action,
        )
        for v in views
    ]
    typer.echo(render.table(["ref", "agency", "target", "state", "rag", "ver", "action"], rows))
    typer.echo(f"{len(views)} action(s)")


def _reported(v: ActionView) -> str:
    on = f"on {v.reported_complete_on}" if v.reported_complete_on else "without a date"
    return f"{on}; assured only by the partnership's own decision"


def _short(agency: str) -> str:
    return agency if len(agency) <= 24 else agency[:23] + "…"


def _impact(detail: ActionDetail) -> str:
    """ "due 2014-04-01: impact_not_shown on 2014-04-02 by Asa Assurer (no change in the re-audit)"."""
    if detail.impact is None:
        return ""
    c = detail.impact.check
    if c.outcome is None:
        return f"due {c.due_on}" + (", overdue" if detail.impact.overdue else "")
    why = f" ({c.reason})" if c.reason else ""
    return f"due {c.due_on}: {c.outcome} on {c.decided_on} by {detail.impact.decided_by}{why}"


def show(ref: str, review: ReviewOpt = None, partnership: PartnershipOpt = None, json_: JsonOpt = False) -> None:
    """One action: every column, where it stands, its evidence and its decision timeline."""
    from workflows.context import ActionKey
    from workflows.queries.actions import action_detail

    async def work(a: App) -> ActionDetail:
        key = ActionKey(ref, review)
        return await action_detail(a.reader, key, today=a.clock.today(), policy=a.rag_policy, partnership=partnership)

    detail = run(work)
    if json_:
        render.emit_json(detail.to_json())
        return
    v = detail.action
    typer.echo(f"{v.review_ref} action {v.ref}  [{v.state}, {v.rag}, version {v.version}, route {v.route}]")
    fields = [
        ("Agency", v.agency),
        ("Recommendation", v.recommendation),
        ("Scope", ", ".join(v.scope)),
        ("Action", v.action),
        ("Lead Officer and Agency", v.lead),
        ("Target Date", f"{v.target_date_text} ({_target(v)})" if v.target_date_text else ""),
        ("Extended to", f"{v.target_date} (the plan said {v.original_target_date})" if v.original_target_date else ""),
        *(
            (
                f"Milestone {n}",
                f"{m.due or 'no date'} ({m.text}{', read as the year after' * m.moved_to_next_year}): {m.label}",
            )
            for n, m in enumerate(detail.milestones, start=1)
        ),
        ("Reported complete in the plan", _reported(v) if v.reported_complete else ""),
        ("Desired Outcome", v.desired_outcome),
        ("Monitoring Arrangements", v.monitoring),
        ("How will Success be Measured", v.success_measure),
        ("Outcome/Progress", v.outcome_progress),
        ("Written Evidence/ Location", v.evidence_location),
        ("Status (RAG) as imported", v.status_rag),
        ("Quality Assured by", v.quality_assured_by),
        *v.extra.items(),
        ("Impact check", _impact(detail)),
    ]
    for label, value in fields:
        if value:
            typer.echo(f"  {label}: {render.safe(value)}")
    if detail.evidence:
        typer.echo("Evidence:")
        for e in detail.evidence:
            typer.echo(f"  {e['name']}  {e['size']} bytes  sha256 {e['sha256']}")
    typer.echo("Timeline:" if detail.timeline else "Timeline: no decisions yet")
    for d in detail.timeline:
        move = f"{d.from_state} -> {d.to_state}" if d.from_state != d.to_state else d.to_state
        why = f"  reason: {render.safe(d.reason)}" if d.reason else ""
        note = f"  note: {render.safe(d.note)}" if d.note else ""
        when = d.at.astimezone(LONDON)  # stored in UTC; read in England and Wales
        by = f"{d.actor} on behalf of {d.on_behalf_of}" if d.on_behalf_of else d.actor
        typer.echo(f"  #{d.seq} {when:%Y-%m-%d %H:%M} {d.event} by {by} ({d.role}): {move}{why}{note}")


def _target(v: ActionView) -> str:
    """The date the target cell gave (or publication gave it), or why there is none."""
    if v.target_date is not None:
        return f"{v.target_date}, {v.target_after}" if v.target_after else str(v.target_date)
    return v.target_waits or "unreadable"
