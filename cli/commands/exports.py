"""``dhrflow export csv|plan|certificate|log``: documents going out.

``plan``, ``certificate`` and ``log`` write a file named after what they hold in
the current folder, or ``--out PATH``; ``--out -`` writes to standard output.
``csv`` writes to standard output unless given ``--out``. Reads need no
``--as``: like every CLI read, they are the machine operator's.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from cli.render import write_document
from cli.runner import EXIT_LOG_BROKEN, EXIT_USAGE, OutOpt, PartnershipOpt, ReviewOpt, choose, fail, run

if TYPE_CHECKING:
    from documents.certificate import Certificate
    from documents.export_log import LogSink
    from documents.plan_out import Plan
    from workflows.queries.actions import ActionView
    from workflows.queries.log import LogReport
    from workflows.queries.recommendations import NationalExport
    from workflows.runtime.container import App

# The writers (fpdf, openpyxl, python-docx, jinja2) are imported by the command that writes, as every
# command imports what it uses (``cli.main`` says why): they cost most of a second.

ReviewArg = Annotated[str, typer.Argument(help="Review reference, e.g. BDHR2011/12-03.")]


def register(root: typer.Typer) -> None:
    """Add ``export``: ``csv``, ``plan``, ``certificate``, ``log`` and ``national``."""
    export = typer.Typer(help="Documents out: the plan, the decision log, the certificate.", no_args_is_help=True)
    export.command("csv")(export_csv)
    export.command("plan")(export_plan)
    export.command("certificate")(export_certificate)
    export.command("log")(export_log_command)
    export.command("national")(export_national)
    root.add_typer(export, name="export")


def export_csv(
    out: Annotated[Path | None, typer.Option("--out", help="File to write; standard output if left out.")] = None,
    review: ReviewOpt = None,
    partnership: PartnershipOpt = None,
) -> None:
    """Every action with every column, its state and RAG, as CSV (UTF-8)."""
    from documents.export_csv import write_actions_csv
    from workflows.queries.actions import ActionQuery, list_actions

    async def work(a: App) -> list[ActionView]:
        query = ActionQuery(review_ref=review)
        return await list_actions(a.reader, query, today=a.clock.today(), policy=a.rag_policy, partnership=partnership)

    views = run(work)
    if out is None:
        write_actions_csv([v.to_json() for v in views], sys.stdout)
        return
    try:
        with out.open("w", encoding="utf-8", newline="") as handle:
            write_actions_csv([v.to_json() for v in views], handle)
    except OSError as exc:
        raise fail(f"--out {out}: {exc.strerror}") from None
    typer.echo(f"wrote {len(views)} actions to {out}", err=True)


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
    from workflows.queries.exports import plan_export

    kind = choose(format_, tuple(PLAN_WRITERS))

    async def work(a: App) -> Plan:
        return await plan_export(
            a.reader, review, today=a.clock.today(), policy=a.rag_policy, partnership=partnership, public=public
        )

    plan = run(work)
    write_document(PLAN_WRITERS[kind](plan), out, plan_file_name(plan, kind), f"{len(plan.actions)} actions")


def export_certificate(
    review: ReviewArg,
    format_: Annotated[str, typer.Option("--format", help="pdf or html.")] = "pdf",
    out: OutOpt = None,
    partnership: PartnershipOpt = None,
) -> None:
    """The final-audit sign-off certificate: the frozen plan's SHA-256, who signed, when, checked again now."""
    from documents.certificate import certificate_html, certificate_pdf
    from documents.formats import file_stem
    from workflows.queries.exports import certificate

    kind = choose(format_, ("pdf", "html"))

    async def work(a: App) -> Certificate:
        return await certificate(a.reader, review, partnership=partnership)

    found = run(work)
    data = certificate_pdf(found) if kind == "pdf" else certificate_html(found).encode("utf-8")
    verdict = "verified" if found.holds else "NOT verified: " + "; ".join(found.findings())
    write_document(data, out, f"{file_stem(found.review_ref)}-certificate.{kind}", f"the certificate ({verdict})")


def export_national(
    format_: Annotated[str, typer.Option("--format", help="csv or json.")] = "json",
    out: OutOpt = None,
    partnership: PartnershipOpt = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Every partnership of the installation (the operator's: not with --as).")
    ] = False,
    as_: Annotated[
        str | None, typer.Option("--as", help="Read as this member of the partnership's staff (email).")
    ] = None,
) -> None:
    """Every national-scope recommendation with its review, publication date, addressee, status and dates.

    The schema is docs/schemas/national-recommendations.schema.json; no person is named. Without --as the
    command is the installation operator's (on the server), who alone may give --all.
    """
    from documents.export_national import national_csv, national_json
    from workflows.queries.recommendations import NATIONAL_COLUMNS, national_export

    kind = choose(format_, ("csv", "json"))
    if all_ and partnership is not None:
        raise fail("--all and --partnership together: give one", EXIT_USAGE)

    async def work(a: App) -> NationalExport:
        return await national_export(a.reader, today=a.clock.today(), as_email=as_, partnership=partnership, every=all_)

    found = run(work)
    data = national_csv(found.rows(), NATIONAL_COLUMNS) if kind == "csv" else national_json(found.to_json())
    stem = "all-partnerships" if all_ else "-".join(found.partnerships)
    name = f"{stem}-national-recommendations-{found.generated_on.isoformat()}.{kind}"
    write_document(data, out, name, f"{len(found.recommendations)} national recommendations")


def export_log_command(
    format_: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    out: OutOpt = None,
    partnership: PartnershipOpt = None,
) -> None:
    """The decision log, every record with its hashes, and the result of checking the chain.

    Exits 4 (after writing the file) when the check finds the log broken, as `dhrflow log verify` does.
    """
    from documents.export_log import CsvLog, JsonLog
    from workflows.queries.log import export_log

    kind = choose(format_, ("csv", "json"))
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
