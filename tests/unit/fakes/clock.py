"""In-memory timer index and escalation ledger, ladders, the sweep's writer, board meetings and deputy
periods (``workflows.ports.clock``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from domain.deputies import DeputyPeriod
from domain.events import DomainEvent
from domain.ladders import ACKNOWLEDGED, DEFAULT_LADDERS, ESCALATED, CatchUp, Ladder, LadderName, LadderStep
from storage.board_cycle import Asked, Meeting
from storage.escalations import DueAction, DueReview, LedgerEntry
from storage.firings import Fire
from storage.repositories import DecisionDraft

if TYPE_CHECKING:
    from tests.unit.fakes import FakeTx


class FakeEscalations:
    def __init__(self, db: FakeTx) -> None:
        self.db = db
        self.ledger: dict[int, LedgerEntry] = {}
        """The steps fired, by id; what they join (the action, the acknowledger) is read afresh by ``entry``."""
        self.review_due: dict[int, date | None] = {}
        """The reviews' timer (``review.next_step_due_on``), by review id."""

    def fire(
        self,
        action_id: int,
        ladder: str,
        version: int,
        step: str,
        anchor: date,
        due_on: date,
        on: date,
        decision_id: int,
    ) -> int:
        """A ledger row: ``step`` fired ``on`` for the action; its id."""
        partnership_id = self.db.reviews.rows[self.db.actions.rows[action_id].review_id].partnership_id
        id_ = len(self.ledger) + 1
        fired = (id_, partnership_id, action_id, ladder, version, step, anchor, due_on, on, decision_id, None, None)
        joined = (0, "", "", 0, None, "", None, None)  # read by ``entry``
        self.ledger[id_] = LedgerEntry(*fired, *joined)
        return id_

    def entry(self, escalation_id: int) -> LedgerEntry:
        """The ledger row with its action as it is now, and who acknowledged it (``Escalations``' join)."""
        fired, db = self.ledger[escalation_id], self.db
        acknowledger = db.people.by_id(fired.acknowledged_by) if fired.acknowledged_by else None
        if fired.action_id is None:  # a step of the review's own ladder
            return dataclasses.replace(
                fired,
                review_ref=db.reviews.rows[fired.review_id].ref,
                acknowledged_by_email=acknowledger.email if acknowledger else None,
                acknowledged_by_name=acknowledger.name if acknowledger else None,
                acknowledged_note=next(
                    (
                        d.note
                        for d in db.decisions.logged()
                        if d.action_id is None
                        and d.review_id == fired.review_id
                        and d.event == ACKNOWLEDGED
                        and d.at == fired.acknowledged_at
                    ),
                    None,
                ),
            )
        action = db.actions.rows[fired.action_id]
        return dataclasses.replace(
            fired,
            review_id=action.review_id,
            review_ref=db.reviews.rows[action.review_id].ref,
            action_ref=action.ref,
            agency_id=action.agency_id,
            lead_officer_id=action.lead_officer_id,
            state=str(action.state),
            acknowledged_by_email=acknowledger.email if acknowledger else None,
            acknowledged_by_name=acknowledger.name if acknowledger else None,
            action_text=action.columns.action,
            acknowledged_note=next(
                (
                    d.note
                    for d in db.decisions.logged()
                    if d.action_id == fired.action_id and d.event == ACKNOWLEDGED and d.at == fired.acknowledged_at
                ),
                None,
            ),
        )

    def claim_due(self, today: date, after_id: int, limit: int) -> list[DueAction]:
        actions, reviews = self.db.actions, self.db.reviews
        due = sorted(i for i, day in actions.due_on.items() if day is not None and day <= today and i > after_id)
        claimed = []
        for i in due[:limit]:
            a = actions.rows[i]
            review = reviews.rows[a.review_id]
            claimed.append(
                DueAction(
                    review.partnership_id,
                    review.ref,
                    a.id,
                    a.review_id,
                    a.agency_id,
                    a.ref,
                    a.target_date,
                    a.route,
                    a.state,
                    a.lead_officer_id,
                    a.waiting_since,
                    self._impact_due(a.id),
                )
            )
        return claimed

    def _impact_due(self, action_id: int) -> date | None:
        check = self.db.impact_checks.rows.get(action_id)
        return check.due_on if check is not None and check.outcome is None else None

    def lock_chains_due(self, today: date, after_id: int) -> None:
        return None  # one transaction at a time in memory

    def fired(self, ids: Sequence[int]) -> dict[int, set[tuple[str, str, date]]]:
        found: dict[int, set[tuple[str, str, date]]] = {}
        for f in self.ledger.values():
            if f.action_id is not None and f.action_id in ids:
                found.setdefault(f.action_id, set()).add((f.ladder, f.step, f.anchor_date))
        return found

    def set_next(self, by_day: Mapping[date | None, Sequence[int]]) -> None:
        for day, action_ids in by_day.items():
            self.db.actions.due_on |= dict.fromkeys(action_ids, day)

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
        entries = [self.entry(i) for i in sorted(self.ledger, reverse=True)]
        entries = [e for e in entries if action_ids is None or e.action_id in action_ids]

        def narrowed(e: LedgerEntry) -> bool:
            if not (agency_ids or lead_officer_id is not None or checker_ladders):
                return True
            return (
                e.agency_id in agency_ids
                or (lead_officer_id is not None and e.lead_officer_id == lead_officer_id)
                or (checker_ladders and e.ladder != LadderName.LEAD_OFFICER)
            )

        def kept(e: LedgerEntry) -> bool:
            if unacknowledged and e.acknowledged_by is not None:
                return False
            return not steps or (e.ladder, e.step) in steps

        return [e for e in entries if e.partnership_id == partnership_id and narrowed(e) and kept(e)][:limit]

    def one(self, escalation_id: int) -> LedgerEntry | None:
        return self.entry(escalation_id) if escalation_id in self.ledger else None

    def acknowledge(self, escalation_id: int, person_id: int, at: datetime) -> bool:
        fired = self.ledger[escalation_id]
        if fired.acknowledged_by is not None:
            return False
        self.ledger[escalation_id] = dataclasses.replace(fired, acknowledged_by=person_id, acknowledged_at=at)
        return True

    def lock_review_chains_due(self, today: date, after_id: int) -> None:
        return None

    def claim_reviews_due(self, today: date, after_id: int, limit: int) -> list[DueReview]:
        due = sorted(i for i, day in self.review_due.items() if day is not None and day <= today and i > after_id)
        reviews = self.db.reviews.rows
        return [
            DueReview(reviews[i].partnership_id, i, reviews[i].ref, reviews[i].imported_on, reviews[i].status)
            for i in due[:limit]
        ]

    def fired_for_reviews(self, ids: Sequence[int]) -> dict[int, set[tuple[str, str, date]]]:
        found: dict[int, set[tuple[str, str, date]]] = {}
        for f in self.ledger.values():
            if f.action_id is None and f.review_id in ids:
                found.setdefault(f.review_id, set()).add((f.ladder, f.step, f.anchor_date))
        return found

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
        once = (review_id, str(ladder.name), step.key, anchor)
        fired = {(f.review_id, f.ladder, f.step, f.anchor_date) for f in self.ledger.values() if f.action_id is None}
        assert once not in fired, "a step fires once per review and anchor date (a unique index)"
        id_ = len(self.ledger) + 1
        row = (id_, partnership_id, None, str(ladder.name), ladder.version, step.key, anchor, due_on, fired_on)
        self.ledger[id_] = LedgerEntry(*row, decision_id, None, None, review_id, "", "", None, None, "", None, None)
        return id_

    def set_next_reviews(self, by_day: Mapping[date | None, Sequence[int]]) -> None:
        for day, review_ids in by_day.items():
            self.review_due |= dict.fromkeys(review_ids, day)

    def recheck(self, partnership_id: int, on: date) -> int:
        for review in self.db.reviews.rows.values():
            if review.partnership_id == partnership_id and review.imported_on and review.status != "signed_off":
                self.review_due[review.id] = on
        actions = self.db.actions
        running = [
            i
            for i, a in actions.rows.items()
            if self.db.reviews.rows[a.review_id].partnership_id == partnership_id
            and (not a.state.is_final or self._impact_due(i) is not None)
        ]
        actions.due_on |= dict.fromkeys(running, on)
        return len(running)


class FakeLadders:
    def __init__(self) -> None:
        self.versions: dict[int, list[Ladder]] = {}
        self.catch_ups: dict[int, CatchUp] = {}
        self.broken: dict[int, Exception] = {}
        """Partnerships whose stored ladders no longer read: ``in_force`` raises this."""

    def in_force(self, partnership_id: int) -> dict[LadderName, Ladder]:
        if partnership_id in self.broken:
            raise self.broken[partnership_id]
        ladders = dict(DEFAULT_LADDERS)
        for ladder in self.versions.get(partnership_id, []):
            ladders[ladder.name] = ladder
        return ladders

    def history(self, partnership_id: int) -> dict[tuple[LadderName, int], Ladder]:
        found = {(ladder.name, ladder.version): ladder for ladder in DEFAULT_LADDERS.values()}
        return found | {(ladder.name, ladder.version): ladder for ladder in self.versions.get(partnership_id, [])}

    def add_version(self, partnership_id: int, ladder: Ladder, at: datetime) -> Ladder:
        version = max((v for name, v in self.history(partnership_id) if name == ladder.name), default=0) + 1
        stored = Ladder(ladder.name, ladder.anchor, ladder.steps, version)
        self.versions.setdefault(partnership_id, []).append(stored)
        return stored

    def catch_up(self, partnership_id: int) -> CatchUp:
        return self.catch_ups.get(partnership_id, CatchUp.HIGHEST_ONLY)

    def set_catch_up(self, partnership_id: int, catch_up: CatchUp) -> None:
        self.catch_ups[partnership_id] = catch_up


class FakeFirings:
    """The sweep's writer done the ordinary way: a decision, a ledger row and the outbox rows per firing."""

    def __init__(self, db: FakeTx) -> None:
        self.db = db

    def record(self, firings: Sequence[Fire], *, at: datetime, today: date, actor_name: str, actor_role: str) -> None:
        db = self.db
        for action_id, action_ref, review_id, review_ref, step in firings:
            draft = DecisionDraft(
                step.partnership_id,
                actor_name,
                actor_role,
                ESCALATED,
                at,
                review_id=review_id,
                review_ref=review_ref,
                action_id=action_id,
                action_ref=action_ref,
                from_state=step.state,
                to_state=step.state,
                payload=dict(step.payload),
            )
            decision_id = db.decisions.append(draft)
            once = (action_id, step.ladder, step.step, step.anchor_date)
            fired = {(f.action_id, f.ladder, f.step, f.anchor_date) for f in db.escalations.ledger.values()}
            assert once not in fired, "a step fires once per action and anchor date (a unique key)"
            db.escalations.fire(
                action_id,
                step.ladder,
                step.ladder_version,
                step.step,
                step.anchor_date,
                step.due_on,
                today,
                decision_id,
            )
            event = DomainEvent(step.kind, action_id, action_ref, step.recipients)
            db.outbox.add_for_events(step.partnership_id, review_id, decision_id, [event], at)


class FakeBoardMeetings:
    def __init__(self, db: FakeTx) -> None:
        self.db = db
        self.meetings: dict[int, Meeting] = {}
        self.removed: set[int] = set()
        self.asks: list[tuple[int, int, str, date, int]] = []
        """(meeting, person, kind, sent on, decision id) per ask."""

    def add(self, partnership_id: int, meets_on: date, at: datetime) -> int:
        found = next(
            (m.id for m in self.meetings.values() if (m.partnership_id, m.meets_on) == (partnership_id, meets_on)), None
        )
        if found is not None:
            self.removed.discard(found)
            return found
        id_ = len(self.meetings) + 1
        self.meetings[id_] = Meeting(id_, partnership_id, meets_on)
        return id_

    def remove(self, partnership_id: int, meets_on: date, at: datetime) -> int | None:
        for m in self.meetings.values():
            if (m.partnership_id, m.meets_on) == (partnership_id, meets_on) and m.id not in self.removed:
                self.removed.add(m.id)
                return m.id
        return None

    def listing(self, partnership_ids: Collection[int], from_day: date | None = None) -> list[Meeting]:
        found = [
            m
            for m in self.meetings.values()
            if m.partnership_id in partnership_ids
            and m.id not in self.removed
            and (from_day is None or m.meets_on >= from_day)
        ]
        return sorted(found, key=lambda m: m.meets_on)

    def asked(self, meeting_id: int) -> list[Asked]:
        seq = {d.id: d.seq for d in self.db.decisions.logged()}
        return [Asked(p, kind, on, seq[d]) for m, p, kind, on, d in self.asks if m == meeting_id]

    def record_ask(self, meeting_id: int, person_id: int, kind: str, sent_on: date, decision_id: int) -> None:
        assert all(a[:3] != (meeting_id, person_id, kind) for a in self.asks), "one ask per meeting, person and kind"
        self.asks.append((meeting_id, person_id, kind, sent_on, decision_id))

    def answered(self, partnership_id: int, since: dict[int, int], events: Collection[str]) -> set[int]:
        done = set()
        for d in self.db.decisions.logged():
            who = d.on_behalf_of_id if d.on_behalf_of_id is not None else d.actor_id
            if d.partnership_id == partnership_id and d.event in events and who in since and d.seq > since[who]:
                done.add(who)
        return done

    def outbox_key_taken(self, key: str) -> bool:
        return any(r.entry.idempotency_key == key for r in self.db.outbox.rows.values())


class FakeDeputies:
    def __init__(self) -> None:
        self.periods: dict[int, DeputyPeriod] = {}
        self.partnership: dict[int, int] = {}

    def put(self, partnership_id: int, period: DeputyPeriod) -> DeputyPeriod:
        self.periods[period.id] = period
        self.partnership[period.id] = partnership_id
        return period

    def add(self, partnership_id: int, period: DeputyPeriod, named_by: int, at: datetime) -> int:
        id_ = len(self.periods) + 1
        self.put(partnership_id, dataclasses.replace(period, id=id_))
        return id_

    def end(self, period_id: int, by: int, at: datetime) -> bool:
        period = self.periods[period_id]
        self.periods[period_id] = dataclasses.replace(period, ended=True)
        return not period.ended

    def one(self, partnership_id: int, period_id: int) -> DeputyPeriod | None:
        return self.periods.get(period_id) if self.partnership.get(period_id) == partnership_id else None

    def of_principal(self, principal_id: int) -> list[DeputyPeriod]:
        return sorted((p for p in self.periods.values() if p.principal_id == principal_id), key=lambda p: p.starts_on)

    def of_deputy(self, deputy_id: int) -> list[DeputyPeriod]:
        return sorted((p for p in self.periods.values() if p.deputy_id == deputy_id), key=lambda p: p.starts_on)

    def standing_in(self, deputy_id: int, day: date) -> list[DeputyPeriod]:
        return [p for p in self.periods.values() if p.deputy_id == deputy_id and p.covers(day)]

    def in_force(self, partnership_ids: list[int], day: date) -> dict[int, list[int]]:
        found: dict[int, list[int]] = {}
        for i, p in self.periods.items():
            if self.partnership[i] in partnership_ids and p.covers(day):
                found.setdefault(p.principal_id, []).append(p.deputy_id)
        return found

    def listing(self, partnership_id: int, since: date, person_id: int | None = None) -> list[DeputyPeriod]:
        found = [
            p
            for i, p in self.periods.items()
            if self.partnership[i] == partnership_id
            and p.ends_on >= since
            and not p.ended
            and person_id in (None, p.principal_id, p.deputy_id)
        ]
        return sorted(found, key=lambda p: (p.starts_on, p.id))
