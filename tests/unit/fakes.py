"""In-memory stand-ins for the storage the decision use case needs (``workflows.ports``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from domain.deputies import DeputyPeriod
from domain.events import DomainEvent
from domain.model import Action, Person
from storage.errors import ConcurrencyConflict
from storage.repositories import DecisionDraft


class FakeActions:
    def __init__(self) -> None:
        self.rows: dict[int, tuple[int, str, Action]] = {}
        """Action id -> (partnership id, review ref, action as stored)."""
        self.conflicts_to_raise = 0
        """Make the next saves fail as if another decision had landed (and committed) first."""
        self.landed: Callable[[int], None] = lambda _action_id: None
        """Told of each such decision, so a rollback of ours keeps theirs."""

    def put(self, partnership_id: int, review_ref: str, action: Action) -> None:
        self.rows[action.id] = (partnership_id, review_ref, dataclasses.replace(action))

    def stored(self, action_id: int) -> Action:
        return self.rows[action_id][2]

    def find(self, partnership_id: int, ref: str, review_ref: str | None = None) -> list[tuple[str, Action]]:
        return [
            (r_ref, dataclasses.replace(action))
            for pid, r_ref, action in self.rows.values()
            if pid == partnership_id and action.ref == ref and (review_ref is None or r_ref == review_ref)
        ]

    def by_id(self, partnership_id: int, action_id: int) -> tuple[str, Action] | None:
        found = self.rows.get(action_id)
        if found is None or found[0] != partnership_id:
            return None
        return found[1], dataclasses.replace(found[2])

    def unfinished(self, review_id: int) -> int:
        return sum(1 for _, _, a in self.rows.values() if a.review_id == review_id and not a.state.is_final)

    def save_state(self, action: Action, expected_version: int, recheck_on: date | None) -> int:
        pid, review_ref, stored = self.rows[action.id]
        if self.conflicts_to_raise:
            self.conflicts_to_raise -= 1
            stored.version += 1  # someone else's decision
            self.landed(action.id)
            raise ConcurrencyConflict(action.ref, expected_version, stored.version)
        if stored.version != expected_version:
            raise ConcurrencyConflict(action.ref, expected_version, stored.version)
        saved = dataclasses.replace(action, version=expected_version + 1)
        self.rows[action.id] = (pid, review_ref, saved)
        return saved.version


class FakePeople:
    def __init__(self, people: dict[str, Person]) -> None:
        self.people = people

    def by_email(self, email: str) -> Person | None:
        return self.people.get(email.strip().lower())


class FakeDecisionLog:
    def __init__(self) -> None:
        self.drafts: list[DecisionDraft] = []
        self.locked: list[int] = []

    def lock_chain(self, partnership_id: int) -> None:
        self.locked.append(partnership_id)

    def append(self, draft: DecisionDraft) -> int:
        self.drafts.append(draft)
        return len(self.drafts)


class FakeEvidence:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, values: dict[str, Any]) -> int:
        self.rows.append(values)
        return len(self.rows)


class FakeOutbox:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str]] = []
        """(event kind, recipient key) per queued notification."""

    def add_for_events(
        self, partnership_id: int, review_id: int | None, decision_id: int, events: Sequence[DomainEvent], at: datetime
    ) -> int:
        new = [(e.kind, r.key()) for e in events for r in e.recipients]
        self.rows += new
        return len(new)


class FakeDeputies:
    def __init__(self) -> None:
        self.periods: list[DeputyPeriod] = []

    def standing_in(self, deputy_id: int, day: date) -> list[DeputyPeriod]:
        return [p for p in self.periods if p.deputy_id == deputy_id and p.covers(day)]


class FakeDecisionTx:
    """The repositories of one transaction; ``snapshot``/``restore`` give rollback."""

    def __init__(self, people: Sequence[Person]) -> None:
        self.people = FakePeople({p.email.lower(): p for p in people})
        self.actions = FakeActions()
        self.decisions = FakeDecisionLog()
        self.evidence = FakeEvidence()
        self.outbox = FakeOutbox()
        self.deputies = FakeDeputies()

    def snapshot(self) -> tuple[Any, ...]:
        return (
            {k: (p, r, dataclasses.replace(a)) for k, (p, r, a) in self.actions.rows.items()},
            list(self.decisions.drafts),
            list(self.evidence.rows),
            list(self.outbox.rows),
        )

    def restore(self, saved: tuple[Any, ...]) -> None:
        self.actions.rows, self.decisions.drafts, self.evidence.rows, self.outbox.rows = saved


class FakeUnitOfWork:
    """Commits by keeping what the work did; rolls back by restoring the snapshot taken at the start."""

    def __init__(self, tx: FakeDecisionTx) -> None:
        self.tx = tx
        self.commits = 0

    async def __aenter__(self) -> FakeUnitOfWork:
        self._saved = self.tx.snapshot()
        self._committed = False
        self.tx.actions.landed = self._keep_landed
        return self

    def _keep_landed(self, action_id: int) -> None:
        self._saved[0][action_id][2].version += 1

    async def __aexit__(self, *exc: object) -> None:
        if not self._committed:
            self.tx.restore(self._saved)

    async def run(self, work: Callable[..., Any], *args: Any) -> Any:
        return work(self.tx, *args)

    async def run_and_commit(self, work: Callable[..., Any], *args: Any) -> Any:
        result = work(self.tx, *args)
        await self.commit()
        return result

    async def commit(self) -> None:
        self._committed = True
        self.commits += 1
