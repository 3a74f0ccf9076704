"""Importing a plan in the Home Office template: issue 13's target, a 1,000-action .docx in under 3 s.

The plan is made here with python-docx, as a coordinator's Word file would be: a title, one table for
all agencies with the template's columns (Recommendation, Scope, Action, Lead Agency, Key milestones,
Target Date), no Ref column, the recommendation written in the first row of each group of ten and
blank below it, dates in the spellings plans use. The time is reading the file and importing it
into SQLite (one transaction), as ``dhrflow import`` does.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import docx

from bench.harness import Result
from documents.importer import read_plan
from workflows.commands.import_plan import import_plan
from workflows.runtime.container import open_app
from workflows.runtime.settings import Settings

HEADER = ["Recommendation", "Scope of recommendation", "Action", "Lead Agency", "Key milestones", "Target Date"]
DATES = [
    "Apr-21",
    "30/11/2021",
    "Q2 2021/22",
    "End of March 2022",
    "31st January 2022",
    "2021/22",
    "November 21 / December 21 / Feb 21 / Monthly",
]
_PROSE = (
    "Agencies share records and follow care plans, with an audit every quarter reported to the "
    "safeguarding adults board and the community safety partnership"
)


def template_docx(path: Path, actions: int, agencies: int = 10, *, inserted_at: int | None = None) -> Path:
    """The template with ``actions`` rows (and one more, new, at ``inserted_at`` when given)."""
    document = docx.Document()
    document.add_paragraph("Domestic Homicide Review 12 - Multi-agency Action Plan")
    rows = actions + (inserted_at is not None)
    table = document.add_table(rows=rows + 1, cols=len(HEADER))
    for column, text in enumerate(HEADER):
        table.cell(0, column).text = text
    for r in range(rows):
        cells = table.rows[r + 1].cells
        if r == inserted_at:
            cells[2].text = "A new action inserted mid-plan"
            cells[3].text = "Agency 1"
            continue
        n = r - (inserted_at is not None and r > inserted_at)
        if n % 10 == 0:
            cells[0].text = f"{n // 10 + 1}. {_PROSE}"
            cells[1].text = "Local"
        cells[2].text = f"{_PROSE} ({n + 1})"
        cells[3].text = f"Agency {n % agencies + 1}"
        cells[4].text = "Completed: 31 October 2021" if n % 7 == 0 else "Guidance issued; audit planned"
        cells[5].text = DATES[n % len(DATES)]
    document.save(str(path))
    return path


async def home_office_template(actions: int = 1000) -> list[Result]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = template_docx(root / "plan.docx", actions)
        async with open_app(Settings(data_dir=root / "data", database_url=None), migrate_schema=True) as app:
            started = time.perf_counter()
            draft = read_plan(source, partnership_short_name="BENCH")
            read = time.perf_counter() - started
            report = await import_plan(draft, uow_factory=app.uow, clock=app.clock)
            total = time.perf_counter() - started
            again = template_docx(root / "again.docx", actions, inserted_at=actions // 2 + 3)
            started = time.perf_counter()
            reimport = await import_plan(
                read_plan(again, partnership_short_name="BENCH"), uow_factory=app.uow, clock=app.clock
            )
            reimported = time.perf_counter() - started
    assert len(report.added) == actions, f"{len(report.added)} of {actions} actions imported"
    assert (len(reimport.added), reimport.updated) == (1, {}), "an insert mid-plan moved other actions' refs"
    return [
        Result(
            f"Home Office template .docx imported ({actions:,} actions)",
            total,
            "s",
            3,
            higher_is_better=False,
            detail=f"read {read:.2f} s, written {total - read:.2f} s; no Ref column, milestones, completion; SQLite",
        ),
        Result(
            f"the same re-imported with one action inserted mid-plan ({actions:,})",
            reimported,
            "s",
            3,
            higher_is_better=False,
            detail="1 added, 0 updated: every other action keeps its ref",
        ),
    ]
