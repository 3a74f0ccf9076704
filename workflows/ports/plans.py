"""What the use cases read and write of a partnership's plans: partnerships, people, agencies, reviews, their
recommendations and actions, extensions, evidence, sign-offs, themes and the remembered column mappings."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from domain.extension import ExtensionRequest
from domain.milestones import KindWords, Recorded, ReviewMilestone
from domain.model import Action, Agency, Note, Partnership, Person, Recommendation, Review, Scope
from domain.themes import Theme, ThemedAction

if TYPE_CHECKING:  # storage's row types, named in signatures only: the ports load no module of storage
    from storage.action_lists import ActionFilter, Listed, Order, SortKey
    from storage.evidence_store import StoredFile
    from storage.recommendation_lists import ActionFactsRow, ListedRecommendation, RecommendationFilter
    from storage.repositories import EvidenceRecord
    from storage.signoffs import SignOff


class Partnerships(Protocol):
    def by_short_name(self, short_name: str) -> Partnership | None:
        """Case-insensitive: BCSP and bcsp are one partnership."""
        ...

    def add(self, name: str, short_name: str) -> int: ...

    def all(self) -> list[Partnership]:
        """By id."""
        ...


class People(Protocol):
    def by_email(self, email: str) -> Person | None:
        """Case-insensitive, the address trimmed."""
        ...

    def by_id(self, person_id: int) -> Person | None: ...

    def emails(self, ids: Sequence[int]) -> dict[int, str]: ...

    def add(self, partnership_id: int, name: str, email: str, role: str, agency_id: int | None) -> int: ...

    def in_partnership(self, partnership_id: int) -> list[Person]:
        """By id."""
        ...

    def set_notify(self, email: str, preference: str) -> bool:
        """How ``email`` is sent notifications (``immediate`` or ``daily``); False when nobody has it."""
        ...


class Agencies(Protocol):
    def in_partnership(self, partnership_id: int) -> list[Agency]:
        """By id."""
        ...

    def add(self, partnership_id: int, name: str) -> int: ...

    def set_director(self, agency_id: int, person_id: int) -> None: ...


class Reviews(Protocol):
    def by_ref(self, partnership_id: int, ref: str) -> Review | None: ...

    def add(self, partnership_id: int, ref: str, title: str) -> int: ...

    def set_notes(self, review_id: int, notes: Sequence[Note]) -> None: ...

    def set_status(self, review_id: int, status: str) -> None: ...

    def set_kind(self, review_id: int, kind: str) -> None: ...

    def in_partnership(self, partnership_id: int) -> list[Review]:
        """By ref."""
        ...

    def count(self, partnership_id: int) -> int: ...

    def page(self, partnership_id: int, limit: int, *, offset: int = 0, after_ref: str | None = None) -> list[Review]:
        """At most ``limit`` of the partnership's reviews by ref, from the ``offset``-th or after ``after_ref``."""
        ...


class Milestones(Protocol):
    def for_reviews(self, review_ids: Collection[int]) -> dict[int, list[Recorded]]:
        """By review id, each review's in the order they happened (one statement for a page of reviews)."""
        ...

    def add(
        self,
        review_id: int,
        milestone: ReviewMilestone,
        happened_on: date,
        detail: dict[str, Any],
        recorded_by: int,
        at: datetime,
        decision_id: int,
    ) -> int: ...

    def kind_words(self, review_ids: Collection[int]) -> dict[int, KindWords]:
        """What each review's kind calls the body its report goes to and its quality assurer."""
        ...

    def first_import_at(self, review_id: int) -> datetime | None: ...

    def set_imported_on(self, review_id: int, day: date) -> None:
        """Set once: a review that has the day keeps it."""
        ...


class Recommendations(Protocol):
    def for_review(self, review_id: int) -> list[Recommendation]:
        """Numbered ones first in numeric order (8 before 10), then themes."""
        ...

    def by_ids(self, ids: Collection[int]) -> dict[int, Recommendation]:
        """These recommendations (those of a page of actions), by id."""
        ...

    def for_reviews(self, review_ids: Collection[int]) -> list[Recommendation]:
        """The recommendations of these reviews (one statement, for a page of a list)."""
        ...

    def add(
        self, review_id: int, text_: str, numbers: str, position: int, scope: Sequence[Scope] = (), addressee: str = ""
    ) -> int: ...

    def set_scope(self, recommendation_id: int, scope: Sequence[Scope]) -> None: ...

    def set_addressee(self, recommendation_id: int, addressee: str) -> None: ...

    def set_not_accepted(self, recommendation_id: int, reason: str) -> None:
        """Record why it was not accepted; "" accepts it again."""
        ...

    def listed(self, f: RecommendationFilter) -> list[ListedRecommendation]:
        """The recommendations ``f`` keeps, with their review, partnership, kind and publication date."""
        ...

    def facts(self, f: RecommendationFilter) -> list[ActionFactsRow]:
        """The actions of the recommendations ``f`` keeps, with what their status reads."""
        ...


class Actions(Protocol):
    def find(self, partnership_id: int, ref: str, review_ref: str | None = None) -> list[tuple[str, Action]]:
        """Actions with this ref in the partnership (one per review), with their review's ref."""
        ...

    def by_id(self, partnership_id: int, action_id: int) -> tuple[str, Action] | None:
        """The action with this id in the partnership (none from another), with its review's ref."""
        ...

    def unfinished(self, review_id: int) -> int:
        """How many of the review's actions are neither assured nor withdrawn."""
        ...

    def for_review(self, review_id: int) -> list[Action]:
        """In document order."""
        ...

    def count_by_agency(self, partnership_id: int) -> dict[int, tuple[int, int]]:
        """Per agency: its actions, and those still under way."""
        ...

    def matching(self, f: ActionFilter) -> list[tuple[str, Action]]:
        """Actions and their review refs, in document order within each review."""
        ...

    def count(self, f: ActionFilter) -> int:
        """How many actions ``f`` keeps."""
        ...

    def page(
        self, f: ActionFilter, order: Order, limit: int, *, offset: int = 0, after: SortKey | None = None
    ) -> list[Listed]:
        """At most ``limit`` of the actions ``f`` keeps, in ``order``, from the ``offset``-th or after the one
        whose key is ``after``; each with its review's ref and its key."""
        ...

    def add(self, values: dict[str, Any]) -> int:
        """A new action from its columns (version 0)."""
        ...

    def positions(self, review_id: int) -> dict[int, int]:
        """Action id -> place in the imported document."""
        ...

    def set_positions(self, positions: dict[int, int]) -> None:
        """Reorder without a new version."""
        ...

    def update_versioned(self, action: Action, expected_version: int, values: dict[str, Any]) -> int:
        """Write ``values`` (columns) if the action is still at ``expected_version``; the new version.

        Raises:
            ConcurrencyConflict: it moved on since it was read; nothing is written.
        """
        ...

    def move_target(self, action: Action, expected_version: int, new_date: date, recheck_on: date) -> int:
        """An approved extension: the new target date, the plan's own kept (once), the ladder rechecked."""
        ...

    def save_state(self, action: Action, expected_version: int, recheck_on: date | None) -> int:
        """``update_versioned`` for the lifecycle's fields; ``recheck_on`` is when the sweep looks again."""
        ...


class Extensions(Protocol):
    def pending(self, action_id: int) -> ExtensionRequest | None:
        """The request waiting for a decision on ``action_id``, if one is."""
        ...

    def pending_in(self, partnership_id: int, agency_id: int | None = None) -> list[tuple[ExtensionRequest, datetime]]:
        """Requests waiting for a decision on the partnership's actions (of one agency, where given), with
        when each was asked for, the oldest first."""
        ...

    def add(self, request: ExtensionRequest, at: datetime) -> int:
        """``request`` waiting for a decision; its id."""
        ...

    def decide(self, extension_id: int, status: str, decided_by: int, reason: str, at: datetime) -> None: ...


class Evidence(Protocol):
    def add(self, action_id: int, decision_id: int, file: StoredFile, at: datetime) -> int: ...

    def for_action(self, action_id: int) -> list[EvidenceRecord]:
        """By id."""
        ...

    def by_id(self, evidence_id: int) -> EvidenceRecord | None: ...


class SignOffs(Protocol):
    def add(
        self, review_id: int, snapshot: str, sha256: str, signed_by: int, at: datetime, decision_id: int
    ) -> int: ...

    def for_review(self, review_id: int) -> SignOff | None: ...

    def hashes(self, review_ids: Collection[int]) -> dict[int, str]:
        """The SHA-256 of each of these reviews' frozen plans, for those signed off."""
        ...


class Themes(Protocol):
    def added(self, partnership_id: int) -> list[Theme]:
        """The partnership's own themes, in the order they were added."""
        ...

    def add(self, partnership_id: int, theme: Theme, at: datetime) -> int: ...

    def decided(self, action_ids: Sequence[int]) -> dict[int, dict[str, bool]]:
        """Per action (every one asked for): theme -> confirmed (True) or removed (False)."""
        ...

    def set(self, action_id: int, theme: str, confirmed: bool, decision_id: int, at: datetime) -> None: ...

    def confirmed(self, partnership_ids: Sequence[int]) -> list[ThemedAction]: ...


class ImportMappings(Protocol):
    def for_partnership(self, partnership_id: int) -> list[tuple[str, str]]:
        """``(header as written, field)`` pairs, by header."""
        ...

    def put(self, partnership_id: int, key: str, header: str, field: str, at: datetime, by: int | None) -> bool:
        """Remember ``header`` (``key`` once normalised) as ``field``; False when it was already so."""
        ...

    def remove(self, partnership_id: int, key: str) -> str | None:
        """Forget the header ``key``; the field it was mapped to, or None when none was remembered."""
        ...
