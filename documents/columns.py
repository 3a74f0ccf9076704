"""Which field each column of a plan's table holds, recognised by its header text.

Plans name the same column many ways ("Action", "Action (SMART)", "SMART
Action"), so headers are matched by synonym, never by position, ignoring case,
spaces and punctuation. A coordinator can place any other header with the CLI
option ``--map "Header=field"`` (or ``=extra`` to keep the column verbatim in
``ActionColumns.extra`` under its header).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import lru_cache

from documents.errors import PlanImportError, UnmappedHeaders
from domain.model import ActionColumns

REF = "ref"
AGENCY = "agency"
EXTRA = "extra"
COLUMN_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ActionColumns) if f.name != EXTRA)
"""The ``ActionColumns`` fields a column can fill."""
FIELDS: tuple[str, ...] = (REF, AGENCY, *COLUMN_FIELDS, EXTRA)
"""Every name a header can be mapped to: the targets of ``--map``."""

SYNONYMS: dict[str, tuple[str, ...]] = {
    REF: ("Ref", "Ref No", "Ref.", "No.", "Reference", "Reference No"),
    "action": ("Action", "Action (SMART)", "SMART Action", "Actions", "SMART Actions"),
    "lead": ("Lead Officer and Agency", "Lead Agency", "Lead Officer", "Lead", "Responsible", "Lead Officer/Agency"),
    "target_date_text": ("Target Date", "Target Date for Completion", "Completion Date", "Deadline"),
    "desired_outcome": ("Desired Outcome", "Outcome Sought"),
    "monitoring": ("Monitoring Arrangements", "Monitoring"),
    "success_measure": ("How will Success be Measured", "Success Measures", "Success Measure", "Measure of Success"),
    "outcome_progress": ("Outcome/Progress", "Progress", "Progress Update"),
    "evidence_location": ("Written Evidence/ Location", "Evidence", "Evidence Location"),
    "status_rag": ("Status (RAG)", "RAG", "Status", "RAG Status"),
    "quality_assured_by": ("Quality Assured", "QA"),
    AGENCY: ("Agency", "Organisation", "Organization"),
}
"""Header spellings of each field, compared after ``normalise_header``."""

PREFIXES: dict[str, str] = {"qualityassuredby": "quality_assured_by"}
"""Normalised header beginnings that name a field whatever follows ("Quality Assured by BCSP")."""

_LONGEST_HEADER = 60
"""Cells longer than this are action text, not headers: skipping them keeps the row scan cheap."""

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_KNOWN: dict[str, str] = {
    _NOT_ALNUM.sub("", spelling.casefold()): field for field, spellings in SYNONYMS.items() for spelling in spellings
}


@lru_cache(maxsize=1024)
def normalise_header(text: str) -> str:
    """Header text reduced for comparison: "Outcome/ Progress" and "outcome progress" become "outcomeprogress"."""
    return _NOT_ALNUM.sub("", text.casefold())


def field_for_header(text: str, mapping: dict[str, str] | None = None) -> str | None:
    """The field a header cell names, or None when it names none.

    Args:
        text: the header cell as written.
        mapping: header text to field from ``--map``; it wins over the synonyms.
    """
    key = normalise_header(text)
    if not key:
        return None
    if mapping:
        for header, mapped in mapping.items():
            if normalise_header(header) == key:
                return mapped
    if known := _KNOWN.get(key):
        return known
    return next((name for prefix, name in PREFIXES.items() if key.startswith(prefix)), None)


@dataclass(frozen=True)
class HeaderMap:
    """Where each field sits in the rows under one header row (0-based cell indexes)."""

    location: str
    width: int
    """Cells in the header row, empty trailing ones included."""
    ref: int
    columns: tuple[tuple[int, str], ...]
    """``(index, ActionColumns field)`` pairs."""
    extras: tuple[tuple[int, str], ...] = ()
    """``(index, header text)`` of the columns kept verbatim in ``ActionColumns.extra``."""
    agency: int | None = None
    """The agency column of a one-table-for-all plan."""
    unnamed: tuple[int, ...] = ()
    """Indexes below the width whose header cell is empty (a stray trailing column)."""
    qa_header: str = ""
    """The quality-assured header as written ("Quality Assured by BCSP"): it may name the partnership."""


def read_header(cells: list[str], mapping: dict[str, str] | None, *, source: str, location: str) -> HeaderMap | None:
    """The header map of a row, or None when the row is not a header row.

    A row is a header row when one of its cells names the ref column and another
    the action column. Every other non-empty cell must then name a field too.

    Args:
        cells: the row's cells, surrounding whitespace already stripped.
        mapping: header text to field, from ``--map``.
        source: the file name, for the error.
        location: where the row is, for the error and the map.

    Raises:
        UnmappedHeaders: a header cell names no field and is not mapped.
        PlanImportError: two header cells name the same field.
    """
    found: list[tuple[int, str]] = []
    for index, cell in enumerate(cells):
        if cell and len(cell) <= _LONGEST_HEADER and (field := field_for_header(cell, mapping)):
            found.append((index, field))
    names = {field for _, field in found}
    if REF not in names or "action" not in names:
        return None
    placed = {index for index, _ in found}
    unmapped = [cell for index, cell in enumerate(cells) if cell and index not in placed]
    if unmapped:
        raise UnmappedHeaders(source, location, unmapped, list(FIELDS))
    seen: dict[str, int] = {}
    for index, field in found:
        if field != EXTRA and field in seen:
            first = cells[seen[field]]
            raise PlanImportError(
                source,
                location,
                f"columns {first!r} and {cells[index]!r} both read as {field}; "
                f'place one elsewhere with --map "{cells[index]}=FIELD" or --map "{cells[index]}=extra"',
            )
        seen[field] = index
    qa = seen.get("quality_assured_by")
    return HeaderMap(
        location=location,
        width=len(cells),
        ref=seen[REF],
        columns=tuple((index, field) for index, field in found if field in COLUMN_FIELDS),
        extras=tuple((index, cells[index]) for index, field in found if field == EXTRA),
        agency=seen.get(AGENCY),
        unnamed=tuple(index for index, cell in enumerate(cells) if not cell),
        qa_header=cells[qa] if qa is not None else "",
    )
