"""The daily sweep: fire every ladder step that has fallen due, once, and move the timer index on.

Cost grows with what is due, not with all actions: the sweep reads only actions
whose ``next_step_due_on`` has come (an index range), in id batches of one
transaction each. In a batch it works out each action's ladder, fires the due
steps (ledger row, decision, outbox rows, together) and sets the day the action
must next be looked at. A dry run does the same and rolls every batch back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import structlog

from domain.calendar import WorkingCalendar
from domain.events import DomainEvent, Recipient
from domain.ladder import ESCALATED, Anchor, CatchUp, Ladder, LadderName, LadderStep, ladder_for
from domain.model import Action
from domain.roles import Role
from storage.repositories import DecisionDraft, outbox_rows
from storage.uow import Tx
from workflows.attribution import SYSTEM_ACTOR
from workflows.clock import Clock
from workflows.unit_of_work import UowFactory

log = structlog.get_logger(__name__)

BATCH = 2000


@dataclass(frozen=True)
class Firing:
    review_ref: str
    action_ref: str
    ladder: LadderName
    step: str
    kind: str
    anchor_date: date
    due_on: date
    notify: tuple[Role, ...]

    def to_json(self) -> dict[str, Any]:
        return self.__dict__ | {
            "anchor_date": self.anchor_date.isoformat(),
            "due_on": self.due_on.isoformat(),
            "notify": [str(r) for r in self.notify],
        }


@dataclass
class SweepReport:
    today: date
    dry_run: bool
    examined: int = 0
    batches: int = 0
    fired_count: int = 0
    fired: list[Firing] = field(default_factory=list)
    """The first ``keep`` steps fired (all of them, up to the sweep's ``keep``); ``fired_count`` counts all."""
    keep: int = 10_000


_Settings = dict[int, tuple[dict[LadderName, Ladder], CatchUp]]


@dataclass
class _Memo:
    """What a sweep works out once and reuses: actions share target dates, and so their ladders.

    Keyed by partnership, ladder, anchor date and steps already fired, the climb
    (steps due today, their days, the next day to look) is the same calendar
    arithmetic for every action that shares them; a step fired from one anchor
    date has one payload.
    """

    settings: _Settings = field(default_factory=dict)
    climbs: dict[tuple[int, LadderName, date, frozenset[str]], _Climb] = field(default_factory=dict)
    payloads: dict[tuple[int, LadderName, str, date], dict[str, Any]] = field(default_factory=dict)
    recipients: dict[tuple[int, LadderName, str, int, int | None], tuple[Recipient, ...]] = field(default_factory=dict)


async def sweep(
    today: date,
    *,
    uow_factory: UowFactory,
    clock: Clock,
    calendar: WorkingCalendar,
    dry_run: bool = False,
    batch: int = BATCH,
    keep: int = 10_000,
) -> SweepReport:
    """Fire what is due on ``today``; with ``dry_run`` say what would fire and write nothing.

    The report lists the first ``keep`` steps fired and counts them all, so a
    catch-up over a million actions does not hold a million of them in memory.
    """
    report = SweepReport(today, dry_run, keep=keep)
    memo = _Memo()
    after = 0
    while True:
        at = clock.now()
        async with uow_factory() as uow:
            last = await uow.run(_sweep_batch, today, after, batch, calendar, at, memo, report)
            if not dry_run:
                await uow.commit()
        report.batches += 1
        if last is None:
            break
        after = last
    log.info("sweep_done", today=today.isoformat(), examined=report.examined, fired=report.fired_count, dry_run=dry_run)
    return report


@dataclass(frozen=True)
class _Due:
    partnership_id: int
    review_ref: str
    action: Action
    ladder: Ladder
    step: LadderStep
    anchor: date
    due_on: date


_Climb = tuple[tuple[tuple[Ladder, LadderStep, date, date], ...], date | None]
"""The steps an action fires today (ladder, step, anchor, due on) and when to look at it next."""


def _sweep_batch(
    tx: Tx,
    today: date,
    after: int,
    batch: int,
    calendar: WorkingCalendar,
    at: datetime,
    memo: _Memo,
    report: SweepReport,
) -> int | None:
    """One batch in one transaction, in a constant number of statements; returns the last id examined
    (``None`` after the last batch)."""
    tx.escalations.lock_chains_due(today, after)
    claimed = tx.escalations.claim_due(today, after, batch)
    if not claimed:
        return None
    fired = tx.escalations.fired([c.action.id for c in claimed])
    next_due: dict[int, date | None] = {}
    due: list[_Due] = []
    settings = memo.settings
    for partnership_id, review_ref, action in claimed:
        if partnership_id not in settings:
            settings[partnership_id] = (tx.ladders.in_force(partnership_id), tx.ladders.catch_up(partnership_id))
        ladders, catch_up = settings[partnership_id]
        steps, next_due[action.id] = _climb(
            partnership_id, action, ladders, catch_up, fired.get(action.id, _NOTHING_FIRED), today, calendar, memo
        )
        due += [_Due(partnership_id, review_ref, action, *step) for step in steps]
    _fire(tx, due, today, at, memo)
    tx.escalations.set_next(next_due)
    report.examined += len(claimed)
    report.fired_count += len(due)
    report.fired += [
        Firing(d.review_ref, d.action.ref, d.ladder.name, d.step.key, d.step.kind, d.anchor, d.due_on, d.step.notify)
        for d in due[: max(0, report.keep - len(report.fired))]
    ]
    return claimed[-1].action.id if len(claimed) == batch else None


_NOTHING_FIRED: set[tuple[str, str, date]] = set()


def _climb(
    partnership_id: int,
    action: Action,
    ladders: dict[LadderName, Ladder],
    catch_up: CatchUp,
    fired: set[tuple[str, str, date]],
    today: date,
    calendar: WorkingCalendar,
    memo: _Memo,
) -> _Climb:
    """The steps ``action`` fires today (ladder, step, anchor, due on) and when to look at it next."""
    name = ladder_for(action)
    if name is None:
        return (), None
    ladder = ladders[name]
    anchor = action.target_date if ladder.anchor is Anchor.TARGET_DATE else action.waiting_since
    if anchor is None:
        return (), None  # no readable target date: nothing to count from (its RAG says so)
    done = frozenset(step for (lad, step, anchor_date) in fired if lad == name and anchor_date == anchor)
    key = (partnership_id, name, anchor, done)
    climb = memo.climbs.get(key)
    if climb is None:
        steps = ladder.due(anchor, today, calendar, done, catch_up)
        now_done = done | {s.key for s in steps}
        climb = memo.climbs[key] = (
            tuple((ladder, s, anchor, ladder.due_on(s, anchor, calendar)) for s in steps),
            ladder.next_due_on(anchor, calendar, now_done),
        )
    return climb


def _fire(tx: Tx, due: list[_Due], today: date, at: datetime, memo: _Memo) -> None:
    """Decisions, ledger rows and outbox rows for every step due, a few statements for them all."""
    states = {state: str(state) for state in {d.action.state for d in due}}
    drafts = [
        DecisionDraft(
            partnership_id=d.partnership_id,
            actor_name=SYSTEM_ACTOR,
            actor_role="system",
            event=ESCALATED,
            at=at,
            review_id=d.action.review_id,
            review_ref=d.review_ref,
            action_id=d.action.id,
            action_ref=d.action.ref,
            from_state=states[d.action.state],
            to_state=states[d.action.state],
            payload=_payload(d, memo),
        )
        for d in due
    ]
    decision_ids = tx.decisions.append_many(drafts)
    ledger = []
    messages: list[dict[str, Any]] = []
    for d, decision_id in zip(due, decision_ids, strict=True):
        ledger.append(
            {
                "partnership_id": d.partnership_id,
                "action_id": d.action.id,
                "ladder": str(d.ladder.name),
                "ladder_version": d.ladder.version,
                "step": d.step.key,
                "anchor_date": d.anchor,
                "due_on": d.due_on,
                "fired_on": today,
                "decision_id": decision_id,
            }
        )
        event = DomainEvent(d.step.kind, d.action.id, d.action.ref, _recipients(d, memo))
        messages += outbox_rows(d.partnership_id, d.action.review_id, decision_id, [event], at)
    tx.escalations.record_many(ledger)
    tx.outbox.add_rows(messages)


def _payload(d: _Due, memo: _Memo) -> dict[str, Any]:
    """The decision's payload; one object for every firing of a step from one anchor date, so the
    log serialises it once (``Decisions.append_many``). Read only."""
    key = (d.partnership_id, d.ladder.name, d.step.key, d.anchor)
    payload = memo.payloads.get(key)
    if payload is None:
        payload = memo.payloads[key] = {
            "ladder": str(d.ladder.name),
            "ladder_version": d.ladder.version,
            "step": d.step.key,
            "kind": d.step.kind,
            "anchor_date": d.anchor.isoformat(),
            "due_on": d.due_on.isoformat(),
            "notify": [str(r) for r in d.step.notify],
        }
    return payload


def _recipients(d: _Due, memo: _Memo) -> tuple[Recipient, ...]:
    """Who the step tells about this action (the same people for every action of an agency and lead)."""
    key = (d.partnership_id, d.ladder.name, d.step.key, d.action.agency_id, d.action.lead_officer_id)
    recipients = memo.recipients.get(key)
    if recipients is None:
        recipients = memo.recipients[key] = tuple(_recipient(role, d.action, d.ladder.name) for role in d.step.notify)
    return recipients


def _recipient(role: Role, action: Action, ladder: LadderName) -> Recipient:
    """Who ``role`` is for this action: its own agency's people on the lead officer's ladder."""
    if role is Role.LEAD_OFFICER:
        return Recipient(role, action.agency_id, action.lead_officer_id)
    if role is Role.DIRECTOR and ladder is LadderName.LEAD_OFFICER:
        return Recipient(role, action.agency_id)
    # A checker ladder's director is the commissioners' own (resolved when the message is sent).
    return Recipient(role)
