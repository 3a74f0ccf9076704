"""The board pack as a PDF: the same content as the HTML, the charts drawn as bars on the page."""

from __future__ import annotations

from collections.abc import Sequence

from documents.board_pack import IMPACT_HEADERS, RAG_ORDER, BoardPack, ReviewStatus, bars
from documents.pdf import Document, Grid, GridRow, rgb
from documents.plan_out import RAG_HEX, RAG_LABELS, RAG_MEANINGS, long_date

_LABEL = 75.0
"""Millimetres for the agency names left of the bars."""
_BAR = 150.0
"""Millimetres of the longest bar."""
_ROW = 6.0


def board_pdf(pack: BoardPack, *, core_font: bool = False) -> bytes:
    pdf = Document(f"{pack.short_name} board pack, {pack.first:%d/%m/%Y} to {pack.last:%d/%m/%Y}", core_font=core_font)
    pdf.line_of(pack.partnership, 12, "B", 6)
    pdf.line_of(f"Board pack: {pack.scope}", 15, "B", 8)
    pdf.line_of(f"Period {long_date(pack.first)} to {long_date(pack.last)}; status on {long_date(pack.as_of)}.", 9)
    pdf.line_of(f"Decision log head when this pack was made: {pack.log_head}", 9, "B")
    pdf.line_of(
        "Keep it with the minutes. At any later date, this command shows that no decision recorded up to this "
        "pack has since been removed or altered:",
        9,
    )
    pdf.line_of(pack.log_head.command, 9)
    pdf.line_of("; ".join(f"{RAG_LABELS[r]}: {RAG_MEANINGS[r]}" for r in RAG_ORDER), 8, "I", 4)
    pdf.ln(2)
    pdf.line_of("Where each plan stands", 12, "B", 7)
    for review in pack.reviews:
        _review(pdf, review)
    _list(
        pdf,
        f"Overdue actions ({len(pack.overdue)})",
        ["Review", "Ref", "Agency", "Target date", "Days late", "Action"],
        [2, 1, 3, 1.3, 1, 8],
        [
            (o.review_ref, o.ref, o.agency, f"{o.target_date:%d/%m/%Y}", str(o.days_late), o.action)
            for o in pack.overdue
        ],
    )
    _list(
        pdf,
        f"Escalations in the period ({len(pack.escalations)})",
        ["Fired", "Review", "Ref", "Agency", "Step", "Told", "Acknowledged"],
        [1.3, 2, 1, 3, 1.5, 2, 3],
        [
            (f"{e.fired_on:%d/%m/%Y}", e.review_ref, e.ref, e.agency, e.step, e.told, e.acknowledged or "not yet")
            for e in pack.escalations
        ],
    )
    pdf.line_of(f"Reminders and overdue notices sent in the period: {pack.other_steps}.", 9)
    _list(
        pdf,
        f"Closed in the period ({len(pack.closures)})",
        ["Date", "Review", "Ref", "Agency", "Outcome", "By", "Reason"],
        [1.3, 2, 1, 3, 1.3, 2, 4],
        [(f"{c.on:%d/%m/%Y}", c.review_ref, c.ref, c.agency, c.outcome, c.by, c.reason) for c in pack.closures],
    )
    _list(
        pdf,
        f"Extensions granted in the period ({len(pack.extensions)})",
        ["Date", "Review", "Ref", "Agency", "Target date was", "Now", "Approved by"],
        [1.3, 2, 1, 3, 1.5, 1.3, 2.5],
        [
            (
                f"{x.on:%d/%m/%Y}",
                x.review_ref,
                x.ref,
                x.agency,
                f"{x.from_date:%d/%m/%Y}" if x.from_date else "none",
                f"{x.to_date:%d/%m/%Y}",
                x.by,
            )
            for x in pack.extensions
        ],
    )
    if pack.no_update is not None:
        missing = pack.no_update
        _list(
            pdf,
            f"No progress update for the board on {long_date(missing.meets_on)} "
            f"({len(missing.people)} of {missing.asked} asked)",
            ["Lead officer", "Agency", "Open actions"],
            [3, 4, 1.3],
            [(name, agency, str(n)) for name, agency, n in missing.people],
        )
    return pdf.bytes()


def _review(pdf: Document, review: ReviewStatus) -> None:
    drawn = bars(review, _BAR)
    if pdf.will_page_break(12 + _ROW * len(drawn)):
        pdf.add_page()
    pdf.ln(2)
    title = f"{review.label}: {review.title} ({review.status.replace('_', ' ')}, {review.actions} actions)"
    pdf.line_of(title, 10, "B", 6)
    for bar in drawn:
        y = pdf.get_y()
        pdf.font(8)
        label = bar.label if len(bar.label) <= 48 else bar.label[:47] + "…"
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(_LABEL, _ROW - 1, pdf.text_of(label))
        for segment in bar.segments:
            pdf.set_fill_color(*rgb(RAG_HEX[segment.rag]))
            pdf.rect(pdf.l_margin + _LABEL + segment.x, y, segment.width, _ROW - 1.5, style="F")
        end = sum(s.width for s in bar.segments)
        pdf.set_xy(pdf.l_margin + _LABEL + end + 1, y)
        pdf.cell(15, _ROW - 1, str(bar.total))
        pdf.set_xy(pdf.l_margin, y + _ROW)
    pdf.set_fill_color(255)  # the tables below fill with the current colour
    totals = review.totals
    rows = [(a.agency, *(str(a.counts.get(r, 0)) for r in RAG_ORDER), str(a.total)) for a in review.agencies]
    rows.append(("All agencies", *(str(totals[r]) for r in RAG_ORDER), str(review.actions)))
    _table(pdf, ["Agency", *(RAG_LABELS[r] for r in RAG_ORDER), "Total"], [6, 1, 1, 1, 1, 1, 1], rows)
    if review.impact:
        pdf.line_of("Impact after assurance", 9, "B", 5)
        counted = [*review.impact, review.impact_totals]
        impact_rows = [(i.agency, *(str(n) for n in i.cells())) for i in counted]
        _table(pdf, ["Agency", *IMPACT_HEADERS], [5, 1.2, 1.4, 1.4, 1.4, 1.4], impact_rows)


def _list(pdf: Document, title: str, headers: list[str], widths: list[float], rows: list[tuple[str, ...]]) -> None:
    pdf.ln(3)
    pdf.line_of(title, 12, "B", 7)
    if not rows:
        pdf.line_of("None.", 9)
        return
    _table(pdf, headers, widths, rows)


def _table(pdf: Document, headers: Sequence[str], widths: Sequence[float], rows: Sequence[Sequence[str]]) -> None:
    grid = Grid(pdf, headers, widths, size=7.5)
    for values in rows:
        grid.row(GridRow(values))
    pdf.ln(2)


def _short(text: str, limit: int = 160) -> str:
    """An action's text cut for a list, as the HTML pack cuts it."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
