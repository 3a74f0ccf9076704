"""The plan as an Excel workbook (``.xlsx``): one sheet laid out as the document is.

The title block, then per agency a title row, the header row and the rows; a
recommendation row merged across the table. Every cell is text, written as
text (a plan cell starting with ``=`` is not a formula); the Status (RAG) cell
is filled in its colour. ``documents.read_xlsx`` reads the file back into the
same plan.
"""

from __future__ import annotations

import io

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from documents.plan_out import COLUMN_WEIGHTS, RAG_TINT, Plan, PlanAction, Section
from documents.text_safety import xml_text

SHEET = "Action Plan"
_WRAP = Alignment(wrap_text=True, vertical="top")
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_FILLS = {rag: PatternFill("solid", fgColor=tint) for rag, tint in RAG_TINT.items()}


def write_plan_xlsx(plan: Plan) -> bytes:
    """The workbook's bytes."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has its sheet
    sheet.title = SHEET
    sections = plan.sections()
    width = max(len(plan.headers(s)) for s in sections) if sections else len(plan.columns)
    names = [name for _, name in plan.columns]
    for index in range(width):
        name = names[index] if index < len(names) else "extra"
        sheet.column_dimensions[get_column_letter(index + 1)].width = COLUMN_WEIGHTS.get(name, 8) * 2.6
    row = 1
    for text, bold in [(plan.partnership, True), (plan.title, True), *((line, False) for line in plan.preface())]:
        _put(sheet.cell(row, 1), text).font = Font(bold=bold, italic=not bold)
        row += 1
    for section in sections:
        row += 1
        _put(sheet.cell(row, 1), plan.section_title(section)).font = _BOLD
        row += 1
        row = _table(sheet, plan, section, row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _table(sheet: Worksheet, plan: Plan, section: Section, row: int) -> int:
    headers = plan.headers(section)
    for column, text in enumerate(headers, 1):
        cell = _put(sheet.cell(row, column), text)
        cell.font, cell.fill, cell.border, cell.alignment = _BOLD, _HEADER_FILL, _BOX, _WRAP
    row += 1
    for entry in section.rows:
        if isinstance(entry, str):
            cell = _put(sheet.cell(row, 1), entry)
            cell.font, cell.alignment = _BOLD, _WRAP
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(headers))
        else:
            _action_row(sheet, plan, section, entry, row)
        row += 1
    return row


def _action_row(sheet: Worksheet, plan: Plan, section: Section, action: PlanAction, row: int) -> None:
    rag_column = next((n for n, (_, name) in enumerate(plan.columns, 1) if name == "status_rag"), None)
    for column, text in enumerate(plan.cells(section, action), 1):
        cell = _put(sheet.cell(row, column), text)
        cell.border, cell.alignment = _BOX, _WRAP
        if column == rag_column:
            cell.fill = _FILLS[action.rag]


def _put(cell: Cell, text: str) -> Cell:
    """Text as text: openpyxl would store a value starting with ``=`` as a formula."""
    cell.value = xml_text(text) or None
    if cell.value is not None:
        cell.data_type = "s"
    return cell
