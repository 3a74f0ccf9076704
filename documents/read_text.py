"""Tab-separated text (``.txt``, ``.tsv``): one row per line, one cell per tab.

The canonical seed plan is such a file. Text files come from many editors, so
bytes are read as UTF-8 (with or without a byte-order mark) and, failing that,
as Windows-1252 with a warning; a NUL byte means the file is not text at all
(UTF-16 with a byte-order mark, as Excel's "Unicode Text" saves, excepted).
"""

from __future__ import annotations

from documents.errors import PlanImportError
from documents.interpret import RawDocument, RawRow
from documents.plan import PlanWarning

_LF = b"\n"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_text(data: bytes, source: str) -> RawDocument:
    """Rows of a tab-separated text file, located "line N" (1-based).

    Raises:
        PlanImportError: the bytes are not text.
    """
    text, warnings = decode_text(data, source)
    lines = text.split("\n")
    unterminated = lines[-1] != ""
    if not unterminated and len(lines) > 1:
        lines.pop()  # the empty string after the final line end is no line
    rows = [RawRow(f"line {number}", line.removesuffix("\r").split("\t")) for number, line in enumerate(lines, 1)]
    return RawDocument(source=source, rows=rows, warnings=warnings, unterminated=unterminated)


def decode_text(data: bytes, source: str) -> tuple[str, list[PlanWarning]]:
    """The text of a text file's bytes, and a warning when it was not UTF-8.

    Raises:
        PlanImportError: a NUL byte (a binary file, such as a Word document
            renamed), or bytes that are neither UTF-8 nor Windows-1252.
    """
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            raise PlanImportError(source, "line 1", "not valid UTF-16 text") from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise PlanImportError(source, _line_of(data, nul), "not a text file (it holds binary data)")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        where = _line_of(data, error.start)
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise PlanImportError(source, _line_of(data, error.start), "not UTF-8 or Windows-1252 text") from None
    return text, [PlanWarning(where, "the file is not UTF-8: read as Windows-1252")]


def _line_of(data: bytes, offset: int) -> str:
    return f"line {data.count(_LF, 0, offset) + 1}"
