"""One plan in another partnership's layout, written in every format a plan comes in, reads the same:
the Home Office template's columns (the recommendation and its scope in each row, "Action to take", Lead
Agency beside Lead Officer, key milestones, a date of completion), no Ref column, a review named without a
code, a list of agencies above the table, the template's guidance row, a query of the Home Office panel,
several steps and dates in one cell, completion written in the plan, recurring and financial-year targets,
an unheaded column. Each format adds its own: a multi-line cell and a byte-order mark in the CSV, merged
cells and a title block in the workbook and the Word table, " / " between steps on one line in the text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest

from documents.importer import read_plan
from documents.plan import PlanDraft
from domain.model import Scope

TITLE = [
    "Riverside Community Safety Partnership",
    "Domestic Homicide Review 'Sarah' - Multi-agency Action Plan",
    "Responsible agencies: Police; NHS Trust; Children's Services",
]
HEADER = [
    "Recommendation",
    "Scope of recommendation",
    "Action to take",
    "Lead Agency",
    "Lead Officer",
    "Key milestones achieved in enacting recommendation",
    "Target Date",
    "Date of completion and outcome",
    "Evidence of Completion",
    "",
]
GUIDANCE = ["", "Local, regional, or national level?", "", "", "", "", "dd/mm/yyyy", "", "", ""]
REC_1 = "1. Officers recognise coercive control"
REC_2 = "2. GPs ask about domestic abuse"
PANEL = "Query from the Home Office: clarify the GP's role"


def rows(steps: str, dates: str, *, repeat_recommendation: bool = False) -> list[list[str]]:
    """The table's rows; ``steps`` and ``dates`` are the two-step cells as the format writes them."""
    again = REC_1 if repeat_recommendation else ""
    return [
        GUIDANCE,
        [REC_1, "Local", steps, "Police", "DI Jones", "Briefings booked", dates, "", "Minutes", "see annex"],
        [
            again,
            "",
            "Train call handlers",
            "Police",
            "DI Jones",
            "Completed: 31 October 2021",
            "Q3 2021/22",
            "",
            "",
            "",
        ],
        [PANEL, "", "The GP's role is set out in the overview report", "", "", "", "", "", "", ""],
        [
            REC_2,
            "National",
            "Update the GP template",
            "NHS Trust",
            "Dr Patel",
            "",
            "31st March 2022",
            "14/03/2022",
            "",
            "",
        ],
        ["", "", "Ongoing audit of GP enquiries", "NHS Trust", "Dr Patel", "", "Monthly", "", "", ""],
    ]


MULTI_LINE = ("1. Brief all officers\n2. Audit 40 reports", "November 20\nFeb 20")
ONE_LINE = ("1. Brief all officers 2. Audit 40 reports", "November 20 / Feb 20")


def write_txt(path: Path) -> Path:
    lines = [*TITLE, "\t".join(HEADER), *("\t".join(row) for row in rows(*ONE_LINE))]
    path = path.with_suffix(".txt")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_csv_with_bom(path: Path) -> Path:
    import csv

    path = path.with_suffix(".csv")
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerows([[line] for line in TITLE])
        writer.writerows([HEADER, *rows(*MULTI_LINE)])
    return path


def write_xlsx_merged(path: Path) -> Path:
    """A title block merged across the table, the first recommendation merged down over its two actions."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Action Plan"
    for line in TITLE:
        sheet.append([line])
    sheet.append([])
    sheet.append(HEADER)
    table = rows(*MULTI_LINE)
    for row in table:
        sheet.append(row)
    for n in range(1, len(TITLE) + 1):
        sheet.merge_cells(start_row=n, start_column=1, end_row=n, end_column=len(HEADER))
    first = len(TITLE) + 3 + 1  # the row of 1.1 (the guidance row is above it)
    sheet.merge_cells(start_row=first, start_column=1, end_row=first + 1, end_column=1)
    workbook.save(path.with_suffix(".xlsx"))
    return path.with_suffix(".xlsx")


def write_docx_merged(path: Path) -> Path:
    """Title paragraphs, one table; the first recommendation's cell merged down over its two actions."""
    document = docx.Document()
    for line in TITLE:
        document.add_paragraph(line)
    table_rows = [HEADER, *rows(*MULTI_LINE, repeat_recommendation=True)]
    table = document.add_table(rows=len(table_rows), cols=len(HEADER))
    for r, row in enumerate(table_rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(2, 0).merge(table.cell(3, 0)).text = REC_1  # header row 0, guidance row 1: 1.1 and 1.2
    document.save(str(path.with_suffix(".docx")))
    return path.with_suffix(".docx")


WRITERS: dict[str, Callable[[Path], Path]] = {
    "txt": write_txt,
    "csv": write_csv_with_bom,
    "xlsx": write_xlsx_merged,
    "docx": write_docx_merged,
}


@pytest.fixture(params=list(WRITERS))
def draft(request: pytest.FixtureRequest, tmp_path: Path) -> PlanDraft:
    return read_plan(WRITERS[request.param](tmp_path / "riverside"))


def test_the_review_is_named_without_a_code_and_the_partnership_from_its_title(draft: PlanDraft) -> None:
    assert draft.review_ref == "Domestic Homicide Review 'Sarah'"
    assert (draft.partnership_name, draft.partnership_short_name) == ("Riverside Community Safety Partnership", "RCSP")


def test_the_actions_are_numbered_by_recommendation_with_their_agency_and_lead(draft: PlanDraft) -> None:
    assert [(a.ref, a.agency, a.columns.lead) for a in draft.actions] == [
        ("1.1", "Police", "DI Jones"),
        ("1.2", "Police", "DI Jones"),
        ("2.1", "NHS Trust", "Dr Patel"),
        ("2.2", "NHS Trust", "Dr Patel"),
    ]
    assert [r.text for r in draft.recommendations] == [REC_1, REC_2]
    assert [r.scope for r in draft.recommendations] == [(Scope.LOCAL,), (Scope.NATIONAL,)]


def test_dates_milestones_and_completion_read_as_the_plan_means_them(draft: PlanDraft) -> None:
    assert [a.target_date for a in draft.actions] == [date(2021, 2, 28), date(2021, 12, 31), date(2022, 3, 31), None]
    assert [(a.reported_complete, a.reported_complete_on) for a in draft.actions] == [
        (False, None),
        (True, date(2021, 10, 31)),
        (True, date(2022, 3, 14)),
        (False, None),
    ]
    messages = [w.message for w in draft.warnings]
    assert "milestone 'Feb 20' comes before the one above it: read as 28/02/2021, the year after" in messages
    assert "target 'Monthly' is ongoing or recurring: kept as text, no date to escalate against" in messages


def test_no_column_is_dropped_and_rows_that_are_not_actions_are_notes_or_left_out(draft: PlanDraft) -> None:
    first = draft.actions[0]
    assert first.columns.evidence_location == "Minutes"
    assert first.columns.extra["Date of completion and outcome"] == ""
    assert first.columns.extra["Column 10"] == "see annex"
    assert [n.text.split(" | ")[0] for n in draft.notes] == [TITLE[2], PANEL]
    messages = [w.message for w in draft.warnings]
    assert "the template's guidance row (what to write in each column): not an action, left out" in messages
    assert any(m.startswith("a query of the Home Office quality-assurance panel") for m in messages)
    assert any(m.startswith("this table has no Ref column: dhrflow numbers its actions") for m in messages)
    assert len(draft.actions) == 4


def test_a_list_of_agencies_above_the_partnerships_name_is_a_note_not_the_name(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    lines = [TITLE[2], TITLE[0], TITLE[1], "\t".join(HEADER[:5]), "\t".join(rows(*ONE_LINE)[1][:5])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    draft = read_plan(path)
    assert draft.partnership_name == "Riverside Community Safety Partnership"
    assert [n.text for n in draft.notes] == [TITLE[2]]
