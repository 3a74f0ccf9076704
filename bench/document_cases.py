"""Documents at volume: a 1,000-action plan out as DOCX, XLSX, PDF and CSV, its board pack, and the log export.

The plan is made here: ten agencies of a hundred actions, a recommendation row
every ten, text as long as the seed's. A fifth of the actions have a progress
update and the sweep has fired its steps (so the board pack lists escalations);
every time includes gathering from the database (SQLite) and writing the file.
"""

from __future__ import annotations

import io
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench.harness import Result
from documents.board_html import board_html
from documents.board_pdf import board_pdf
from documents.export_log import JsonLog
from documents.formats import PLAN_WRITERS
from documents.importer import read_plan
from domain.states import Event
from workflows.commands.import_plan import import_plan
from workflows.commands.people import NewPerson, add_person
from workflows.commands.sweep import sweep
from workflows.commands.transitions import TransitionCommand, take_transition
from workflows.context import ActionKey
from workflows.queries.board_pack import board_pack, default_period
from workflows.queries.exports import plan_export
from workflows.queries.log import export_log
from workflows.runtime.container import App, open_app
from workflows.runtime.settings import Settings
from workflows.runtime.working_days import england_and_wales

REVIEW = "BDHR2020/21-99"
HEADER = (
    "Ref\tAction (SMART)\tLead Officer and Agency\tTarget Date for Completion\tDesired Outcome\t"
    "Monitoring Arrangements\tHow will Success be Measured\tOutcome/Progress\tWritten Evidence/ Location\t"
    "Status (RAG)\tQuality Assured by BCSP"
)
_PROSE = (
    "Local commissioned providers to ensure that existing documentation in supporting carers' needs is "
    "implemented effectively and audited every quarter, with findings reported to the safeguarding board"
)


def plan_text(actions: int, agencies: int = 10) -> str:
    """A plan of ``actions`` actions in the seed's layout."""
    lines = ["**BENCHMARK COMMUNITY", "SAFETY PARTNERSHIP**", "", "Domestic Homicide Review", "", REVIEW, "", ""]
    per_agency = actions // agencies
    for a in range(1, agencies + 1):
        lines += [f"Agency {a} - Domestic Homicide Review Action Plan {REVIEW}", HEADER]
        for n in range(1, per_agency + 1):
            if n % 10 == 1:
                lines.append(f"Recommendation {a}.{n // 10 + 1}: agencies share records and follow care plans")
            route = "To be verified by Commissioners" if n == 1 else ""
            month = ["Apr-14", "Dec-13", "30/11/2013", "Sep-13"][n % 4]
            cells = [f"{a}.{n // 10 + 1}.{n}", _PROSE, f"Agency {a} lead", month, _PROSE, _PROSE[:90], _PROSE[:80]]
            cells += ["In progress; reported monthly", "Audit reports held by the agency", "", route]
            lines.append("\t".join(cells))
        lines.append("")
    return "\n".join(lines) + "\n"


async def _timed(work: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await work()
    return time.perf_counter() - started


async def documents_at_volume(actions: int = 1000) -> list[Result]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = root / "plan.txt"
        source.write_text(plan_text(actions), encoding="utf-8")
        async with open_app(Settings(data_dir=root / "data", database_url=None), migrate_schema=True) as app:
            await import_plan(read_plan(source), uow_factory=app.uow, clock=app.clock)
            await _under_way(app, actions)
            return await _measure(app, actions)


async def _under_way(app: App, actions: int) -> None:
    leads = [NewPerson(f"Lead {a}", f"lead{a}@bench.test", "lead_officer", f"Agency {a}") for a in range(1, 11)]
    for person in leads:
        await add_person(person, uow_factory=app.uow, clock=app.clock)
    per_agency = actions // 10
    for a in range(1, 11):
        for n in range(1, per_agency + 1, 5):
            ref = f"{a}.{n // 10 + 1}.{n}"
            command = TransitionCommand(f"lead{a}@bench.test", ActionKey(ref), Event.RECORD_PROGRESS, note="On track")
            await take_transition(command, uow_factory=app.uow, clock=app.clock, store=app.store)
    await sweep(app.clock.today(), uow_factory=app.uow, clock=app.clock, calendar=england_and_wales())


async def _measure(app: App, actions: int) -> list[Result]:
    today = app.clock.today()
    results = []
    for kind in ("docx", "xlsx", "pdf", "csv"):

        async def plan_file(kind: str = kind) -> object:
            plan = await plan_export(app.reader, REVIEW, today=today, policy=app.rag_policy)
            return PLAN_WRITERS[kind](plan)

        seconds = await _timed(plan_file)
        results.append(
            Result(f"plan as {kind.upper()} ({actions:,} actions)", seconds, "s", 5, False, "gather + write")
        )

    async def public_pdf() -> object:
        plan = await plan_export(app.reader, REVIEW, today=today, policy=app.rag_policy, public=True)
        return PLAN_WRITERS["pdf"](plan)

    results.append(
        Result("public version as PDF", await _timed(public_pdf), "s", 5, False, "gather + redact names + write")
    )
    first, last = default_period(today)
    for kind, writer in (("PDF", board_pdf), ("HTML", board_html)):

        async def pack(writer: Callable[..., object] = writer) -> object:
            found = await board_pack(app.reader, None, first, last, today=today, policy=app.rag_policy)
            return writer(found)

        found = await board_pack(app.reader, None, first, last, today=today, policy=app.rag_policy)
        detail = f"all reviews, {len(found.overdue):,} overdue, {len(found.escalations):,} escalations listed"
        results.append(Result(f"board pack as {kind}", await _timed(pack), "s", 5, False, detail))

    out = io.StringIO()

    async def log() -> object:
        out.seek(0)
        out.truncate()
        return await export_log(app.reader, JsonLog(out))

    seconds = await _timed(log)
    decisions = out.getvalue().count('"seq":')
    results.append(Result("decision log as JSON", seconds, "s", 5, False, f"{decisions:,} decisions, chain checked"))
    return results
