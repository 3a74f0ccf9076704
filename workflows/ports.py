"""What the decision use case needs from storage, as Protocols.

``storage.uow.Tx`` provides them on a real database; ``tests/unit/fakes.py``
provides them in memory, so the use case's rules are tested without one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import date, datetime
from typing import Any, Protocol

from domain.deputies import DeputyPeriod
from domain.events import DomainEvent
from domain.model import Action, Person
from storage.repositories import DecisionDraft
from storage.uow import SqlUnitOfWork

UowFactory = Callable[[], AbstractAsyncContextManager[SqlUnitOfWork]]
"""How use cases open a unit of work (writing, or reading); ``SqlUnitOfWork`` is the one implementation."""


class PeopleStore(Protocol):
    def by_email(self, email: str) -> Person | None: ...


class ActionStore(Protocol):
    def find(self, partnership_id: int, ref: str, review_ref: str | None = None) -> list[tuple[str, Action]]: ...
    def by_id(self, partnership_id: int, action_id: int) -> tuple[str, Action] | None: ...

    def save_state(self, action: Action, expected_version: int, recheck_on: date | None) -> int: ...

    def unfinished(self, review_id: int) -> int: ...


class DecisionLog(Protocol):
    def lock_chain(self, partnership_id: int) -> None: ...

    def append(self, draft: DecisionDraft) -> int: ...


class EvidenceRecords(Protocol):
    def add(self, values: dict[str, Any]) -> int: ...


class OutboxQueue(Protocol):
    def add_for_events(
        self, partnership_id: int, review_id: int | None, decision_id: int, events: Sequence[DomainEvent], at: datetime
    ) -> int: ...


class DeputyPeriods(Protocol):
    def standing_in(self, deputy_id: int, day: date) -> list[DeputyPeriod]: ...


class DecisionTx(Protocol):
    """One transaction's view for recording a decision."""

    @property
    def deputies(self) -> DeputyPeriods: ...

    @property
    def people(self) -> PeopleStore: ...

    @property
    def actions(self) -> ActionStore: ...

    @property
    def decisions(self) -> DecisionLog: ...

    @property
    def evidence(self) -> EvidenceRecords: ...

    @property
    def outbox(self) -> OutboxQueue: ...
