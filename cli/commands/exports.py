"""``dhrflow export plan|log|certificate`` and ``dhrflow report board``: documents going out.

Each writes a file named after what it holds in the current folder, or
``--out PATH``; ``--out -`` writes to standard output. Reads need no ``--as``:
like every CLI read, they are the machine operator's.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from cli.runner import EXIT_LOG_BROKEN, EXIT_USAGE, fail, parse_day, run
from documents.export_log import CsvLog, JsonLog, LogSink
from workflows.queries.board_pack import board_pack, default_period
from workflows.queries.exports import certificate, plan_export
from workflows.queries.log import LogReport, export_log
from workflows.runtime.container import App

if TYPE_CHECKING:
    from documents.board_pack import BoardPack
    from documents.certificate import Certificate
    from documents.plan_out import Plan

# The writers (fpdf, openpyxl, python-docx, jinja2) are imported by the command that writes: they
# cost most of a second, which every other command of the CLI would pay at start.

report_app = typer.Typer(help="Reports for the partnership's board.", no_args_is_help=True)

OutOpt = Annotated[
    Path | None, typer.Option("--out", help="File to write (default: named after it, here); - for standard output.")
]
PartnershipOpt = Annotated[str | None, typer.Option("--partnership", help="Partnership short name, e.g. BCSP.")]
ReviewArg = Annotated[str, typer.Argument(help="Review reference, e.g. BDHR2011/12-03.")]


def _choose(value: str, allowed: tuple[str, ...], option: str = "--format") -> str:
    if value.lower() not in allowed:
        raise fail(f"{option} {value!r} is not one of: {', '.join(allowed)}", EXIT_USAGE)
    return value.lower()


def _write(data: bytes, out: Path | None, default: str, what: str) -> None:
    if out is not None and str(out) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    target = out or Path(default)
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise fail(f"--out {target}: {exc.strerror or exc}") from None
    typer.echo(f"wrote {what} to {target}", err=True)


def register(export_app: typer.Typer, app: typer.Typer) -> None:
    """Add the export commands to ``export_app`` and the ``report`` group to ``app``."""
    app.add_typer(report_app, name="report")

    @export_app.command("plan")
    def export_plan(
        review: ReviewArg,
        format_: Annotated[str, typer.Option("--format", help="docx, xlsx, pdf or csv.")] = "docx",
        public: Annotated[
            bool, typer.Option("--public", help="The public version: names replaced by role, internal text out.")
        ] = False,
        out: OutOpt = None,
        partnership: PartnershipOpt = None,
    ) -> None:
        """The review's plan in its own layout, with the latest progress, RAG and who assured each action.

        DOCX and XLSX import back into the same plan (`dhrflow import FILE`); CSV is one row per action.
        """
        from documents.formats import PLAN_WRITERS, plan_file_name

        kind = _choose(format_, tuple(PLAN_WRITERS))

        async def work(a: App) -> Plan:
            return await plan_export(
                a.reader, review, today=a.clock.today(), policy=a.rag_policy, partnership=partnership, public=public
            )

        plan = run(work)
        _write(PLAN_WRITERS[kind](plan), out, plan_file_name(plan, kind), f"{len(plan.actions)} actions")

    @export_app.command("certificate")
    def export_certificate(
        review: ReviewArg,
        format_: Annotated[str, typer.Option("--format", help="pdf or html.")] = "pdf",
        out: OutOpt = None,
        partnership: PartnershipOpt = None,
    ) -> None:
        """The final-audit sign-off certificate: the frozen plan's SHA-256, who signed, when, checked again now."""
        from documents.certificate import certificate_html, certificate_pdf
        from documents.formats import file_stem

        kind = _choose(format_, ("pdf", "html"))

        async def work(a: App) -> Certificate:
            return await certificate(a.reader, review, partnership=partnership)

        found = run(work)
        data = certificate_pdf(found) if kind == "pdf" else certificate_html(found).encode("utf-8")
        verdict = "verified" if found.holds else "NOT verified: " + "; ".join(found.findings())
        _write(data, out, f"{file_stem(found.review_ref)}-certificate.{kind}", f"the certificate ({verdict})")

    @export_app.command("log")
    def export_log_command(
        format_: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
        out: OutOpt = None,
        partnership: PartnershipOpt = None,
    ) -> None:
        """The decision log, every record with its hashes, and the result of checking the chain.

        Exits 4 (after writing the file) when the check finds the log broken, as `dhrflow log verify` does.
        """
        kind = _choose(format_, ("csv", "json"))
        to_stdout = out is not None and str(out) == "-"
        target = out or Path(f"{partnership + '-' if partnership else ''}decision-log.{kind}")

        async def work(a: App) -> LogReport:
            handle: TextIO = sys.stdout if to_stdout else target.open("w", encoding="utf-8", newline="")
            try:
                sink: LogSink = CsvLog(handle) if kind == "csv" else JsonLog(handle)
                return await export_log(a.reader, sink, partnership=partnership)
            finally:
                if not to_stdout:
                    handle.close()

        report = run(work)
        if not to_stdout:
            typer.echo(f"wrote {report.chain.checked} checked decisions of {report.partnership} to {target}", err=True)
        if not report.ok:
            problems = ([report.chain.problem] if report.chain.problem else []) + report.problems
            raise fail(f"decision log broken: {report.partnership}: {problems[0]}", EXIT_LOG_BROKEN)

    @report_app.command("board")
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

        kind = _choose(format_, ("pdf", "html"))
        if (review is None) == (not all_):
            raise fail("name one review, or give --all for every review", EXIT_USAGE)
        first, last = parse_day(from_, "--from"), parse_day(to, "--to")

        async def work(a: App) -> BoardPack:
            today = a.clock.today()
            period = _period(first, last, today)
            return await board_pack(
                a.reader, review, *period, today=today, policy=a.rag_policy, partnership=partnership
            )

        pack = run(work)
        data = board_pdf(pack) if kind == "pdf" else board_html(pack).encode("utf-8")
        stem = file_stem(pack.reviews[0].review_ref) if review else f"{pack.short_name}-all-reviews"
        _write(data, out, f"{stem}-board-pack-{pack.last.isoformat()}.{kind}", "the board pack")


def _period(first: date | None, last: date | None, today: date) -> tuple[date, date]:
    """The period asked for: ``--to`` defaults to today, ``--from`` to a month before ``--to``."""
    end = last or today
    return (first or default_period(end)[0], end)
