"""Which field each column of a plan's table holds, recognised by its header text.

Plans name the same column many ways ("Action", "Action (SMART)", "SMART
Action"), so headers are matched by synonym, never by position, ignoring case,
spaces and punctuation. A header it does not know is kept: the column goes
verbatim into ``ActionColumns.extra`` under its header, and the import warns
(never drops a column). A coordinator can place any header with the CLI
option ``--map "Header=field"`` (or ``=extra`` to keep it verbatim, without the warning).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import lru_cache

from documents.errors import PlanImportError
from domain.model import ActionColumns

REF = "ref"
AGENCY = "agency"
RECOMMENDATION = "recommendation"
SCOPE = "scope"
ADDRESSEE = "addressee"
COMPLETION = "completion"
EXTRA = "extra"
COLUMN_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ActionColumns) if f.name != EXTRA)
"""The ``ActionColumns`` fields a column can fill."""
FIELDS: tuple[str, ...] = (REF, AGENCY, RECOMMENDATION, SCOPE, ADDRESSEE, *COLUMN_FIELDS, COMPLETION, EXTRA)
"""Every name a header can be mapped to: the targets of ``--map``."""

FIELD_LABELS: dict[str, str] = {
    REF: "Ref",
    AGENCY: "Agency",
    RECOMMENDATION: "Recommendation",
    SCOPE: "Scope (local, regional, national)",
    ADDRESSEE: "Addressed to (the recommendation's body)",
    "action": "Action",
    "lead": "Lead officer",
    "target_date_text": "Target date",
    "desired_outcome": "Desired outcome",
    "monitoring": "Monitoring arrangements",
    "success_measure": "How success is measured",
    "outcome_progress": "Progress",
    "evidence_location": "Evidence and where it is",
    "status_rag": "Status (RAG)",
    "quality_assured_by": "Quality assured by (the route)",
    COMPLETION: "Date of completion",
    EXTRA: "Kept as written, under its header",
}
"""Every field a column can be read as, in people's words: what the import page offers for each column."""

SYNONYMS: dict[str, tuple[str, ...]] = {
    REF: ("Ref", "Ref No", "Ref.", "No.", "Reference", "Reference No"),
    "action": (
        "Action",
        "Action (SMART)",
        "SMART Action",
        "Actions",
        "SMART Actions",
        "Action to take",
        "Actions to take",
        "Action(s) to take",
        "Action required",
        "Actions required",
        "Specific action",
        "Action to be taken",
    ),
    "lead": ("Lead Officer and Agency", "Lead Agency", "Lead Officer", "Lead", "Responsible", "Lead Officer/Agency"),
    "target_date_text": (
        "Target Date",
        "Target Date for Completion",
        "Completion Date",
        "Deadline",
        "Timescale",
        "Timescales",
        "Target Timescale",
        "Target and Completion Date",
    ),
    "desired_outcome": ("Desired Outcome", "Outcome Sought"),
    "monitoring": ("Monitoring Arrangements", "Monitoring"),
    "success_measure": ("How will Success be Measured", "Success Measures", "Success Measure", "Measure of Success"),
    "outcome_progress": (
        "Outcome/Progress",
        "Progress",
        "Progress Update",
        "Progress to Date",
        "Agency Response",
        "Key milestones achieved in enacting recommendation",
        "Key milestone achieved in enacting recommendation",
        "Key milestones/outcome achieved in enacting recommendation",
    ),
    "evidence_location": ("Written Evidence/ Location", "Evidence", "Evidence Location", "Evidence of Completion"),
    "status_rag": ("Status (RAG)", "RAG", "Status", "RAG Status"),
    "quality_assured_by": ("Quality Assured", "QA"),
    AGENCY: ("Agency", "Organisation", "Organization"),
    RECOMMENDATION: ("Recommendation", "Recommendations", "Recommendation(s)", "Recommendation Text"),
    SCOPE: (
        "Scope",
        "Scope of recommendation",
        "Local, regional or national",
        "Local/Regional/National",
        "Level",
        "Recommendation level",
    ),
    ADDRESSEE: ("Addressee", "Addressed to", "Recommendation addressed to", "Recommendation directed to"),
    COMPLETION: (
        "Date of completion and outcome",
        "Date of completion",
        "Date completed",
        "Completed",
        "Completion",
        "Actual completion date",
        "Completion date and outcome",
        "Date complete",
    ),
}
"""Header spellings of each field, compared after ``normalise_header``."""

PREFIXES: dict[str, str] = {"qualityassuredby": "quality_assured_by", "scopeofrecommendation": SCOPE}
"""Normalised header beginnings that name a field whatever follows ("Quality Assured by BCSP")."""

AGENCY_LEADS = frozenset({"leadagency", "leadorganisation", "leadorganization", "responsibleagency"})
"""Lead headers that name an agency rather than a person (compared after ``normalise_header``)."""

_WITHOUT_REF = 2
"""Known columns besides Action that make a row without a Ref column a header ("Action, Lead, Target Date")."""

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


def merged(*mappings: dict[str, str]) -> dict[str, str]:
    """Header-to-field mappings in order, a later one winning over an earlier for the same header however
    each spells it ("Lead agency" given now over "LEAD AGENCY" remembered)."""
    result: dict[str, tuple[str, str]] = {}
    for mapping in mappings:
        for header, name in mapping.items():
            result[normalise_header(header)] = (header, name)
    return dict(result.values())


@dataclass(frozen=True)
class HeaderMap:
    """Where each field sits in the rows under one header row (0-based cell indexes)."""

    location: str
    width: int
    """Cells in the header row, empty trailing ones included."""
    ref: int | None
    """The ref column; None for a table without one (dhrflow numbers its actions)."""
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
    unknown: tuple[str, ...] = ()
    """Headers no synonym or mapping places, kept verbatim among ``extras`` (the import warns of each)."""
    lead: int | None = None
    """The lead column."""
    recommendation: int | None = None
    """A column giving each row's recommendation (the Home Office template); blank, the one above."""
    lead_agency: int | None = None
    """A lead column headed as an agency ("Lead Agency") in a table without an Agency column: in a plan
    whose titles name no agency, its cell is the agency of the row too."""
    scope: int | None = None
    """A column saying whether the row's recommendation is local, regional or national."""
    addressee: int | None = None
    """A column naming the body the row's recommendation is addressed to."""
    completion: int | None = None
    """A column giving the day the action was done ("Date of completion and outcome"): kept verbatim among
    ``extras`` too."""
    readings: tuple[tuple[str, str], ...] = ()
    """Every non-empty header cell with the field it is read as (``extra`` for kept verbatim), in order:
    what the import preview shows and a coordinator may change."""


def read_header(cells: list[str], mapping: dict[str, str] | None, *, source: str, location: str) -> HeaderMap | None:
    """The header map of a row, or None when the row is not a header row.

    A row is a header row when one of its cells names the action column and
    another the ref column, or, in a table without refs, two others name known
    fields (Lead and Target Date, say). Every other non-empty cell names a field, or is kept as an
    extra column under its own header (``unknown`` lists those; two alike are told
    apart as "Comments" and "Comments (2)").

    Args:
        cells: the row's cells, surrounding whitespace already stripped.
        mapping: header text to field, from ``--map``.
        source: the file name, for the error.
        location: where the row is, for the error and the map.

    Raises:
        PlanImportError: two header cells name the same field.
    """
    found: list[tuple[int, str]] = []
    for index, cell in enumerate(cells):
        if cell and len(cell) <= _LONGEST_HEADER and (field := field_for_header(cell, mapping)):
            found.append((index, field))
    names = {field for _, field in found}
    if "action" not in names:
        return None
    if REF not in names and len(names - {"action", EXTRA}) < _WITHOUT_REF:
        return None
    placed = {index for index, _ in found}
    unknown = [index for index, cell in enumerate(cells) if cell and index not in placed]
    found = _lead_agency_as_agency(cells, found)
    seen: dict[str, int] = {}
    for index, field in found:
        if field != EXTRA and field in seen:
            first = cells[seen[field]]
            raise PlanImportError(
                source,
                location,
                f"columns {first!r} and {cells[index]!r} both read as {field}; "
                f'place one elsewhere with --map "{cells[index]}=FIELD" or --map "{cells[index]}=extra" '
                '(on the import page: its "Read as")',
            )
        seen[field] = index
    fields_at = dict(found)
    qa = seen.get("quality_assured_by")
    lead = seen.get("lead")
    lead_agency = lead if lead is not None and normalise_header(cells[lead]) in AGENCY_LEADS else None
    kept = sorted([index for index, field in found if field in (EXTRA, COMPLETION)] + unknown)
    extras = _unique_names([(index, cells[index]) for index in kept])
    return HeaderMap(
        location=location,
        width=len(cells),
        ref=seen.get(REF),
        columns=tuple((index, field) for index, field in found if field in COLUMN_FIELDS),
        extras=extras,
        agency=seen.get(AGENCY),
        recommendation=seen.get(RECOMMENDATION),
        lead=lead,
        unnamed=tuple(index for index, cell in enumerate(cells) if not cell),
        qa_header=cells[qa] if qa is not None else "",
        unknown=tuple(name for index, name in extras if index in unknown),
        lead_agency=lead_agency if AGENCY not in seen else None,
        scope=seen.get(SCOPE),
        addressee=seen.get(ADDRESSEE),
        completion=seen.get(COMPLETION),
        readings=tuple((cells[index], fields_at.get(index, EXTRA)) for index in range(len(cells)) if cells[index]),
    )


def _lead_agency_as_agency(cells: list[str], found: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """ "Lead Agency" beside "Lead Officer" (and no Agency column): the first names the agency, the second
    the lead, instead of two columns read as lead."""
    leads = [index for index, field in found if field == "lead"]
    if len(leads) != 2 or any(field == AGENCY for _, field in found):
        return found
    agency_like = [index for index in leads if normalise_header(cells[index]) in AGENCY_LEADS]
    if len(agency_like) != 1:
        return found
    return [(index, AGENCY if index == agency_like[0] else field) for index, field in found]


def _unique_names(columns: list[tuple[int, str]]) -> tuple[tuple[int, str], ...]:
    """Each column's header, numbered where one repeats, so no column's cells overwrite another's."""
    used: set[str] = set()
    named: list[tuple[int, str]] = []
    for index, text in columns:
        name, n = text, 1
        while name in used:
            n += 1
            name = f"{text} ({n})"
        used.add(name)
        named.append((index, name))
    return tuple(named)
