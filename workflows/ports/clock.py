"""What the use cases driven by the calendar read and write: the timer index and the escalation ledger, the
ladders, the board's meetings, and who stands in for whom."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from domain.deputies import DeputyPeriod
from domain.ladders import CatchUp, Ladder, LadderName, LadderStep

if TYPE_CHECKING:  # storage's row types, named in signatures only: the ports load no module of storage
    from storage.board_cycle import Asked, Meeting
    from storage.escalations import DueAction, DueReview, LedgerEntry
    from storage.firings import Fire


class Escalations(Protocol):
    def claim_due(self, today: date, after_id: int, limit: int) -> list[DueAction]:
        """Actions due by ``today`` after ``after_id``, in id order (locked where the database can)."""
        ...

    def lock_chains_due(self, today: date, after_id: int) -> None:
        """Take the log locks of the partnerships with actions due, before claiming any."""
        ...

    def fired(self, ids: Sequence[int]) -> dict[int, set[tuple[str, str, date]]]:
        """Steps already fired, per action: (ladder, step, anchor date)."""
        ...

    def set_next(self, by_day: Mapping[date | None, Sequence[int]]) -> None:
        """When each action is next looked at (``None``: never)."""
        ...

    def listing(
        self,
        partnership_id: int,
        limit: int | None = 200,
        *,
        agency_ids: Collection[int] = (),
        lead_officer_id: int | None = None,
        checker_ladders: bool = False,
        unacknowledged: bool = False,
        steps: Collection[tuple[str, str]] = (),
        action_ids: Collection[int] | None = None,
    ) -> list[LedgerEntry]:
        """Newest first; narrowed to some agencies' actions or a lead officer's (and the checker ladders'),
        to the unacknowledged, to some (ladder, step key) steps, to some actions; ``limit`` ``None``: every one."""
        ...

    def one(self, escalation_id: int) -> LedgerEntry | None: ...

    def acknowledge(self, escalation_id: int, person_id: int, at: datetime) -> bool:
        """``False`` when someone acknowledged it first."""
        ...

    def recheck(self, partnership_id: int, on: date) -> int:
        """Have the sweep on ``on`` look again at every action under way (and every review whose own ladder
        may climb); how many actions."""
        ...

    def lock_review_chains_due(self, today: date, after_id: int) -> None:
        """Take the log locks of the partnerships with reviews due, before claiming any."""
        ...

    def claim_reviews_due(self, today: date, after_id: int, limit: int) -> list[DueReview]:
        """Reviews whose own ladder is due a look by ``today`` after ``after_id``, in id order."""
        ...

    def fired_for_reviews(self, ids: Sequence[int]) -> dict[int, set[tuple[str, str, date]]]:
        """Steps of their own ladders already fired, per review: (ladder, step, anchor date)."""
        ...

    def record_review_step(
        self,
        partnership_id: int,
        review_id: int,
        ladder: Ladder,
        step: LadderStep,
        anchor: date,
        due_on: date,
        fired_on: date,
        decision_id: int,
    ) -> int:
        """The ledger row of a step of a review's own ladder; its id."""
        ...

    def set_next_reviews(self, by_day: Mapping[date | None, Sequence[int]]) -> None:
        """When each review's own ladder is next looked at (``None``: never)."""
        ...


class Ladders(Protocol):
    def in_force(self, partnership_id: int) -> dict[LadderName, Ladder]: ...

    def history(self, partnership_id: int) -> dict[tuple[LadderName, int], Ladder]:
        """Every version the partnership has had, the defaults as version 1."""
        ...

    def add_version(self, partnership_id: int, ladder: Ladder, at: datetime) -> Ladder:
        """``ladder`` as the partnership's next version of it."""
        ...

    def catch_up(self, partnership_id: int) -> CatchUp: ...

    def set_catch_up(self, partnership_id: int, catch_up: CatchUp) -> None: ...


class Firings(Protocol):
    def record(self, firings: Sequence[Fire], *, at: datetime, today: date, actor_name: str, actor_role: str) -> None:
        """Each firing's decision, ledger row and outbox rows, in order; the caller holds the chains."""
        ...


class BoardMeetings(Protocol):
    def add(self, partnership_id: int, meets_on: date, at: datetime) -> int: ...

    def remove(self, partnership_id: int, meets_on: date, at: datetime) -> int | None:
        """The meeting's id, ``None`` when none was set that day."""
        ...

    def listing(self, partnership_ids: Collection[int], from_day: date | None = None) -> list[Meeting]:
        """In date order."""
        ...

    def asked(self, meeting_id: int) -> list[Asked]: ...

    def record_ask(self, meeting_id: int, person_id: int, kind: str, sent_on: date, decision_id: int) -> None: ...

    def answered(self, partnership_id: int, since: dict[int, int], events: Collection[str]) -> set[int]:
        """Of the people in ``since`` (person id -> seq of the request to them), those who took one of
        ``events`` after it, themselves or through a deputy."""
        ...

    def outbox_key_taken(self, key: str) -> bool: ...


class Deputies(Protocol):
    def add(self, partnership_id: int, period: DeputyPeriod, named_by: int, at: datetime) -> int:
        """``period`` (its id aside: the new one is returned)."""
        ...

    def end(self, period_id: int, by: int, at: datetime) -> bool:
        """False when another writer ended it first."""
        ...

    def one(self, partnership_id: int, period_id: int) -> DeputyPeriod | None: ...

    def of_principal(self, principal_id: int) -> list[DeputyPeriod]: ...

    def of_deputy(self, deputy_id: int) -> list[DeputyPeriod]: ...

    def standing_in(self, deputy_id: int, day: date) -> list[DeputyPeriod]:
        """The periods in which ``deputy_id`` stands in for someone on ``day``."""
        ...

    def in_force(self, partnership_ids: list[int], day: date) -> dict[int, list[int]]:
        """Per person with a deputy on ``day``: who stands in for them."""
        ...

    def listing(self, partnership_id: int, since: date, person_id: int | None = None) -> list[DeputyPeriod]:
        """Periods not over before ``since`` nor ended, of one person where given."""
        ...
