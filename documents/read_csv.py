"""Comma-, semicolon- or tab-separated values (``.csv``), as spreadsheets export them.

The delimiter is sniffed among ``,`` ``;`` and tab (Excel in many European
locales writes ``;``). Title rows above the header are allowed, as in the seed.
A cell dhrflow's own CSV export quoted against formula injection has its quote
taken off (``documents.csv_safe.unescape``), so an export read back holds the
text that went out.
"""

from __future__ import annotations

import csv
import io

from documents.csv_safe import unescape
from documents.errors import PlanImportError
from documents.interpret import RawDocument, RawRow
from documents.read_text import decode_text

DELIMITERS = ",;\t"
_SAMPLE = 64 * 1024


def read_csv(data: bytes, source: str) -> RawDocument:
    """Rows of a CSV file, located "line N" at the line where each record starts.

    Raises:
        PlanImportError: the bytes are not text, or the quoting is broken.
    """
    text, warnings = decode_text(data, source)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    rows: list[RawRow] = []
    start = 1
    try:
        for record in reader:
            rows.append(RawRow(f"line {start}", [unescape(cell) for cell in record]))
            start = reader.line_num + 1
    except csv.Error as error:
        raise PlanImportError(source, f"line {start}", f"broken CSV: {error}") from None
    if not rows:
        rows.append(RawRow("line 1", []))
    unterminated = not text.endswith(("\n", "\r"))
    return RawDocument(source=source, rows=rows, warnings=warnings, unterminated=unterminated)


def sniff_delimiter(text: str) -> str:
    """The delimiter of the file: the sniffer's guess, else the candidate found most often."""
    sample = text[:_SAMPLE]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:  # the sniffer gives up on irregular files (title rows, prose with commas)
        return max(DELIMITERS, key=sample.count)
