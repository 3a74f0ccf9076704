"""The plan as a Word document (``.docx``), in the layout it was written in.

A title block, then per agency a title paragraph and a table with the plan's
columns; a recommendation row merged across the table; the header row repeats
on every page. The tracker's lines (``documents.live``) are their own italic
paragraphs in the cell; the Status (RAG) cell is shaded in its colour.
``documents.read_docx`` reads the file back into the same plan.
"""

from __future__ import annotations

import io

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from documents import live
from documents.plan_out import COLUMN_WEIGHTS, RAG_TINT, Plan, PlanAction, Section
from documents.text_safety import xml_text

_PAGE_WIDTH = Mm(297 - 2 * 12)
_HEADER_FILL = "D9D9D9"


def write_plan_docx(plan: Plan) -> bytes:
    """The Word file's bytes."""
    document = docx.Document()
    _landscape(document)
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(9)
    document.add_paragraph().add_run(xml_text(plan.partnership)).bold = True
    document.add_paragraph().add_run(xml_text(plan.title)).bold = True
    for line in plan.preface():
        document.add_paragraph().add_run(xml_text(line)).italic = True
    for section in plan.sections():
        document.add_paragraph()
        document.add_paragraph().add_run(xml_text(plan.section_title(section))).bold = True
        _table(document, plan, section)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _landscape(document: docx.document.Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(12))


def _table(document: docx.document.Document, plan: Plan, section: Section) -> None:
    headers = plan.headers(section)
    names = [name for _, name in plan.columns] + ["extra"] * len(section.extra_headers)
    weights = [COLUMN_WEIGHTS.get(name, 8) for name in names]
    widths = [int(_PAGE_WIDTH * w / sum(weights)) for w in weights]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header = table.rows[0]
    _repeat_as_header(header._tr)
    for cell, text, width in zip(header.cells, headers, widths, strict=True):
        cell.width = width
        _write(cell, xml_text(text), bold=True)
        _shade(cell, _HEADER_FILL)
    for row in section.rows:
        cells = table.add_row().cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = width
        if isinstance(row, str):
            merged = cells[0].merge(cells[-1])
            _write(merged, xml_text(row), bold=True)
            continue
        _action_row(plan, section, row, cells, names)


def _action_row(
    plan: Plan, section: Section, action: PlanAction, cells: list[docx.table._Cell], names: list[str]
) -> None:
    extras = iter(section.extra_headers)
    for cell, name in zip(cells, names, strict=True):
        if name == "extra":
            _write(cell, xml_text(action.columns.extra.get(next(extras), "")))
            continue
        if name == "ref":
            _write(cell, action.ref, bold=True)
            continue
        _write(cell, xml_text(getattr(action.columns, name)))
        for line in action.live_lines(name):
            paragraph = cell.add_paragraph()
            run = paragraph.add_run(xml_text(live.line(line)))
            run.italic = True
            run.font.size = Pt(7)
        if name == "status_rag":
            _shade(cell, RAG_TINT[action.rag])


def _write(cell: docx.table._Cell, text: str, *, bold: bool = False) -> None:
    """The cell's first paragraph holds ``text`` (line ends become line breaks, read back as line ends)."""
    paragraph = cell.paragraphs[0]
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        run.font.size = Pt(7)


def _shade(cell: docx.table._Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_as_header(tr: object) -> None:
    """Word repeats a row marked ``w:tblHeader`` at the top of every page the table runs onto."""
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    tr.get_or_add_trPr().append(mark)  # type: ignore[attr-defined]  # lxml element of python-docx's oxml
