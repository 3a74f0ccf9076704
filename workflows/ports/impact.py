"""What the use cases of impact checks and review kinds read and write."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import TYPE_CHECKING, Protocol

from domain.impact import ImpactCheck
from domain.review_kinds import ReviewKind

if TYPE_CHECKING:  # storage's row types, named in signatures only: the ports load no module of storage
    from storage.impact import ImpactDue, ImpactTally


class ImpactChecks(Protocol):
    def months(self, partnership_id: int) -> int:
        """Months from assurance to the check (0: the partnership does none)."""
        ...

    def set_months(self, partnership_id: int, months: int) -> None: ...

    def add(self, action_id: int, due_on: date) -> int: ...

    def for_action(self, action_id: int) -> ImpactCheck | None: ...

    def for_actions(self, action_ids: Collection[int]) -> dict[int, ImpactCheck]: ...

    def answer(self, check: ImpactCheck) -> bool:
        """Record the answer; ``False`` when the check was answered first."""
        ...

    def due(
        self, partnership_id: int, by: date | None = None, *, agency_ids: Collection[int] | None = None
    ) -> list[ImpactDue]: ...

    def tally(self, partnership_id: int, today: date) -> list[ImpactTally]: ...


class ReviewKinds(Protocol):
    def all(self) -> list[ReviewKind]:
        """Every kind, by key."""
        ...

    def by_key(self, key: str) -> ReviewKind | None: ...

    def keys_by_ref(self, partnership_id: int) -> dict[str, str]:
        """The kind's key of each of the partnership's reviews, by the review's ref."""
        ...

    def keys_by_id(self, review_ids: Collection[int]) -> dict[int, str]:
        """The kind's key of each of these reviews, by the review's id."""
        ...
