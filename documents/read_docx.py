"""Word documents (``.docx``): paragraphs and tables in document order.

A paragraph is a one-cell row ("paragraph N"); a table row is a row of cells
("table T, row R"). Plans come as one table per agency, with the agency's title
in a paragraph above it, or as one table for all with an Agency column.

Merged cells: python-docx repeats a horizontally merged cell once per grid
column it spans; the repeats become empty cells, so a recommendation merged
across the row reads as text in the first cell only (a grouping row) and the
columns after a merge keep their places. A vertically merged cell (the route
column) repeats the top cell's text in every row it spans.
"""

from __future__ import annotations

import io
import zipfile

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph

from documents.errors import PlanImportError
from documents.interpret import RawDocument, RawRow


def read_docx(data: bytes, source: str) -> RawDocument:
    """Rows of a Word document's body.

    Raises:
        PlanImportError: the bytes are not a Word document.
    """
    try:
        document = docx.Document(io.BytesIO(data))
    # lxml's XMLSyntaxError is a SyntaxError: a damaged part of the package; python-docx meets parts of
    # the wrong shape (a [Content_Types].xml without its namespace) with AttributeError and TypeError
    except (
        zipfile.BadZipFile,
        PackageNotFoundError,
        KeyError,
        ValueError,
        SyntaxError,
        AttributeError,
        TypeError,
    ) as error:
        raise PlanImportError(source, "", f"not a valid Word document ({_reason(error)})") from None
    rows: list[RawRow] = []
    paragraphs = tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            paragraphs += 1
            rows.append(RawRow(f"paragraph {paragraphs}", [block.text]))
        elif isinstance(block, Table):
            tables += 1
            rows.extend(RawRow(f"table {tables}, row {r}", _cells(row)) for r, row in enumerate(block.rows, 1))
    if not rows:
        rows.append(RawRow("paragraph 1", []))
    return RawDocument(source=source, rows=rows)


def _cells(row: _Row) -> list[str]:
    """The row's text per grid column; the repeats of a merged cell left empty."""
    texts = [""] * row.grid_cols_before  # a row may start late in the grid
    seen: list[object] = []
    for cell in row.cells:
        tc = cell._tc  # the <w:tc> element: the same one for each grid column a merged cell spans
        if any(tc is other for other in seen):
            texts.append("")
        else:
            seen.append(tc)
            texts.append(cell.text)
    return texts


def _reason(error: Exception) -> str:
    return str(error) or type(error).__name__
