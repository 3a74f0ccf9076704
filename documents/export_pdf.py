"""The plan as a PDF: the same layout as the Word document, for reading and printing."""

from __future__ import annotations

from fpdf.enums import Align, WrapMode
from fpdf.fonts import FontFace

from documents.pdf import Document, rgb
from documents.plan_out import COLUMN_WEIGHTS, RAG_TINT, Plan, Section

_HEADER = (217, 217, 217)
_TEXT_SIZE = 6.5


def write_plan_pdf(plan: Plan, *, core_font: bool = False) -> bytes:
    """The PDF's bytes. ``core_font`` uses Helvetica even where DejaVu Sans is installed (tests)."""
    pdf = Document(f"{plan.review_ref} action plan, {plan.as_of:%d/%m/%Y}", core_font=core_font)
    pdf.line_of(plan.partnership, 12, "B", 6)
    pdf.line_of(plan.title, 11, "B", 6)
    for line in plan.preface():
        pdf.line_of(line, 8, "I", 4)
    for section in plan.sections():
        pdf.ln(3)
        pdf.line_of(plan.section_title(section), 9, "B", 5)
        _table(pdf, plan, section)
    return pdf.bytes()


def _table(pdf: Document, plan: Plan, section: Section) -> None:
    headers = plan.headers(section)
    names = [name for _, name in plan.columns] + ["extra"] * len(section.extra_headers)
    widths = [COLUMN_WEIGHTS.get(name, 8) for name in names]
    pdf.font(_TEXT_SIZE)
    heading = FontFace(emphasis="BOLD", fill_color=_HEADER)
    with pdf.table(
        col_widths=widths,
        headings_style=heading,
        line_height=2.8,
        text_align=Align.L,
        v_align="TOP",
        wrapmode=WrapMode.WORD,
        repeat_headings=1,
        padding=0.8,
    ) as table:
        top = table.row()
        for text in headers:
            top.cell(pdf.text_of(text))
        for entry in section.rows:
            row = table.row()
            if isinstance(entry, str):
                row.cell(pdf.text_of(entry), colspan=len(headers), style=FontFace(emphasis="BOLD"))
                continue
            for name, text in zip(names, plan.cells(section, entry), strict=True):
                style = FontFace(fill_color=rgb(RAG_TINT[entry.rag])) if name == "status_rag" else None
                row.cell(pdf.text_of(text), style=style)
