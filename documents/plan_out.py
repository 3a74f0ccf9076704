"""A review's plan going out: what the tracker knows of each action, laid out as the plan was written.

``Plan`` is what every plan writer (DOCX, XLSX, PDF, CSV) takes; the
``workflows.queries.exports`` use case builds it from the database. The layout is the
original's: a title block, then one table per agency section with the plan's
columns, a recommendation row above the actions that belong to it. The columns
keep their text as imported; the progress, RAG and quality-assured cells add
the tracker's lines (``documents.live``), so the document is current and still
imports back into the same actions and text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from documents import live
from documents.dates import MONTH_NAMES
from domain.model import ActionColumns
from domain.rag import Rag
from domain.review_kinds import ReviewKind, described
from domain.target_dates import Milestone

COLUMNS: tuple[tuple[str, str], ...] = (
    ("Ref", "ref"),
    ("Action (SMART)", "action"),
    ("Lead Officer and Agency", "lead"),
    ("Target Date for Completion", "target_date_text"),
    ("Desired Outcome", "desired_outcome"),
    ("Monitoring Arrangements", "monitoring"),
    ("How will Success be Measured", "success_measure"),
    ("Outcome/Progress", "outcome_progress"),
    ("Written Evidence/ Location", "evidence_location"),
    ("Status (RAG)", "status_rag"),
    ("Quality Assured by", "quality_assured_by"),
)
"""The original's columns, headed as the seed plan heads them, and the field each holds."""

COLUMN_WEIGHTS = {
    "ref": 5,
    "action": 14,
    "lead": 9,
    "target_date_text": 6,
    "desired_outcome": 11,
    "monitoring": 10,
    "success_measure": 10,
    "outcome_progress": 11,
    "evidence_location": 10,
    "status_rag": 5,
    "quality_assured_by": 9,
}
"""Relative column widths of every writer; an extra column gets 8."""

RAG_LABELS = {Rag.RED: "Red", Rag.AMBER: "Amber", Rag.GREEN: "Green", Rag.BLUE: "Blue", Rag.GREY: "Grey"}
RAG_MEANINGS = {
    Rag.RED: "past its target date, no evidence in",
    Rag.AMBER: "due soon, returned, or no readable date",
    Rag.GREEN: "on track, or evidence being checked",
    Rag.BLUE: "assured",
    Rag.GREY: "withdrawn",
}
RAG_HEX = {Rag.RED: "C62828", Rag.AMBER: "F9A825", Rag.GREEN: "2E7D32", Rag.BLUE: "1565C0", Rag.GREY: "9E9E9E"}
"""The RAG colours of the board pack's bars (RRGGBB)."""
RAG_TINT = {Rag.RED: "F4C7C3", Rag.AMBER: "FCE8B2", Rag.GREEN: "B7E1CD", Rag.BLUE: "C9DAF8", Rag.GREY: "E0E0E0"}
"""Light fills of the Status (RAG) cells: dark text stays readable on them."""


@dataclass(frozen=True)
class Check:
    """A decision the Quality Assured column shows: who checked the action, and when."""

    verb: str
    """``Verified``, ``Assured`` or ``Withdrawn``."""
    by: str
    """The person's name; empty in the public version, which names the role and agency only."""
    role: str
    agency: str
    """The person's agency, or the partnership's short name for its own staff."""
    on: date

    def text(self) -> str:
        who = f"{self.by} ({self.role}, {self.agency})" if self.by else f"the {self.role} ({self.agency})"
        return f"{self.verb} by {who}, {self.on:%d/%m/%Y}"


@dataclass(frozen=True)
class Progress:
    """The latest progress the lead officer recorded: a progress update, or the note of an evidence submission."""

    kind: str
    """``Progress update`` or ``Evidence submitted``."""
    on: date
    by: str
    note: str

    def text(self) -> str:
        return f"{self.kind} {self.on:%d/%m/%Y} ({self.by}): {self.note}"


@dataclass(frozen=True)
class PlanAction:
    ref: str
    agency: str
    recommendation: str
    """The text of the grouping row above the action ("" for none)."""
    columns: ActionColumns
    target_date: date | None
    original_target_date: date | None
    route: str
    state: str
    rag: Rag
    version: int
    progress: Progress | None = None
    checks: tuple[Check, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    """The dated steps of a target cell that gives several."""
    target_after: str = ""
    """A target counted from publication, in words ("6 months after publication")."""

    def live_lines(self, name: str) -> list[str]:
        """The tracker's lines for the column ``name`` (see ``documents.live.LIVE_FIELDS``)."""
        if name == "target_date_text":
            return self._target_lines()
        if name == "outcome_progress":
            return [self.progress.text()] if self.progress else []
        if name == "status_rag":
            return [RAG_LABELS[self.rag]]
        if name == "quality_assured_by":
            return [check.text() for check in self.checks]
        return []

    def _target_lines(self) -> list[str]:
        """The milestones as read (a date moved to the next year said so), and the target an approved
        extension set: the plan's own text stays above them."""
        lines = []
        if self.milestones:
            steps = [
                (f"{m.due:%d/%m/%Y}" if m.due else "no date")
                + (" (read as the year after)" if m.moved_to_next_year else "")
                for m in self.milestones
            ]
            lines.append("Milestones: " + "; ".join(steps))
        if self.target_after and self.target_date is None:
            lines.append(f"Target {self.target_after} (not yet published)")
        elif self.target_after and self.target_date is not None and self.original_target_date is None:
            lines.append(f"Target {self.target_date:%d/%m/%Y} ({self.target_after})")
        return lines

    def extended_target(self) -> str | None:
        """The target an approved extension set, as the first thing the target cell says, with what it
        replaced beside it (the plan's own text stays below, as imported)."""
        if self.original_target_date is None or self.target_date is None:
            return None
        return f"Target {self.target_date:%d/%m/%Y}, extended from {self.original_target_date:%d/%m/%Y}"

    def cell(self, name: str) -> str:
        """The text of this action's cell in column ``name``: as imported, then the tracker's lines."""
        if name == "ref":
            return self.ref
        text = getattr(self.columns, name)
        if name not in live.LIVE_FIELDS:
            return str(text)
        cell = live.with_lines(text, self.live_lines(name))
        if name == "target_date_text" and (extended := self.extended_target()) is not None:
            cell = f"{live.line(extended)}\n{cell}" if cell else live.line(extended)
        return cell


@dataclass(frozen=True)
class Section:
    """One agency's table: its actions in document order, each recommendation row before its first action."""

    agency: str
    rows: tuple[str | PlanAction, ...]
    """A ``str`` is a recommendation (grouping) row."""
    extra_headers: tuple[str, ...] = ()
    """Columns the plan was imported with beyond the original's (``--map "Header=extra"``)."""

    @property
    def actions(self) -> Iterator[PlanAction]:
        return (row for row in self.rows if isinstance(row, PlanAction))


@dataclass(frozen=True)
class Plan:
    partnership: str
    short_name: str
    review_ref: str
    title: str
    as_of: date
    """The day the RAG colours are worked out for."""
    actions: tuple[PlanAction, ...]
    """In document order."""
    removed: tuple[str, ...] = ()
    """What a public version leaves out, said at its top (empty for the full plan)."""
    columns: tuple[tuple[str, str], ...] = COLUMNS
    """The columns written; a public version leaves out the evidence column."""
    notes: tuple[str, ...] = ()
    """What the plan says beside its actions (the panel's query and its answer), verbatim; not in a public
    version."""
    kind: ReviewKind | None = None
    """The review's kind, stated in the preface (and a column of the CSV)."""
    former_name: str = ""
    """The former name the plan's title calls its kind by ("Domestic Homicide Review"), stated beside the kind."""

    @property
    def public(self) -> bool:
        return bool(self.removed)

    def headers(self, section: Section) -> list[str]:
        """The header row of a section's table: the original's headers, then its extra columns."""
        names = [
            f"{header} {self.short_name}" if name == "quality_assured_by" else header for header, name in self.columns
        ]
        return names + list(section.extra_headers)

    def cells(self, section: Section, action: PlanAction) -> list[str]:
        return [action.cell(name) for _, name in self.columns] + [
            action.columns.extra.get(header, "") for header in section.extra_headers
        ]

    def section_title(self, section: Section) -> str:
        """The line above a section's table; the importer reads the agency back from it."""
        return f"{section.agency} - Action Plan {self.review_ref}"

    def preface(self) -> list[str]:
        """The lines between the title and the first table: the review by its reference where the title does
        not name it (a plan titled "Appendix 3 - Action Plan"), so that the document imports back into it."""
        lines = [] if self.review_ref in self.title else [f"{live.REVIEW_LABEL} {self.review_ref}"]
        if self.kind is not None:
            lines.append(f"{live.KIND_LABEL} {described(self.kind, self.former_name)}")
        lines.append(
            f"{live.PREFACE[0]} {long_date(self.as_of)}. "
            f"Lines starting {live.MARK} are the tracker's: "
            + ("the milestones read from the target date, a target an extension moved, " if not self.removed else "")
            + ("" if self.removed else "the latest progress update, ")
            + "the RAG colour on that day, and who verified and assured each action, and when; "
            "the rest is the plan as written."
        )
        if self.removed:
            lines.append(f"{live.PREFACE[1]} " + "; ".join(self.removed) + ".")
        lines += [f"{live.NOTE_LABEL} {' '.join(note.split())}" for note in self.notes]
        return lines

    def sections(self) -> list[Section]:
        """The agency tables in the order of each agency's first action.

        A recommendation row goes before the first action of each run of actions
        under it. An action under no recommendation that follows one under a
        recommendation starts a new table for the same agency: below a
        recommendation row, every action belongs to it until the next section.
        """
        by_agency: dict[str, list[PlanAction]] = {}
        for action in self.actions:
            by_agency.setdefault(action.agency, []).append(action)
        sections = []
        for agency, actions in by_agency.items():
            extras = tuple(dict.fromkeys(h for a in actions for h in a.columns.extra))
            rows: list[str | PlanAction] = []
            current = ""
            for action in actions:
                if action.recommendation != current:
                    if not action.recommendation:
                        sections.append(Section(agency, tuple(rows), extras))
                        rows = []
                    else:
                        rows.append(action.recommendation)
                    current = action.recommendation
                rows.append(action)
            sections.append(Section(agency, tuple(rows), extras))
        return sections


def long_date(day: date) -> str:
    """``27 November 2026``, in English whatever the process locale."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"
