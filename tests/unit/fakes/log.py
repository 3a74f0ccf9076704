"""An in-memory decision log, chained as the real one is, with the reads the documents make of it
(``workflows.ports.log``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from domain.decisions import KINDS, UnknownDecisionKind
from domain.rag import Due, DueBands
from domain.states import State
from storage.audit import StoredEvidence
from storage.chain import GENESIS, ChainRecord
from storage.escalations import LedgerEntry
from storage.reports import ActionDecision, ActionTally
from storage.repositories import DecisionDraft, LoggedDecision, chained_record, logged_decision

if TYPE_CHECKING:
    from tests.unit.fakes import FakeTx


class FakeDecisions:
    """Each partnership's chain, its records hashed by ``storage``'s own record builder."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []
        self.drafts: list[DecisionDraft] = []
        """What the use cases appended, in order (``records[i]`` is ``drafts[i]`` chained)."""
        self.locked: list[int] = []

    def lock_chain(self, partnership_id: int) -> None:
        self.locked.append(partnership_id)

    def append(self, draft: DecisionDraft) -> int:
        if draft.event not in KINDS:
            raise UnknownDecisionKind(draft.event)
        seq, prev = self.head(draft.partnership_id)
        record = chained_record(draft, seq + 1, prev) | {"id": len(self.records) + 1, "seal": None}
        self.records.append(record)
        self.drafts.append(draft)
        return int(record["id"])

    def head(self, partnership_id: int) -> tuple[int, str]:
        mine = [r for r in self.records if r["partnership_id"] == partnership_id]
        return (mine[-1]["seq"], mine[-1]["hash"]) if mine else (0, GENESIS)

    def events(self) -> list[str]:
        return [d.event for d in self.drafts]

    def logged(self) -> list[LoggedDecision]:
        return [logged_decision(r) for r in self.records]

    def by_id(self, decision_id: int) -> LoggedDecision:
        return logged_decision(self.records[decision_id - 1])

    def for_action(self, action_id: int) -> list[LoggedDecision]:
        return [d for d in self.logged() if d.action_id == action_id]

    def at_seq(self, partnership_id: int, seq: int) -> LoggedDecision | None:
        return next((d for d in self.logged() if (d.partnership_id, d.seq) == (partnership_id, seq)), None)

    def page(self, partnership_id: int, after: int, limit: int) -> list[LoggedDecision]:
        return [d for d in self.logged() if d.partnership_id == partnership_id and d.seq > after][:limit]

    def chain(self, partnership_id: int, batch: int = 5000) -> Iterator[ChainRecord]:
        return iter([r for r in self.records if r["partnership_id"] == partnership_id])


class FakeReports:
    def __init__(self, db: FakeTx) -> None:
        self.db = db

    def log_head(self, partnership_id: int) -> tuple[int, str]:
        return self.db.decisions.head(partnership_id)

    def first_at(self, event: str) -> datetime | None:
        return min((d.at for d in self.db.decisions.logged() if d.event == event), default=None)

    def decision(self, decision_id: int) -> LoggedDecision:
        return self.db.decisions.by_id(decision_id)

    def review_decisions(self, review_id: int, events: Collection[str]) -> list[LoggedDecision]:
        return [
            d
            for d in self.db.decisions.logged()
            if d.review_id == review_id and d.action_id is not None and d.event in events
        ]

    def decisions_between(
        self, partnership_id: int, review_ids: Collection[int], events: Collection[str], start: datetime, end: datetime
    ) -> list[ActionDecision]:
        return [
            ActionDecision(d, self.db.actions.rows[d.action_id].agency_id)
            for d in self.db.decisions.logged()
            if d.partnership_id == partnership_id
            and d.review_id in review_ids
            and d.action_id is not None
            and d.event in events
            and start <= d.at < end
        ]

    def escalations_between(
        self, partnership_id: int, review_ids: Collection[int], first: date, last: date
    ) -> list[LedgerEntry]:
        entries = [self.db.escalations.entry(i) for i in sorted(self.db.escalations.ledger)]
        found = [
            e
            for e in entries
            if e.partnership_id == partnership_id and e.review_id in review_ids and first <= e.fired_on <= last
        ]
        return sorted(found, key=lambda e: (e.fired_on, e.id))

    def action_tallies(
        self, partnership_id: int, bands: DueBands, review_ids: Collection[int] | None = None
    ) -> list[ActionTally]:
        counts: Counter[_TallyKey] = Counter()
        earliest: dict[_TallyKey, date | None] = {}
        for a in self.db.actions.rows.values():
            if self.db.reviews.rows[a.review_id].partnership_id != partnership_id:
                continue
            if review_ids is not None and a.review_id not in review_ids:
                continue
            t = a.target_date
            year, month = (t.year, t.month) if t else (None, None)
            key = (a.review_id, a.agency_id, a.state, a.returned, bands.due(t), year, month, a.reported_complete)
            counts[key] += 1
            earliest[key] = min(filter(None, (earliest.get(key), t)), default=None)
        return [
            ActionTally(*key[:7], count=n, earliest=earliest[key], reported_complete=key[7])
            for key, n in counts.items()
        ]


_TallyKey = tuple[int, int, State, bool, Due, int | None, int | None, bool]


class FakeAudit:
    """Memory holds no triggers, seals or files to go astray: every check finds nothing."""

    def action_problems(self, partnership_id: int) -> list[str]:
        return []

    def deputy_problems(self, partnership_id: int) -> list[str]:
        return []

    def evidence_problems(self, partnership_id: int, files: list[StoredEvidence] | None = None) -> list[str]:
        return []

    def decision_problems(self, partnership_id: int) -> list[str]:
        return []

    def guard_problems(self) -> list[str]:
        return []

    def seal_problems(self, partnership_id: int) -> list[str]:
        return []
