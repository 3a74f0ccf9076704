"""The plan as a PDF: the same layout as the Word document, for reading and printing."""

from __future__ import annotations

from documents.pdf import Document, Grid, GridRow, rgb
from documents.plan_out import COLUMN_WEIGHTS, RAG_TINT, Plan, Section


def write_plan_pdf(plan: Plan, *, core_font: bool = False) -> bytes:
    """The PDF's bytes. ``core_font`` uses Helvetica even where DejaVu Sans is installed (tests)."""
    pdf = Document(f"{plan.review_ref} action plan, {plan.as_of:%d/%m/%Y}", core_font=core_font)
    pdf.line_of(plan.partnership, 12, "B", 6)
    pdf.line_of(plan.title, 11, "B", 6)
    for line in plan.preface():
        pdf.line_of(line, 8, "I", 4)
    for section in plan.sections():
        pdf.ln(3)
        if pdf.will_page_break(20):
            pdf.add_page()
        pdf.line_of(plan.section_title(section), 9, "B", 5)
        _table(pdf, plan, section)
    return pdf.bytes()


def _table(pdf: Document, plan: Plan, section: Section) -> None:
    names = [name for _, name in plan.columns] + ["extra"] * len(section.extra_headers)
    grid = Grid(pdf, plan.headers(section), [COLUMN_WEIGHTS.get(name, 8) for name in names])
    rag = names.index("status_rag")
    for entry in section.rows:
        if isinstance(entry, str):
            grid.row(GridRow([entry], span=True, bold=True))
        else:
            grid.row(GridRow(plan.cells(section, entry), {rag: rgb(RAG_TINT[entry.rag])}))
