"""What an importer makes of a document: a draft plan, before it meets the database.

Every reader (text, DOCX, XLSX, CSV) turns its file into a ``PlanDraft``; the
``workflows.import_plan`` use case writes the draft in one unit of work.
Locations are human words ("line 24", "table 2, row 5", "sheet Plan, row 7")
so that warnings and errors point at the place in the file the user has open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from domain.model import ActionColumns, Route


@dataclass(frozen=True)
class PlanWarning:
    """An anomaly kept, not fixed: the import goes on."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass
class RecommendationDraft:
    text: str
    location: str


@dataclass
class ActionDraft:
    ref: str
    agency: str
    """Name of the agency section the action sits in (or its agency column)."""
    columns: ActionColumns
    target_date: date | None
    route: Route
    location: str
    recommendation: int | None = None
    """Index into ``PlanDraft.recommendations`` of the grouping row above the action."""


@dataclass
class PlanDraft:
    partnership_name: str
    partnership_short_name: str
    review_ref: str
    title: str
    agencies: list[str] = field(default_factory=list)
    """Agency names in the order of their sections."""
    recommendations: list[RecommendationDraft] = field(default_factory=list)
    actions: list[ActionDraft] = field(default_factory=list)
    warnings: list[PlanWarning] = field(default_factory=list)
    source_name: str = ""
    source_sha256: str = ""
