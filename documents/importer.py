"""Import an action-plan document: the public entry of ``documents`` for reading plans.

``read_plan`` picks a reader by the file's extension; every reader hands its
rows to the one interpreter (``documents.interpret``), so all formats follow the
same rules. Nothing is written here: the draft goes to the
``workflows.commands.import_plan`` use case.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from documents.columns import EXTRA, FIELDS, field_for_header, normalise_header, read_header
from documents.errors import DocumentError, PlanImportError
from documents.interpret import RawDocument, interpret
from documents.plan import PlanDraft
from documents.read_csv import read_csv
from documents.read_text import read_text
from domain.evidence import expansion_problem

Reader = Callable[[bytes, str], RawDocument]
"""Turns a file's bytes (and its name, for messages) into rows."""


def read_docx(data: bytes, name: str) -> RawDocument:
    """python-docx is imported when a Word plan is read: every other command would pay for it at start."""
    from documents.read_docx import read_docx as read

    return read(data, name)


def read_xlsx(data: bytes, name: str) -> RawDocument:
    """openpyxl is imported when a workbook is read, for the same reason."""
    from documents.read_xlsx import read_xlsx as read

    return read(data, name)


READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".tsv": read_text,
    ".docx": read_docx,
    ".xlsx": read_xlsx,
    ".csv": read_csv,
}
"""File extension (lower case) to reader."""


def read_plan(
    path: Path,
    *,
    mapping: dict[str, str] | None = None,
    partnership_short_name: str | None = None,
    review_ref: str | None = None,
) -> PlanDraft:
    """Read a plan document into a draft, keeping its text verbatim.

    Args:
        path: a ``.txt``/``.tsv`` (tab-separated), ``.docx``, ``.xlsx`` or ``.csv`` file.
        mapping: header text to field name for headers no synonym knows, as
            ``parse_mapping`` makes it from ``--map`` options.
        partnership_short_name: the partnership's short name when no
            "Quality Assured by <SHORT>" header gives it (else its initials).
        review_ref: the review's reference for a plan that names its review by neither code
            nor name (``--review``); a plan whose code differs is refused.

    Returns:
        The draft, its ``warnings`` listing every anomaly kept.

    Raises:
        PlanImportError: the file cannot be read as a plan; the message is one
            line naming the file, the place in it and the problem.
    """
    source = path.name
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        accepted = ", ".join(READERS)
        raise PlanImportError(
            source, "", f"cannot import {path.suffix or 'a file without extension'}: accepted {accepted}"
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PlanImportError(source, "", f"cannot read the file ({error.strerror or error})") from None
    if not data:
        raise PlanImportError(source, "", "the file is empty (0 bytes)")
    if path.suffix.lower() in (".docx", ".xlsx"):
        _refuse_zip_bomb(data, source)
    draft = interpret(
        reader(data, source), mapping=mapping, partnership_short_name=partnership_short_name, review_ref=review_ref
    )
    draft.source_name = source
    draft.source_sha256 = hashlib.sha256(data).hexdigest()
    return draft


def read_columns(path: Path, mapping: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """The header cells of a plan that cannot be imported as it stands, each with the field it is read as
    (``extra`` for one kept as written): what the import page offers to place when the plan is refused.

    Never raises: a file that cannot even be read as rows has no columns to offer.
    """
    reader = READERS.get(path.suffix.lower())
    try:
        document = reader(path.read_bytes(), path.name) if reader is not None else None
    except (OSError, DocumentError):
        return []
    seen: dict[str, tuple[str, str]] = {}
    for row in document.rows if document is not None else []:
        cells = [cell.strip() for cell in row.cells]
        try:
            header = read_header(cells, mapping, source=path.name, location=row.location)
        except PlanImportError:  # two columns read as one field: each cell as it alone reads
            readings = tuple((cell, field_for_header(cell, mapping) or EXTRA) for cell in cells if cell)
        else:
            readings = header.readings if header is not None else ()
        for text, name in readings:
            seen.setdefault(normalise_header(text), (text, name))
    return list(seen.values())


def _refuse_zip_bomb(data: bytes, source: str) -> None:
    """A plan is read whole into memory: refuse an Office package that claims to inflate too far first
    (the evidence uploads had this check; plan uploads had none and a 300 KB file inflated to 300 MB)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            problem = expansion_problem(archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip at all: the reader says so in its own words
    if problem:
        raise PlanImportError(source, "", problem)


def parse_mapping(items: list[str]) -> dict[str, str]:
    """Header-to-field mapping from ``--map "Header=field"`` options.

    The field is one of ``columns.FIELDS`` (``extra`` keeps the column verbatim
    under its header). The header is matched ignoring case, spaces and punctuation.

    Raises:
        PlanImportError: an item is not ``Header=field`` or names no known field.
    """
    mapping: dict[str, str] = {}
    for item in items:
        header, equals, name = item.rpartition("=")
        header, name = header.strip(), name.strip()
        if not equals or not header or not name:
            raise PlanImportError("--map", "", f'{item!r} is not "Header=field"')
        if name not in FIELDS:
            raise PlanImportError("--map", "", f"{item!r}: unknown field {name!r} (fields: {', '.join(FIELDS)})")
        mapping[header] = name
    return mapping
