"""Excel workbooks (``.xlsx``): every sheet's rows, top to bottom.

Rows are located "sheet NAME, row R". A merged range holds its value in its
top-left cell only, so a recommendation merged across the row reads as text in
the first cell (a grouping row). Values are formulas' cached results.

A date cell is written as the sheet shows it: a format without a day
("mmm-yy", the way Excel stores a typed "Apr-14") gives "Apr-14", which
reads as the month's last day like the text plans; any other gives
"dd/mm/yyyy", which reads back as the same date.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from documents.dates import MONTH_NAMES
from documents.errors import PlanImportError
from documents.interpret import RawDocument, RawRow


def read_xlsx(data: bytes, source: str) -> RawDocument:
    """Rows of every sheet of a workbook.

    Raises:
        PlanImportError: the bytes are not an Excel workbook.
    """
    try:
        # read_only=False: only a full load knows the merged ranges; data_only: cached formula results
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    # lxml's XMLSyntaxError is a SyntaxError (a damaged part); openpyxl meets parts of the wrong shape
    # with AttributeError, TypeError or IndexError (found by tests/faults/test_import_fuzz.py)
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        ValueError,
        OSError,
        SyntaxError,
        AttributeError,
        TypeError,
        IndexError,
    ) as error:
        raise PlanImportError(
            source, "", f"not a valid Excel workbook ({str(error) or type(error).__name__})"
        ) from None
    rows: list[RawRow] = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            cells = [_text(cell.value, cell.number_format) for cell in row]
            rows.append(RawRow(f"sheet {sheet.title}, row {row[0].row}", cells))
    if not rows:
        rows.append(RawRow("sheet 1, row 1", []))
    return RawDocument(source=source, rows=rows)


def _text(value: object, number_format: str) -> str:
    """A cell's value as the sheet shows it, near enough for the interpreter."""
    if value is None:
        return ""
    if isinstance(value, date):  # datetime is a date too; a time of day is no part of a target date
        day = value.date() if isinstance(value, datetime) else value
        if "d" in number_format.lower():
            return f"{day.day:02d}/{day.month:02d}/{day.year}"
        # spelled out: strftime's month names follow the process locale
        if "mmmm" in number_format.lower():
            return f"{MONTH_NAMES[day.month - 1]} {day.year}"
        return f"{MONTH_NAMES[day.month - 1][:3]}-{day.year % 100:02d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
