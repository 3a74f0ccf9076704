"""``dhrflow``: the command line. Every command is a thin shell over ``workflows``.

Errors a person can cause (bad input, a refused transition, a conflict, an
unreachable database) print one line on stderr and exit non-zero; tracebacks
are for bugs only.
"""

from __future__ import annotations

import inspect
import logging
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from cli import render
from cli.commands import backup, board_cycle, calendar_feed, deploy, deputies, exports, notify, reports, serve, themes
from cli.runner import (
    EXIT_LOG_BROKEN,
    EXIT_REFUSED,
    EXIT_USAGE,
    JsonOpt,
    PartnershipOpt,
    ReviewOpt,
    fail,
    parse_day,
    run,
)
from documents.columns import merged
from documents.importer import parse_mapping, read_plan
from domain.ladders import CatchUp, Ladder, LadderName, parse_step
from domain.lifecycle import TRANSITIONS, VERBS, Guard, mermaid
from domain.model import Person, Scope
from domain.rag import Rag
from domain.states import Event, State
from workflows.commands.accounts import api_tokens, create_api_token, revoke_api_token, set_password
from workflows.commands.acknowledgements import EscalationView
from workflows.commands.acknowledgements import acknowledge as acknowledge_escalation
from workflows.commands.acknowledgements import escalations as list_escalations
from workflows.commands.demo import load_demo
from workflows.commands.extensions import (
    ExtensionResult,
    Reassigned,
    decide_extension,
    reassign_lead,
    request_extension,
)
from workflows.commands.final_audit import FinalAudit, sign_off, start_final_audit
from workflows.commands.import_plan import (
    ImportReport,
    for_partnership,
    forget_mapping,
    import_plan,
    remembered_mapping,
)
from workflows.commands.import_plan import mappings as plan_mappings
from workflows.commands.ladders import LadderSet, set_catch_up, set_ladder
from workflows.commands.people import NewPerson, add_person
from workflows.commands.sweep import SweepReport
from workflows.commands.sweep import sweep as run_sweep
from workflows.commands.transitions import TransitionCommand, take_transition
from workflows.context import ActionKey
from workflows.queries.actions import ActionDetail, ActionQuery, ActionView, action_detail, list_actions
from workflows.queries.ladders import ladders as ladders_in_force
from workflows.queries.log import ExpectedHead, LogReport, verify_log
from workflows.queries.people import people as people_in
from workflows.queries.reviews import ReviewSummary, review_summaries
from workflows.runtime.clock import LONDON
from workflows.runtime.container import App
from workflows.runtime.observability import configure_logging
from workflows.runtime.working_days import england_and_wales

app = typer.Typer(
    name="dhrflow",
    help="Take every action of a Domestic Homicide Review plan to a signed-off, evidenced close.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
people_app = typer.Typer(help="People and their roles.", no_args_is_help=True)
log_app = typer.Typer(help="The tamper-evident decision log.", no_args_is_help=True)
app.add_typer(people_app, name="people")
app.add_typer(log_app, name="log")
exports.register(app)
notify.register(app)
deputies.register(app)
calendar_feed.register(app)
themes.register(app)
board_cycle.register(app)


@app.callback()
def _root(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens.")] = False) -> None:
    configure_logging(logging.INFO if verbose else logging.WARNING)


@app.command()
def init() -> None:
    """Create the database (or upgrade it to this release) in the data folder or at DATABASE_URL."""

    async def work(a: App) -> str:
        return a.settings.effective_database_url

    url = run(work, migrate_schema=True)
    typer.echo(f"database ready: {url.split('@')[-1]}")


@app.command()
def demo() -> None:
    """Set up the embedded default: migrate, import the seed plan, add demo people, print a summary."""

    async def work(a: App) -> tuple[ImportReport, list[ReviewSummary], list[Any], Path]:
        report, people = await load_demo(a)
        today = a.clock.today()
        return (
            report,
            await review_summaries(a.reader, today=today, policy=a.rag_policy),
            people,
            a.settings.data_dir,
        )

    report, summaries, people, data_dir = run(work, migrate_schema=True)
    what = "imported" if report.created_review else "already imported"
    typer.echo(f"dhrflow demo: data in {data_dir.resolve()}")
    typer.echo(f"seed plan {report.review_ref} {what}: {len(report.added)} actions added, {report.unchanged} unchanged")
    for w in report.warnings:
        typer.echo(f"  warning: {w}")
    _print_summaries(summaries)
    typer.echo("\nDemo people (use with --as EMAIL; sign in to the web app with the password):")
    rows = [(p.email, p.role.label, p.agency or "", p.password or "(set earlier)") for p in people]
    typer.echo(render.table(["email", "role", "agency", "password"], rows))
    if any(p.password for p in people):
        typer.echo("Demo passwords are shown this once; `dhrflow people password EMAIL` sets a new one.")
    typer.echo("\nNext (the CLI is .venv/bin/dhrflow):")
    typer.echo("  dhrflow actions --overdue")
    typer.echo('  dhrflow submit 3.11.1 --as lead.wmp@demo.invalid --note "Briefing note sent to all officers"')
    typer.echo("  dhrflow verify 3.11.1 --as commissioner@demo.invalid")
    typer.echo("  dhrflow assure 3.11.1 --as assurer@demo.invalid")
    typer.echo("  dhrflow show 3.11.1")


def _print_summaries(summaries: list[ReviewSummary]) -> None:
    colours = [str(r) for r in Rag]
    for s in summaries:
        typer.echo(f"\n{s.partnership} review {s.review_ref} ({s.status}): {s.actions} actions")
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


class _ImportGroup(TyperGroup):
    """``dhrflow import FILE`` imports a plan (the ``plan`` command); ``dhrflow import mappings ...`` manages
    the columns the partnership placed by hand. Anything that is not a subcommand goes to ``plan``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # typer vendors click: its Context is private
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["plan", *args]
        return super().parse_args(ctx, args)


import_app = typer.Typer(
    cls=_ImportGroup,
    help="Import a review's action plan (dhrflow import FILE), or manage remembered column mappings.",
    no_args_is_help=True,
)
mappings_app = typer.Typer(
    help="Column mappings the partnership remembers: headers placed by hand, read so by the next plan.",
    no_args_is_help=True,
)
app.add_typer(import_app, name="import")
import_app.add_typer(mappings_app, name="mappings")


@mappings_app.command("list")
def mappings_list(partnership: PartnershipOpt = None, json_: JsonOpt = False) -> None:
    """Headers the partnership placed by hand, and the field each is read as."""
    found = run(lambda a: plan_mappings(a.reader, partnership))
    if json_:
        render.emit_json([{"header": header, "field": name} for header, name in found])
    elif not found:
        typer.echo('no column mappings remembered: dhrflow import FILE --map "Header=field" adds one')
    else:
        typer.echo(render.table(["header", "read as"], found))


@mappings_app.command("remove")
def mappings_remove(
    header: Annotated[str, typer.Argument(help="The header as a plan writes it (case and spaces do not matter).")],
    as_: Annotated[str | None, typer.Option("--as", help="The coordinator (email).")] = None,
    partnership: PartnershipOpt = None,
) -> None:
    """Forget a header's mapping: the next plan reads it by its synonyms again."""
    name = run(
        lambda a: forget_mapping(header, uow_factory=a.uow, clock=a.clock, actor_email=as_, partnership=partnership)
    )
    typer.echo(f"forgot {header!r} (was read as {name})")


@import_app.command("plan")
def import_(
    file: Annotated[Path, typer.Argument(help="The plan: .txt (tab-separated), .docx, .xlsx or .csv.")],
    map_: Annotated[
        list[str] | None, typer.Option("--map", help='Place a header: --map "Header=field" (repeatable).')
    ] = None,
    as_: Annotated[str | None, typer.Option("--as", help="The coordinator importing (email).")] = None,
    partnership: Annotated[
        str | None, typer.Option("--partnership", help="Partnership short name, for a plan that does not say.")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    review: Annotated[
        str | None, typer.Option("--review", help="The review's reference, for a plan that gives no code.")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Import a review's action plan; importing it again updates changed text and adds nothing twice.

    Headers placed with --map are remembered for the partnership: its next plan in that layout needs none.
    """

    async def work(a: App) -> ImportReport:
        given = parse_mapping(map_ or [])
        stored = await remembered_mapping(a.reader, partnership=partnership, actor_email=as_)
        draft = read_plan(file, mapping=merged(stored, given), partnership_short_name=partnership, review_ref=review)
        if not partnership and not as_ and draft.partnership_short_name:  # the plan names its partnership
            stored = await remembered_mapping(a.reader, partnership=draft.partnership_short_name)
            if stored:
                draft = read_plan(file, mapping=merged(stored, given), review_ref=review)
        draft = for_partnership(draft, partnership)
        return await import_plan(
            draft, uow_factory=a.uow, clock=a.clock, actor_email=as_, dry_run=dry_run, remember=given
        )

    report = run(work)
    if json_:
        render.emit_json(report.to_json())
        return
    verb = "would import" if dry_run else "imported"
    typer.echo(
        f"{verb} {report.partnership} {report.review_ref}: {len(report.added)} added, "
        f"{len(report.updated)} updated, {report.unchanged} unchanged"
    )
    for ref, fields in report.updated.items():
        typer.echo(f"  {ref}: changed {', '.join(fields)}")
    for ref in report.missing:
        typer.echo(f"  {ref}: in the database but not in this file (kept)")
    if report.reported_complete:
        typer.echo(
            f"  reported complete in the plan: {', '.join(report.reported_complete)} "
            "(imported open; dhrflow actions --reported-complete lists them)"
        )
    for change in report.plan_changes:
        typer.echo(f"  changed: {change}")
    for w in report.warnings:
        typer.echo(f"  warning: {w}")


@app.command()
def reviews(json_: JsonOpt = False) -> None:
    """Reviews with their actions counted by state and RAG."""

    async def work(a: App) -> list[ReviewSummary]:
        return await review_summaries(a.reader, today=a.clock.today(), policy=a.rag_policy)

    summaries = run(work)
    if json_:
        render.emit_json([s.to_json() for s in summaries])
    elif not summaries:
        typer.echo("no reviews yet: dhrflow import FILE")
    else:
        _print_summaries(summaries)


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


@app.command()
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
        (v.ref, _short(v.agency), v.target_date or v.target_date_text, v.state, v.rag, v.version, v.action)
        for v in views
    ]
    typer.echo(render.table(["ref", "agency", "target", "state", "rag", "ver", "action"], rows))
    typer.echo(f"{len(views)} action(s)")


def _reported(v: ActionView) -> str:
    on = f"on {v.reported_complete_on}" if v.reported_complete_on else "without a date"
    return f"{on}; assured only by the partnership's own decision"


def _short(agency: str) -> str:
    return agency if len(agency) <= 24 else agency[:23] + "…"


@app.command()
def show(ref: str, review: ReviewOpt = None, partnership: PartnershipOpt = None, json_: JsonOpt = False) -> None:
    """One action: every column, where it stands, its evidence and its decision timeline."""

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
        ("Target Date", f"{v.target_date_text} ({v.target_date or 'unreadable'})" if v.target_date_text else ""),
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


# --- lifecycle verbs, generated from the lifecycle table -------------------------------------------------


ForOpt = Annotated[
    str | None, typer.Option("--for", help="Act as this person's deputy (their email; see `dhrflow deputy`).")
]


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
    ) -> None:
        command = TransitionCommand(
            actor_email=as_,
            action=ActionKey(ref, review),
            event=event,
            reason=reason,
            note=note,
            files=tuple(file or ()),
            expected_version=version,
            on_behalf_of=for_,
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
    verb.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]  # Typer reads the signature
    verb.__doc__ = _verb_help(event)
    verb.__name__ = VERBS[event]
    return verb


for _event, _name in VERBS.items():
    app.command(_name)(_make_verb(_event))


@app.command()
def lifecycle(
    mermaid_: Annotated[bool, typer.Option("--mermaid", help="Print a Mermaid state diagram.")] = False,
) -> None:
    """The lifecycle table: who may fire which event from which state, and its guards."""
    if mermaid_:
        typer.echo(mermaid())
        return
    rows = [(t.source, t.event, t.target, t.role.label, ", ".join(t.guards)) for t in TRANSITIONS]
    typer.echo(render.table(["from", "event", "to", "role", "guards"], rows))


ladder_app = typer.Typer(help="Escalation ladders.", no_args_is_help=True)
app.add_typer(ladder_app, name="ladder")
extend_app = typer.Typer(help="Extensions of a target date: asked for, then approved or refused.", no_args_is_help=True)
app.add_typer(extend_app, name="extend")
AsOpt = Annotated[str, typer.Option("--as", help="Who acts (email).")]


def _extension_line(result: ExtensionResult) -> str:
    target = result.target_date.isoformat() if result.target_date else "none"
    asked = f"extension to {result.requested_date} {result.status}"
    return f"{result.review_ref} {result.action_ref}: {asked} (target {target})"


@extend_app.command("request")
def extend_request(
    ref: str,
    to: Annotated[str, typer.Option("--to", help="The new target date, YYYY-MM-DD.")],
    reason: Annotated[str, typer.Option(help="Why more time is needed.")],
    as_: AsOpt,
    review: ReviewOpt = None,
    for_: ForOpt = None,
) -> None:
    """The lead officer asks for a later target date; the agency's director is told."""
    new_date = parse_day(to, "--to")
    assert new_date is not None

    async def work(a: App) -> ExtensionResult:
        key = ActionKey(ref, review)
        return await request_extension(as_, key, new_date, reason, uow_factory=a.uow, clock=a.clock, on_behalf_of=for_)

    typer.echo(_extension_line(run(work)))


def _decide(ref: str, as_: str, review: str | None, approve: bool, reason: str, for_: str | None) -> None:
    async def work(a: App) -> ExtensionResult:
        key = ActionKey(ref, review)
        return await decide_extension(as_, key, approve, reason, uow_factory=a.uow, clock=a.clock, on_behalf_of=for_)

    typer.echo(_extension_line(run(work)))


@app.command()
def reassign(
    ref: str,
    to: Annotated[str, typer.Option("--to", help="The new lead officer (email).")],
    as_: AsOpt,
    review: ReviewOpt = None,
    for_: ForOpt = None,
) -> None:
    """The agency's director makes another of its lead officers the action's lead officer."""

    async def work(a: App) -> Reassigned:
        key = ActionKey(ref, review)
        return await reassign_lead(as_, key, to, uow_factory=a.uow, clock=a.clock, on_behalf_of=for_)

    done = run(work)
    typer.echo(f"{done.review_ref} {done.action_ref}: lead officer is now {done.lead_officer}")


@extend_app.command("approve")
def extend_approve(
    ref: str,
    as_: AsOpt,
    reason: Annotated[str, typer.Option(help="A note for the record.")] = "",
    review: ReviewOpt = None,
    for_: ForOpt = None,
) -> None:
    """The agency's director (or the partnership) approves: the target date moves and the ladder restarts."""
    _decide(ref, as_, review, True, reason, for_)


@extend_app.command("refuse")
def extend_refuse(
    ref: str,
    reason: Annotated[str, typer.Option(help="Why (required).")],
    as_: AsOpt,
    review: ReviewOpt = None,
    for_: ForOpt = None,
) -> None:
    """The agency's director (or the partnership) refuses, with a reason: the target date stands."""
    _decide(ref, as_, review, False, reason, for_)


@app.command()
def sweep(
    on: Annotated[str | None, typer.Option("--on", help="The day to sweep for, YYYY-MM-DD (default: today).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show who would be told; write nothing.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Fire every ladder step due by the day: reminders, overdue notices, escalations; each once."""
    day = parse_day(on)

    async def work(a: App) -> SweepReport:
        today = day or a.clock.today()
        return await run_sweep(today, uow_factory=a.uow, clock=a.clock, calendar=england_and_wales(), dry_run=dry_run)

    report = run(work)
    if json_:
        render.emit_json(
            {
                "today": report.today.isoformat(),
                "dry_run": report.dry_run,
                "examined": report.examined,
                "fired_count": report.fired_count,
                "fired": [f.to_json() for f in report.fired],
                "failed_count": report.failed_count,
                "failures": [str(f) for f in report.failures],
            }
        )
        _end_if_incomplete(report)
        return
    rows = [
        (f.review_ref, f.action_ref, f.ladder, f.step, f.due_on, ", ".join(r.label for r in f.notify))
        for f in report.fired
    ]
    if rows:
        typer.echo(render.table(["review", "ref", "ladder", "step", "due", "tells"], rows))
    if report.fired_count > len(rows):
        typer.echo(f"... and {report.fired_count - len(rows):,} more")
    verb = "would fire" if dry_run else "fired"
    typer.echo(
        f"sweep for {report.today}: {report.examined:,} action(s) due for a look, {report.fired_count:,} step(s) {verb}"
    )
    _end_if_incomplete(report)


def _end_if_incomplete(report: SweepReport) -> None:
    """Every other action was swept; the ones whose data stopped them are named, and the exit code says so."""
    if not report.failed_count:
        return
    for f in report.failures:
        typer.echo(f"error: not swept: {f}", err=True)
    more = report.failed_count - len(report.failures)
    if more > 0:
        typer.echo(f"error: ... and {more:,} more not swept", err=True)
    raise typer.Exit(EXIT_REFUSED)


@app.command()
def escalations(
    partnership: PartnershipOpt = None,
    json_: JsonOpt = False,
    mine: Annotated[bool, typer.Option("--mine", help="Only the steps that told me (give --as).")] = False,
    as_: Annotated[str | None, typer.Option("--as", help="Who I am (email), with --mine.")] = None,
) -> None:
    """The ledger of fired steps, newest first; with --mine, the ones that told me, unacknowledged first."""
    if mine and as_ is None:
        raise fail("--mine needs --as EMAIL: say who you are", EXIT_USAGE)
    if as_ is not None and not mine:
        raise fail("--as goes with --mine (the steps that told that person)", EXIT_USAGE)

    async def work(a: App) -> list[EscalationView]:
        return await list_escalations(a.reader, partnership, mine=as_)

    views = run(work)
    if json_:
        render.emit_json([v.to_json() for v in views])
        return
    if mine and not views:
        typer.echo(f"no escalations have told {as_}")
        return
    table = [
        (
            v.id,
            v.fired_on,
            v.review_ref,
            v.action_ref,
            f"{v.ladder} / {v.step}",
            v.kind,
            v.due_on,
            ", ".join(r.label for r in v.notify),
            _acknowledged(v),
        )
        for v in views
    ]
    typer.echo(
        render.table(["id", "fired", "review", "ref", "ladder / step", "kind", "due", "told", "acknowledged"], table)
    )
    if mine and not views:
        typer.echo(f"no escalations have told {as_}")


def _acknowledged(view: EscalationView) -> str:
    if view.acknowledged_by is None:
        return "-" if view.kind != "escalation" else "no"
    when = view.acknowledged_at.astimezone(LONDON).date() if view.acknowledged_at else ""
    return f"{view.acknowledged_by} {when}"


@app.command()
def acknowledge(
    escalation_id: Annotated[int, typer.Argument(help="The escalation's id (first column of `dhrflow escalations`).")],
    as_: AsOpt,
    note: Annotated[str, typer.Option(help="What you are doing about it, for the record.")] = "",
    for_: ForOpt = None,
) -> None:
    """Someone an escalation told (the agency's director, the partnership) says they have it in hand."""

    async def work(a: App) -> EscalationView:
        return await acknowledge_escalation(
            as_, escalation_id, note, uow_factory=a.uow, clock=a.clock, on_behalf_of=for_
        )

    view = run(work)
    typer.echo(f"escalation {view.id} ({view.review_ref} {view.action_ref}, {view.ladder} / {view.step}) acknowledged")


@ladder_app.command("set")
def ladder_set(
    name: Annotated[str, typer.Argument(help="lead_officer, commissioner_check or partnership_check.")],
    step: Annotated[
        list[str],
        typer.Option(
            "--step",
            help="KEY:OFFSET:KIND:ROLE[+ROLE], in order, e.g. director:5:escalation:director (repeat for each step).",
        ),
    ],
    as_: Annotated[str | None, typer.Option("--as", help="The coordinator making the change (email).")] = None,
    partnership: PartnershipOpt = None,
) -> None:
    """Give the partnership a new version of a ladder; the next sweep applies it to every action under way."""
    try:
        ladder_name = LadderName(name)
    except ValueError:
        raise fail(f"ladder {name!r} is not one of: {', '.join(LadderName)}", EXIT_USAGE) from None

    async def work(a: App) -> LadderSet:
        steps = [parse_step(ladder_name, text) for text in step]
        return await set_ladder(
            ladder_name, steps, uow_factory=a.uow, clock=a.clock, actor_email=as_, partnership=partnership
        )

    done = run(work)
    typer.echo(
        f"{done.ladder.name} is now version {done.ladder.version}; "
        f"the next sweep looks again at {done.rechecked:,} action(s) under way"
    )


@ladder_app.command("catch-up")
def ladder_catch_up(
    mode: Annotated[str, typer.Argument(help="highest_only (default) or all.")],
    as_: Annotated[str | None, typer.Option("--as", help="The coordinator making the change (email).")] = None,
    partnership: PartnershipOpt = None,
) -> None:
    """What a sweep fires for an action found with several steps due: only the highest, or each."""
    try:
        catch_up = CatchUp(mode)
    except ValueError:
        raise fail(f"catch-up {mode!r} is not one of: {', '.join(CatchUp)}", EXIT_USAGE) from None

    async def work(a: App) -> CatchUp:
        return await set_catch_up(catch_up, uow_factory=a.uow, clock=a.clock, actor_email=as_, partnership=partnership)

    before = run(work)
    typer.echo(f"catch-up: {catch_up} (was {before})")


@ladder_app.command("show")
def ladder_show(partnership: PartnershipOpt = None, json_: JsonOpt = False) -> None:
    """The ladders in force: steps in working days from the target date or from when evidence arrived."""

    async def work(a: App) -> tuple[dict[LadderName, Ladder], CatchUp]:
        return await ladders_in_force(a.reader, partnership)

    ladders, catch_up = run(work)
    if json_:
        render.emit_json(
            {
                "catch_up": str(catch_up),
                "ladders": [ladder.to_json() for ladder in ladders.values()],
            }
        )
        return
    for ladder in ladders.values():
        since = "the target date" if ladder.anchor == "target_date" else "the day the evidence arrived"
        typer.echo(f"{ladder.name} (version {ladder.version}, working days from {since})")
        rows = [(s.key, f"{s.offset:+d}", s.kind, ", ".join(r.label for r in s.notify)) for s in ladder.steps]
        typer.echo(render.table(["step", "days", "kind", "tells"], rows))
        typer.echo("")
    fires = "only the highest" if catch_up == "highest_only" else "each"
    typer.echo(f"catch-up: {catch_up} (an action found with several steps due fires {fires})")


# --- people, log, export --------------------------------------------------------------------------------


@people_app.command("add")
def people_add(
    name: Annotated[str, typer.Option(help="Full name.")],
    email: Annotated[str, typer.Option(help="Email address (their sign-in).")],
    role: Annotated[str, typer.Option(help="lead_officer, commissioner, director, partnership_assurer, ...")],
    agency: Annotated[str | None, typer.Option(help="Their agency (name or part of it).")] = None,
    as_: Annotated[
        str | None, typer.Option("--as", help="The coordinator adding them (not needed before there is one).")
    ] = None,
    partnership: PartnershipOpt = None,
) -> None:
    """Add a person in a role; a director becomes their agency's director."""

    async def work(a: App) -> Any:
        command = NewPerson(name, email, role, agency, partnership)
        return await add_person(command, uow_factory=a.uow, clock=a.clock, actor_email=as_)

    added = run(work)
    where = f" at {added.agency}" if added.agency else ""
    typer.echo(f"added {added.name} <{added.email}> as {added.role.label}{where} (person {added.id})")


@people_app.command("password")
def people_password(
    email: Annotated[str, typer.Argument(help="Whose password.")],
    stdin: Annotated[bool, typer.Option("--stdin", help="Read it from standard input (scripts).")] = False,
) -> None:
    """Set a person's password for the web app (asked twice, not echoed); their sessions end."""
    if stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)

    async def work(a: App) -> None:
        await set_password(email, password, uow_factory=a.uow, clock=a.clock)

    run(work)
    typer.echo(f"password set for {email}")


final_app = typer.Typer(
    help="The final audit of a review's plan: start it, then sign the plan off.", no_args_is_help=True
)
app.add_typer(final_app, name="final-audit")


@final_app.command("start")
def final_audit_start(
    review: Annotated[str, typer.Argument(help="Review reference, e.g. BDHR2011/12-03.")],
    as_: Annotated[str, typer.Option("--as", help="The partnership assurer (email).")],
    for_: ForOpt = None,
) -> None:
    """The partnership starts the review's final audit."""

    async def work(a: App) -> FinalAudit:
        return await start_final_audit(as_, review, uow_factory=a.uow, clock=a.clock, on_behalf_of=for_)

    done = run(work)
    typer.echo(f"{done.review_ref}: final audit started ({done.actions} actions)")


@final_app.command("sign-off")
def final_audit_sign_off(
    review: Annotated[str, typer.Argument(help="Review reference, e.g. BDHR2011/12-03.")],
    as_: Annotated[str, typer.Option("--as", help="The partnership assurer (email).")],
    for_: ForOpt = None,
) -> None:
    """Sign the plan off once every action is assured or withdrawn: a snapshot is frozen and its hash logged."""

    async def work(a: App) -> FinalAudit:
        return await sign_off(as_, review, uow_factory=a.uow, clock=a.clock, on_behalf_of=for_)

    done = run(work)
    typer.echo(f"{done.review_ref}: plan signed off ({done.actions} actions), snapshot SHA-256 {done.sha256}")


token_app = typer.Typer(help="API tokens for the REST API (stored hashed, revocable).", no_args_is_help=True)
app.add_typer(token_app, name="token")


@token_app.command("create")
def token_create(
    as_: Annotated[str, typer.Option("--as", help="Whose token (email).")],
    name: Annotated[str, typer.Option("--name", help="What it is for, e.g. 'board reporting'.")],
) -> None:
    """Make an API token; it is shown this once."""

    async def work(a: App) -> str:
        return await create_api_token(as_, name, uow_factory=a.uow, clock=a.clock)

    typer.echo(run(work))
    typer.echo("(shown once: send it as 'Authorization: Bearer ...'; `dhrflow token revoke` ends it)", err=True)


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (`dhrflow token list`).")],
    as_: Annotated[str, typer.Option("--as", help="Whose token (email).")],
) -> None:
    """Revoke an API token at once."""

    async def work(a: App) -> None:
        await revoke_api_token(as_, token_id, uow_factory=a.uow, clock=a.clock)

    run(work)
    typer.echo(f"token {token_id} revoked")


@token_app.command("list")
def token_list(as_: Annotated[str, typer.Option("--as", help="Whose tokens (email).")]) -> None:
    """A person's API tokens: id, name, made, revoked (never the token itself)."""

    async def work(a: App) -> list[dict[str, Any]]:
        return await api_tokens(as_, reader=a.reader)

    rows = [(t["id"], t["name"], t["created_at"].date(), t["revoked_at"] or "") for t in run(work)]
    typer.echo(render.table(["id", "name", "made", "revoked"], rows))


@people_app.command("list")
def people_list(partnership: PartnershipOpt = None, json_: JsonOpt = False) -> None:
    """People of the partnership and their roles."""

    async def work(a: App) -> list[tuple[Person, str]]:
        return await people_in(a.reader, partnership)

    listed = run(work)
    if json_:
        render.emit_json(
            [{"id": p.id, "name": p.name, "email": p.email, "role": str(p.role), "agency": ag} for p, ag in listed]
        )
        return
    typer.echo(
        render.table(["email", "name", "role", "agency"], [(p.email, p.name, p.role.label, ag) for p, ag in listed])
    )


@log_app.command("verify")
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


serve.register(app)
deploy.register(app)
backup.register(app)
reports.register(app)


def main() -> None:
    """The ``dhrflow`` entry point: usage mistakes are one line too, not a box of help."""
    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        typer.echo("error: stopped", err=True)
        sys.exit(130)
    except typer.TyperException as exc:  # Typer's own click: usage errors and the like
        show = getattr(exc, "show", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and callable(show):
            show()  # a bare `dhrflow` or `dhrflow people`: the help is the answer
            sys.exit(0)
        ctx = getattr(exc, "ctx", None)
        command = ctx.command_path if ctx is not None else "dhrflow"
        message = " ".join(str(getattr(exc, "format_message", exc.__str__)()).split())
        typer.echo(f"error: {message} (see `{command} --help`)", err=True)
        sys.exit(int(getattr(exc, "exit_code", 2)))
    sys.exit(code if isinstance(code, int) else 0)
