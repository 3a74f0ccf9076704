"""What the use cases do with the outbox: queue a decision's notifications, resolve and send them, and
what an operator sees of the ones that failed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from domain.events import DomainEvent

if TYPE_CHECKING:  # storage's row types, named in signatures only: the ports load no module of storage
    from storage.outbox import (
        Addressee,
        DeadLetterRow,
        Delivery,
        MailTroubleRow,
        Mark,
        NewDelivery,
        OutboxEntry,
        RoleRow,
        Settled,
    )


class Outbox(Protocol):
    def add_for_events(
        self, partnership_id: int, review_id: int | None, decision_id: int, events: Sequence[DomainEvent], at: datetime
    ) -> int:
        """One row per event and recipient; how many."""
        ...

    def queue(self, entries: Sequence[OutboxEntry]) -> None: ...

    def pending_by_kind(self, now: datetime) -> dict[str, int]:
        """Rows due by ``now``, counted by kind."""
        ...

    def claim_unresolved(self, now: datetime, limit: int) -> list[RoleRow]: ...

    def people(self, partnership_ids: Sequence[int]) -> list[Addressee]: ...

    def directors(self, partnership_ids: Sequence[int]) -> dict[int, tuple[str, int | None]]:
        """Agency id -> (agency name, its director's person id) today."""
        ...

    def add_deliveries(self, rows: Sequence[NewDelivery]) -> None: ...

    def settle_role_rows(self, settled: Sequence[Settled]) -> None: ...

    def claim_deliveries(self, now: datetime, limit: int, lease_until: datetime) -> list[Delivery]:
        """Due deliveries (with every due row of the same digests), their attempt counted and leased."""
        ...

    def mark(self, marks: Sequence[Mark]) -> int:
        """How many rows took their mark."""
        ...

    def dead(self, partnership_id: int | None = None, limit: int = 500) -> list[DeadLetterRow]:
        """Newest first."""
        ...

    def trouble(self, partnership_id: int) -> MailTroubleRow:
        """How much of the partnership's mail is dead or waiting to retry, and the newest reason."""
        ...

    def requeue(self, now: datetime, row_id: int | None, partnership_id: int | None = None) -> list[int]:
        """Dead letters back to pending (``None``: all of them); their ids."""
        ...

    def status_counts(self) -> dict[str, int]: ...
