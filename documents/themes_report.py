"""The themes report (lessons across reviews) as HTML, CSV and PDF.

It takes the tallies as they are; what they count is ``domain.themes.tally``'s business.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from documents import csv_safe
from documents.pdf import Document, Grid, GridRow
from documents.templating import render
from domain.themes import OUTCOMES, ThemeTally

HEADERS = ("theme", "label", "recurs", "actions", "reviews", "partnerships", *OUTCOMES)


def _row(t: ThemeTally) -> tuple[str, ...]:
    counts = (t.actions, len(t.reviews), len(t.partnerships), *(t.outcomes[o] for o in OUTCOMES))
    return (t.theme, t.label, "yes" if t.recurs else "no", *(str(n) for n in counts))


def themes_csv(themes: Sequence[ThemeTally]) -> bytes:
    out = io.StringIO()
    writer = csv_safe.Writer(out)
    writer.writerow(HEADERS)
    writer.writerows(_row(t) for t in themes)
    return out.getvalue().encode("utf-8")


def _title(partnerships: Sequence[str]) -> str:
    return f"Lessons across reviews: {', '.join(partnerships) or 'no partnership'}"


def themes_html(themes: Sequence[ThemeTally], partnerships: Sequence[str], as_of: str) -> str:
    rows = [_row(t) for t in themes]
    return render("themes_report.html.j2", title=_title(partnerships), as_of=as_of, rows=rows, outcomes=OUTCOMES)


def themes_pdf(
    themes: Sequence[ThemeTally], partnerships: Sequence[str], as_of: str, *, core_font: bool = False
) -> bytes:
    pdf = Document(f"{_title(partnerships)}, {as_of}", core_font=core_font)
    pdf.line_of(_title(partnerships), 15, "B", 8)
    pdf.line_of(
        f"Confirmed themes on actions, status on {as_of}. A theme recurs when it is on actions of more "
        "than one review.",
        9,
    )
    pdf.ln(2)
    if not themes:
        pdf.line_of("No confirmed themes yet.", 9)
        return pdf.bytes()
    grid = Grid(
        pdf,
        ["Theme", "Recurs", "Actions", "Reviews", "Partnerships", *(o.title() for o in OUTCOMES)],
        [5, 1, 1, 1, 1.3, 1, 1, 1, 1],
        size=8,
    )
    for row in (_row(t) for t in themes):
        grid.row(GridRow(row[1:]))
    return pdf.bytes()
