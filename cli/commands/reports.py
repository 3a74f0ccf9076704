"""``dhrflow report themes|board``: reports for the partnership's board, each a document written to a file
named after it in the current folder, or ``--out PATH`` (``--out -``: standard output)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from cli.render import write_document
from cli.runner import EXIT_USAGE, OutOpt, PartnershipOpt, choose, fail, parse_day, run

if TYPE_CHECKING:
    from documents.board_pack import BoardPack
    from workflows.commands.themes import ThemesReport
    from workflows.runtime.container import App

# The writers (fpdf, jinja2) are imported by the command that writes, as every command imports what it
# uses (``cli.main`` says why): every other command of the CLI would pay for them at start.


def register(root: typer.Typer) -> None:
    """Add ``report``: ``themes`` and ``board``."""
    report = typer.Typer(help="Reports for the partnership's board.", no_args_is_help=True)
    report.command("themes")(report_themes)
    report.command("board")(report_board)
    root.add_typer(report, name="report")


def report_themes(
    format_: Annotated[str, typer.Option("--format", help="html, csv or pdf.")] = "html",
    out: OutOpt = None,
    partnership: PartnershipOpt = None,
    all_: Annotated[bool, typer.Option("--all", help="Every partnership in the database.")] = False,
) -> None:
    """Themes that recur across reviews: per theme, its actions, reviews and outcomes."""
    from workflows.commands.themes import themes_report

    kind = choose(format_, ("html", "csv", "pdf"))

    async def work(a: App) -> ThemesReport:
        return await themes_report(a.reader, today=a.clock.today(), partnership=partnership, every=all_)

    report = run(work)
    as_of = report.as_of.isoformat()
    from documents.themes_report import themes_csv, themes_html, themes_pdf  # fpdf: only when writing one

    if kind == "csv":
        data = themes_csv(report.themes)
    elif kind == "pdf":
        data = themes_pdf(report.themes, report.partnerships, as_of)
    else:
        data = themes_html(report.themes, report.partnerships, as_of).encode("utf-8")
    stem = "-".join(report.partnerships) if not all_ else "all-partnerships"
    write_document(data, out, f"{stem}-themes-{as_of}.{kind}", "the themes report")


def report_board(
    review: Annotated[str | None, typer.Argument(help="Review reference; leave out with --all.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every review of the partnership.")] = False,
    from_: Annotated[str | None, typer.Option("--from", help="First day of the period, YYYY-MM-DD.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last day of the period (default: today).")] = None,
    format_: Annotated[str, typer.Option("--format", help="pdf or html.")] = "pdf",
    out: OutOpt = None,
    partnership: PartnershipOpt = None,
) -> None:
    """The board pack: RAG by agency (a chart), overdue actions, escalations, closures and extensions.

    The period runs from --from to --to, both included; by default the month up to today.
    """
    from documents.board_html import board_html
    from documents.board_pdf import board_pdf
    from documents.formats import file_stem
    from workflows.queries.board_pack import board_pack

    kind = choose(format_, ("pdf", "html"))
    if (review is None) == (not all_):
        raise fail("name one review, or give --all for every review", EXIT_USAGE)
    first, last = parse_day(from_, "--from"), parse_day(to, "--to")

    async def work(a: App) -> BoardPack:
        today = a.clock.today()
        period = _period(first, last, today)
        return await board_pack(a.reader, review, *period, today=today, policy=a.rag_policy, partnership=partnership)

    pack = run(work)
    data = board_pdf(pack) if kind == "pdf" else board_html(pack).encode("utf-8")
    stem = file_stem(pack.reviews[0].review_ref) if review else f"{pack.short_name}-all-reviews"
    write_document(data, out, f"{stem}-board-pack-{pack.last.isoformat()}.{kind}", "the board pack")


def _period(first: date | None, last: date | None, today: date) -> tuple[date, date]:
    """The period asked for: ``--to`` defaults to today, ``--from`` to a month before ``--to``."""
    from workflows.queries.board_pack import default_period

    end = last or today
    return (first or default_period(end)[0], end)
