"""The things a review's action plan is made of.

Text columns of an action are kept verbatim as imported: typos and all. The
parsed target date, the verification route, the state and the version live
beside them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import total_ordering

from domain.errors import InvalidRef
from domain.roles import Role
from domain.states import State
from domain.target_dates import AfterEvent

_DOTTED = re.compile(r"^\s*(\d+(?:\.\d+)*)\s*$")


@total_ordering
@dataclass(frozen=True)
class DottedNumber:
    """A dotted number (``3.11.2``) that sorts numerically: 3.2 < 3.11."""

    parts: tuple[int, ...]

    @classmethod
    def parse(cls, text: str) -> DottedNumber:
        match = _DOTTED.match(text)
        if not match:
            raise InvalidRef(text)
        return cls(tuple(int(p) for p in match.group(1).split(".")))

    @classmethod
    def is_dotted(cls, text: str) -> bool:
        return bool(_DOTTED.match(text))

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, DottedNumber):
            return NotImplemented
        return self.parts < other.parts

    def __str__(self) -> str:
        return ".".join(str(p) for p in self.parts)


def ref_sort_key(ref: str) -> tuple[tuple[int, ...], str]:
    """Sort key for a ref as stored: numeric where dotted, text after the dotted ones."""
    if DottedNumber.is_dotted(ref):
        return (DottedNumber.parse(ref).parts, "")
    return ((1 << 30,), ref)


class Route(StrEnum):
    """Which checks an action needs before it is assured (the seed's last column)."""

    COMMISSIONER = "commissioner"
    """A commissioner verifies the evidence, then the partnership assures it."""
    FINAL_AUDIT = "final_audit"
    """The partnership checks the evidence itself, at the final audit."""


class ReviewStatus(StrEnum):
    ACTIVE = "active"
    FINAL_AUDIT = "final_audit"
    SIGNED_OFF = "signed_off"


@dataclass
class Partnership:
    id: int
    name: str
    short_name: str


@dataclass
class Agency:
    id: int
    partnership_id: int
    name: str
    director_id: int | None = None


@dataclass
class Person:
    id: int
    partnership_id: int
    name: str
    email: str
    role: Role
    agency_id: int | None = None


class Scope(StrEnum):
    """Where a recommendation applies (the Home Office template's "Scope of recommendation")."""

    LOCAL = "local"
    REGIONAL = "regional"
    NATIONAL = "national"

    @classmethod
    def read(cls, text: str) -> tuple[Scope, ...]:
        """The scopes a cell names, in this order ("Local and regional" gives local, regional); none for
        text naming none ("Pan-London")."""
        words = set(re.findall(r"[a-z]+", text.casefold()))
        return tuple(scope for scope in cls if scope.value in words)


@dataclass(frozen=True)
class Note:
    """What the plan says beside its actions, kept verbatim with where it stood."""

    location: str
    text: str


@dataclass
class Review:
    id: int
    partnership_id: int
    ref: str
    title: str
    status: ReviewStatus = ReviewStatus.ACTIVE
    notes: tuple[Note, ...] = ()
    kind: str = "dardr"
    """The key of its kind (``review_kind``): a Domestic Abuse Related Death Review unless told otherwise."""
    imported_on: date | None = None


@dataclass
class Recommendation:
    """A grouping row: a numbered recommendation or a theme sentence.

    ``numbers`` holds the recommendation numbers the row names ("Recommendations
    5, 7 and 10" gives 5, 7, 10); a theme sentence has none and sorts by position.
    """

    id: int
    review_id: int
    text: str
    numbers: tuple[DottedNumber, ...] = ()
    position: int = 0
    scope: tuple[Scope, ...] = ()
    addressee: str = ""
    """The body it is addressed to: an agency of the plan, or a national body (Home Office, DHSC, ...)."""
    not_accepted_reason: str = ""
    """Why it was not accepted; empty while it stands accepted."""

    def sort_key(self) -> tuple[int, tuple[int, ...], int]:
        if self.numbers:
            return (0, min(self.numbers).parts, self.position)
        return (1, (), self.position)


@dataclass
class ActionColumns:
    """The plan's columns for one action, verbatim. Empty cells are empty strings."""

    action: str = ""
    lead: str = ""
    target_date_text: str = ""
    desired_outcome: str = ""
    monitoring: str = ""
    success_measure: str = ""
    outcome_progress: str = ""
    evidence_location: str = ""
    status_rag: str = ""
    quality_assured_by: str = ""
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class Action:
    """One SMART action of a review's plan, and where it stands."""

    id: int
    review_id: int
    agency_id: int
    ref: str
    columns: ActionColumns
    target_date: date | None
    route: Route
    recommendation_id: int | None = None
    state: State = State.OPEN
    version: int = 0
    lead_officer_id: int | None = None
    submitted_by: int | None = None
    """Who submitted the evidence now under check: they may not verify or assure it."""
    submitted_for: int | None = None
    """The lead officer a deputy submitted the evidence for: they may not check it either."""
    verified_by: int | None = None
    """Who verified the evidence now waiting for the partnership: they may not assure it too."""
    verified_for: int | None = None
    """The commissioner a deputy verified it for."""
    returned: bool = False
    """The last check sent the evidence back; cleared by the next submission."""
    waiting_since: date | None = None
    """The day the evidence reached whoever must check it now (the checker ladders count from it)."""
    original_target_date: date | None = None
    """The plan's own target date, once an approved extension has moved ``target_date``."""
    reported_complete: bool = False
    """The plan said the action was done when it was imported; only a person's decision assures it."""
    reported_complete_on: date | None = None
    target_after: AfterEvent | None = None
    """A target counted from an event of the review ("within 6 months of publication"), until it has a date."""


ROLES_WITH_AGENCY = frozenset({Role.LEAD_OFFICER, Role.COMMISSIONER, Role.DIRECTOR})
"""Roles that belong to an agency; the partnership's own staff do not. A commissioner's agency is
their commissioning body: its own evidence is what they may not verify."""


_RECOMMENDATION_NUMBERS = re.compile(
    r"^\s*recommendations?\s+((?:\d+(?:\.\d+)*(?:\s*(?:,|and|&)\s*)?)+)", re.IGNORECASE
)


def recommendation_numbers(text: str) -> tuple[DottedNumber, ...]:
    """The numbers a grouping row names: "Recommendations 5, 7 and 10: ..." gives 5, 7, 10."""
    match = _RECOMMENDATION_NUMBERS.match(text)
    if not match:
        return ()
    return tuple(DottedNumber.parse(n) for n in re.findall(r"\d+(?:\.\d+)*", match.group(1)))
