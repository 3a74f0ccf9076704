"""In-memory impact checks and review kinds (``workflows.ports.impact``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from datetime import date
from typing import TYPE_CHECKING

from domain.impact import ImpactCheck, ImpactOutcome
from domain.review_kinds import ReviewKind
from domain.states import State
from storage.impact import ImpactDue, ImpactTally

if TYPE_CHECKING:
    from tests.unit.fakes import FakeTx

KINDS = (
    ReviewKind(
        "dardr",
        "Domestic Abuse Related Death Review",
        "DARDR",
        "the Home Office quality-assurance panel",
        ("Domestic Homicide Review", "DHR"),
        {"submitted_to": "the Home Office"},
    ),
    ReviewKind("sar", "Safeguarding Adults Review", "SAR", "the Safeguarding Adults Board", ("SAR",)),
    ReviewKind("cspr", "Child Safeguarding Practice Review", "CSPR", "the national panel", ("CSPR",)),
)
"""The kinds migration 0014 seeds, in short."""


class FakeImpactChecks:
    def __init__(self, db: FakeTx) -> None:
        self.db = db
        self.rows: dict[int, ImpactCheck] = {}
        self.months_of: dict[int, int] = {}

    def months(self, partnership_id: int) -> int:
        return self.months_of.get(partnership_id, 6)

    def set_months(self, partnership_id: int, months: int) -> None:
        self.months_of[partnership_id] = months

    def add(self, action_id: int, due_on: date) -> int:
        if action_id in self.rows:
            raise AssertionError(f"action {action_id} has an impact check already (the table's unique key)")
        self.rows[action_id] = ImpactCheck(action_id, due_on)
        return len(self.rows)

    def for_action(self, action_id: int) -> ImpactCheck | None:
        return self.rows.get(action_id)

    def for_actions(self, action_ids: Collection[int]) -> dict[int, ImpactCheck]:
        return {i: self.rows[i] for i in action_ids if i in self.rows}

    def answer(self, check: ImpactCheck) -> bool:
        held = self.rows.get(check.action_id)
        if held is None or held.outcome is not None:
            return False
        self.rows[check.action_id] = dataclasses.replace(check, due_on=held.due_on)
        return True

    def due(
        self, partnership_id: int, by: date | None = None, *, agency_ids: Collection[int] | None = None
    ) -> list[ImpactDue]:
        found = []
        for check in sorted(self.rows.values(), key=lambda c: (c.due_on, c.action_id)):
            action = self.db.actions.rows.get(check.action_id)
            if action is None or check.outcome is not None or action.state is not State.PARTNERSHIP_ASSURED:
                continue
            review = self.db.reviews.rows[action.review_id]
            if review.partnership_id != partnership_id or (by is not None and check.due_on > by):
                continue
            if agency_ids is not None and action.agency_id not in agency_ids:
                continue
            agency = self.db.agencies.rows.get(action.agency_id)
            found.append(
                ImpactDue(
                    action.id,
                    review.ref,
                    action.ref,
                    action.agency_id,
                    agency.name if agency else "",
                    action.columns.action,
                    action.columns.success_measure,
                    check.due_on,
                )
            )
        return found

    def tally(self, partnership_id: int, today: date) -> list[ImpactTally]:
        counts: dict[tuple[int, int], list[int]] = {}
        for action in self.db.actions.rows.values():
            review = self.db.reviews.rows[action.review_id]
            if review.partnership_id != partnership_id or action.state is not State.PARTNERSHIP_ASSURED:
                continue
            c = counts.setdefault((action.review_id, action.agency_id), [0] * 6)
            check = self.rows.get(action.id)
            c[0] += 1
            if check is None:
                c[5] += 1
            elif check.outcome is ImpactOutcome.CONFIRMED:
                c[1] += 1
            elif check.outcome is ImpactOutcome.NOT_SHOWN:
                c[2] += 1
            else:
                c[3] += check.due_on >= today
                c[4] += check.due_on < today
        return [ImpactTally(r, a, *c) for (r, a), c in sorted(counts.items())]


class FakeReviewKinds:
    def __init__(self, db: FakeTx) -> None:
        self.db = db
        self.rows: dict[str, ReviewKind] = {k.key: k for k in KINDS}

    def all(self) -> list[ReviewKind]:
        return [self.rows[k] for k in sorted(self.rows)]

    def by_key(self, key: str) -> ReviewKind | None:
        return self.rows.get(key)

    def keys_by_ref(self, partnership_id: int) -> dict[str, str]:
        return {r.ref: r.kind for r in self.db.reviews.rows.values() if r.partnership_id == partnership_id}

    def keys_by_id(self, review_ids: Collection[int]) -> dict[int, str]:
        return {i: self.db.reviews.rows[i].kind for i in review_ids if i in self.db.reviews.rows}
