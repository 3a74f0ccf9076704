"""What an importer makes of a document: a draft plan, before it meets the database.

Every reader (text, DOCX, XLSX, CSV) turns its file into a ``PlanDraft``; the
``workflows.commands.import_plan`` use case writes the draft in one unit of work.
Locations are human words ("line 24", "table 2, row 5", "sheet Plan, row 7")
so that warnings and errors point at the place in the file the user has open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from domain.model import ActionColumns, Note, Route, Scope
from domain.target_dates import AfterEvent


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
    scope: tuple[Scope, ...] = ()
    """Local, regional, national: what the plan's scope column says of it (empty when it says nothing)."""
    addressee: str = ""
    """The body it is addressed to, as the plan's column writes it (empty when it has none)."""


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
    reported_complete: bool = False
    """The plan says the action is done ("Completed: 31 October 2016", a date of completion)."""
    reported_complete_on: date | None = None
    target_after: AfterEvent | None = None
    """A target counted from publication ("Within 6 months of publication"): no date until the review is
    published."""
    numbered: bool = False
    """dhrflow gave the ref (the plan has none, or labels that are no number): a re-import matches the action
    by its text before its place, so an action inserted mid-plan does not shift the others' refs."""


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
    notes: list[Note] = field(default_factory=list)
    """Text that is not an action but carries content (a panel's query and its answer, a line above the table
    that is neither the partnership nor the review's title), kept verbatim."""
    columns: list[tuple[str, str]] = field(default_factory=list)
    """Every header spelling of the plan's tables with the field it was read as, once each, in order."""
    source_name: str = ""
    source_sha256: str = ""
    kind: str = ""
    """The review kind the importer was told (``--kind``), "" for none: the document's own words win the read,
    the kind given wins over them (``workflows.commands.import_plan``)."""
