"""``dhrflow import FILE`` (``import plan``) and ``dhrflow import mappings list|remove``: a review's action plan
read in, and the column mappings a partnership placed by hand."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from cli import render
from cli.runner import JsonOpt, PartnershipOpt, run

if TYPE_CHECKING:
    from workflows.commands.import_plan import ImportReport
    from workflows.runtime.container import App


def register(root: typer.Typer) -> None:
    """Add ``import``: ``plan`` (what ``dhrflow import FILE`` runs) and the ``mappings`` group."""
    import_group = typer.Typer(
        cls=_ImportGroup,
        help="Import a review's action plan (dhrflow import FILE), or manage remembered column mappings.",
        no_args_is_help=True,
    )
    mappings = typer.Typer(
        help="Column mappings the partnership remembers: headers placed by hand, read so by the next plan.",
        no_args_is_help=True,
    )
    mappings.command("list")(mappings_list)
    mappings.command("remove")(mappings_remove)
    import_group.command("plan")(import_)
    import_group.add_typer(mappings, name="mappings")
    root.add_typer(import_group, name="import")


class _ImportGroup(TyperGroup):
    """``dhrflow import FILE`` imports a plan (the ``plan`` command); ``dhrflow import mappings ...`` manages
    the columns the partnership placed by hand. Anything that is not a subcommand goes to ``plan``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # typer vendors click: its Context is private
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["plan", *args]
        return super().parse_args(ctx, args)


def mappings_list(partnership: PartnershipOpt = None, json_: JsonOpt = False) -> None:
    """Headers the partnership placed by hand, and the field each is read as."""
    from workflows.commands.import_plan import mappings as plan_mappings

    found = run(lambda a: plan_mappings(a.reader, partnership))
    if json_:
        render.emit_json([{"header": header, "field": name} for header, name in found])
    elif not found:
        typer.echo('no column mappings remembered: dhrflow import FILE --map "Header=field" adds one')
    else:
        typer.echo(render.table(["header", "read as"], found))


def mappings_remove(
    header: Annotated[str, typer.Argument(help="The header as a plan writes it (case and spaces do not matter).")],
    as_: Annotated[str | None, typer.Option("--as", help="The coordinator (email).")] = None,
    partnership: PartnershipOpt = None,
) -> None:
    """Forget a header's mapping: the next plan reads it by its synonyms again."""
    from workflows.commands.import_plan import forget_mapping

    name = run(
        lambda a: forget_mapping(header, uow_factory=a.uow, clock=a.clock, actor_email=as_, partnership=partnership)
    )
    typer.echo(f"forgot {header!r} (was read as {name})")


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
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="The review's kind (dardr, sar, cspr, ...) when its title does not say."),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Import a review's action plan; importing it again updates changed text and adds nothing twice.

    Headers placed with --map are remembered for the partnership: its next plan in that layout needs none.
    """
    from documents.columns import merged  # the plan readers (dateutil among them): only an import pays for them
    from documents.importer import parse_mapping, read_plan
    from workflows.commands.import_plan import for_partnership, import_plan, remembered_mapping

    async def work(a: App) -> ImportReport:
        given = parse_mapping(map_ or [])
        stored = await remembered_mapping(a.reader, partnership=partnership, actor_email=as_)
        draft = read_plan(file, mapping=merged(stored, given), partnership_short_name=partnership, review_ref=review)
        if not partnership and not as_ and draft.partnership_short_name:  # the plan names its partnership
            stored = await remembered_mapping(a.reader, partnership=draft.partnership_short_name)
            if stored:
                draft = read_plan(file, mapping=merged(stored, given), review_ref=review)
        draft = for_partnership(draft, partnership)
        draft.kind = kind or ""
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
    if report.kind is not None:
        typer.echo(f"  kind: {report.kind.name} ({report.kind.abbreviation})")
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
