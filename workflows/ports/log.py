"""What the use cases read and write of the decision log: appending to it, reading it back, and the checks
that go beyond its hash chain."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from domain.rag import DueBands

if TYPE_CHECKING:  # storage's row types, named in signatures only: the ports load no module of storage
    from storage.audit import StoredEvidence
    from storage.chain import ChainRecord
    from storage.escalations import LedgerEntry
    from storage.reports import ActionDecision, ActionTally
    from storage.repositories import DecisionDraft, LoggedDecision


class Decisions(Protocol):
    def lock_chain(self, partnership_id: int) -> None:
        """Hold the partnership's log for the transaction: every writer takes it before any row."""
        ...

    def append(self, draft: DecisionDraft) -> int:
        """Chain ``draft`` at the head of its partnership's log; its id."""
        ...

    def head(self, partnership_id: int) -> tuple[int, str]:
        """The last seq and hash, the chain locked."""
        ...

    def for_action(self, action_id: int) -> list[LoggedDecision]:
        """In log order."""
        ...

    def at_seq(self, partnership_id: int, seq: int) -> LoggedDecision | None: ...

    def page(self, partnership_id: int, after: int, limit: int) -> list[LoggedDecision]:
        """After ``seq`` ``after``, in order, at most ``limit``."""
        ...

    def chain(self, partnership_id: int, batch: int = 5000) -> Iterator[ChainRecord]:
        """Every record in ``seq`` order, as the hash chain reads it."""
        ...


class Reports(Protocol):
    def log_head(self, partnership_id: int) -> tuple[int, str]:
        """The last seq and hash, read without the chain's lock."""
        ...

    def first_at(self, event: str) -> datetime | None:
        """When the first decision of ``event`` was taken, in any partnership."""
        ...

    def decision(self, decision_id: int) -> LoggedDecision: ...

    def review_decisions(self, review_id: int, events: Collection[str]) -> list[LoggedDecision]:
        """The review's decisions of these events about its actions, in log order."""
        ...

    def decisions_between(
        self, partnership_id: int, review_ids: Collection[int], events: Collection[str], start: datetime, end: datetime
    ) -> list[ActionDecision]:
        """Decisions of these events about the reviews' actions from ``start`` up to (not at) ``end``."""
        ...

    def escalations_between(
        self, partnership_id: int, review_ids: Collection[int], first: date, last: date
    ) -> list[LedgerEntry]:
        """Steps fired on the reviews' actions from ``first`` to ``last``, oldest first."""
        ...

    def action_tallies(
        self, partnership_id: int, bands: DueBands, review_ids: Collection[int] | None = None
    ) -> list[ActionTally]:
        """The partnership's actions (of ``review_ids`` only, where given) counted by review, agency, state,
        returned flag, due, target month and completion reported in the plan: one aggregate query."""
        ...


class Audit(Protocol):
    """What ``dhrflow log verify`` checks beyond the chain, each a list of problems (empty: none)."""

    def action_problems(self, partnership_id: int) -> list[str]: ...

    def deputy_problems(self, partnership_id: int) -> list[str]: ...

    def evidence_problems(self, partnership_id: int, files: list[StoredEvidence] | None = None) -> list[str]:
        """With ``files``, the consistent rows are added to it, for their files to be hashed afterwards."""
        ...

    def decision_problems(self, partnership_id: int) -> list[str]: ...

    def guard_problems(self) -> list[str]: ...

    def seal_problems(self, partnership_id: int) -> list[str]: ...
