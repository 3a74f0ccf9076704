"""The daily sweep: fire every ladder step that has fallen due, once, and move the timer index on.

Cost grows with what is due, not with all actions: the sweep reads only actions
whose ``next_step_due_on`` has come (an index range), in id batches of one
transaction each. In a batch it works out each action's ladder, fires the due
steps (ledger row, decision, outbox rows, together) and sets the day the action
must next be looked at. A dry run does the same and rolls every batch back.

Reviews have a ladder of their own (``report_submission``: the report owed to the quality assurer, counted
from the plan's import; ``domain.milestone_ladder``). Before the actions, a review pass does the same for the
reviews whose own timer (``review.next_step_due_on``) has come: few, so each firing is written the ordinary
way, a decision (``escalated``, about the review and no action), a ledger row keyed on the review, and the
outbox rows for whom the step tells.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from domain.errors import DomainError
from domain.events import Recipient
from domain.ladders import (
    AGENCY_DIRECTOR,
    ALSO_TOLD,
    ESCALATED,
    Anchor,
    CatchUp,
    Ladder,
    LadderName,
    LadderStep,
    ladder_in,
)
from domain.milestone_ladder import CHASES, due_day, review_ladder
from domain.milestones import label
from domain.model import ReviewStatus, Route
from domain.roles import Role
from domain.states import State
from domain.working_days import WorkingCalendar
from storage.escalations import DueAction, DueReview
from storage.firings import Fire, StepFiring
from storage.outbox import OutboxEntry
from storage.repositories import DecisionDraft, outbox_key_suffix
from workflows.context import SYSTEM_ACTOR, partnership_names
from workflows.isolation import DATA_ERRORS, Failure, failure, named
from workflows.ports import Tx, UowFactory
from workflows.runtime.clock import Clock
from workflows.runtime.observability import get_logger

log = get_logger(__name__)

BATCH = 2000
FAILURES_KEPT = 100
"""Failures a sweep lists (and logs) in full; beyond, it counts them."""


@dataclass(frozen=True)
class Firing:
    review_ref: str
    action_ref: str
    """Empty for a step of the review's own ladder."""
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
    reviews_examined: int = 0
    """Reviews whose own ladder (``report_submission``) was due a look."""
    batches: int = 0
    fired_count: int = 0
    fired: list[Firing] = field(default_factory=list)
    """The first ``keep`` steps fired (all of them, up to the sweep's ``keep``); ``fired_count`` counts all."""
    keep: int = 10_000
    failures: list[Failure] = field(default_factory=list)
    """Actions whose ladder could not be worked out (their partnership's data is broken); the rest were swept.
    The first ``FAILURES_KEPT`` of them; ``failed_count`` counts all."""
    failed_count: int = 0
    skipped: str = ""
    """Why nothing was swept (a weekend or a bank holiday: the scheduled flow sweeps working days only)."""


_Settings = dict[int, tuple[dict[LadderName, Ladder], CatchUp]]


@dataclass(frozen=True)
class _Step:
    """A step due from an anchor date, and its ``StepFiring`` for each state and people told (made once)."""

    ladder: Ladder
    step: LadderStep
    """As it fires: on a catch-up, telling also whom the escalations passed over would have told."""
    anchor: date
    due_on: date
    payload: dict[str, Any]
    firings: dict[tuple[State, int, int | None], StepFiring] = field(default_factory=dict)


_Climb = tuple[tuple[_Step, ...], date | None]
"""The steps an action fires today and when to look at it next."""

_Track = tuple[int, State, Route, date | None, date | None, date | None]
"""What an action's climb depends on besides the steps already fired: its partnership (and so its
ladders), state, route, target date, the day its evidence arrived and the day its impact check is due."""


@dataclass
class _Memo:
    """What a sweep works out once and reuses: actions share target dates, and so their ladders.

    Keyed by partnership, ladder, anchor date and steps already fired, the climb
    (steps due today, their days, the next day to look) is the same calendar
    arithmetic for every action that shares them. ``fresh`` is the common case,
    an action with nothing fired yet, in one look-up.
    """

    settings: _Settings = field(default_factory=dict)
    broken: dict[int, Exception] = field(default_factory=dict)
    """Partnerships whose ladders could not be read: their actions fail at once, without reading them again."""
    climbs: dict[tuple[int, LadderName, date, frozenset[str]], _Climb] = field(default_factory=dict)
    fresh: dict[_Track, _Climb] = field(default_factory=dict)


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
            last = await uow.run(_sweep_reviews, today, after, batch, calendar, at, memo, report)
            if not dry_run:
                await uow.commit()
        if last is None:
            break
        after = last
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
    if report.failures:
        async with uow_factory() as uow:
            names = await uow.run(partnership_names)
        report.failures = named(report.failures, names)
    log.info(
        "sweep_done",
        today=today.isoformat(),
        examined=report.examined,
        reviews_examined=report.reviews_examined,
        fired=report.fired_count,
        failed=report.failed_count,
        dry_run=dry_run,
    )
    return report


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
    with _collector_paused():
        return _sweep_batch_body(tx, today, after, batch, calendar, at, memo, report)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the while.

    Why: a batch makes several tuples per firing and holds them until its inserts,
    so the collector's passes, triggered by allocations, kept walking them: 15% of
    a catch-up's time. None of them is in a reference cycle, so reference counting
    frees them all the same; a cycle made meanwhile waits for the next pass.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _sweep_batch_body(
    tx: Tx,
    today: date,
    after: int,
    batch: int,
    calendar: WorkingCalendar,
    at: datetime,
    memo: _Memo,
    report: SweepReport,
) -> int | None:
    tx.escalations.lock_chains_due(today, after)
    claimed = tx.escalations.claim_due(today, after, batch)
    if not claimed:
        return None
    fired = tx.escalations.fired([c.id for c in claimed])
    next_due: defaultdict[date | None, list[int]] = defaultdict(list)
    firings: list[Fire] = []
    keep = report.keep - len(report.fired)
    for c in claimed:
        track = (c.partnership_id, c.state, c.route, c.target_date, c.waiting_since, c.impact_due_on)
        done = fired.get(c.id)
        climb = memo.fresh.get(track) if done is None else None
        if climb is None:
            try:
                climb = _climb(tx, track, done, today, calendar, memo)
            except DATA_ERRORS as error:  # this partnership's data, not the sweep
                report.failed_count += 1
                if len(report.failures) < FAILURES_KEPT:
                    where = f"review {c.review_ref} action {c.ref}"
                    report.failures.append(failure(c.partnership_id, where, error))
                continue  # its timer stays: the next sweep tries again, once the data is mended
        steps, next_due_on = climb
        next_due[next_due_on].append(c.id)
        for s in steps:
            step = s.firings.get((c.state, c.agency_id, c.lead_officer_id))
            if step is None:
                step = _step_firing(s, c)
            firings.append((c.id, c.ref, c.review_id, c.review_ref, step))
            if keep > 0:
                keep -= 1
                report.fired.append(
                    Firing(
                        c.review_ref, c.ref, s.ladder.name, s.step.key, s.step.kind, s.anchor, s.due_on, s.step.notify
                    )
                )
    tx.firings.record(firings, at=at, today=today, actor_name=SYSTEM_ACTOR, actor_role="system")
    tx.escalations.set_next(next_due)
    report.examined += len(claimed)
    report.fired_count += len(firings)
    return claimed[-1].id if len(claimed) == batch else None


def _sweep_reviews(
    tx: Tx,
    today: date,
    after: int,
    batch: int,
    calendar: WorkingCalendar,
    at: datetime,
    memo: _Memo,
    report: SweepReport,
) -> int | None:
    """One batch of reviews whose own ladder is due a look, in one transaction; returns the last id examined
    (``None`` after the last batch). A review whose ladder has stopped (its submission or publication
    recorded, or signed off) fires nothing and is not looked at again."""
    tx.escalations.lock_review_chains_due(today, after)
    claimed = tx.escalations.claim_reviews_due(today, after, batch)
    if not claimed:
        return None
    ids = [r.id for r in claimed]
    fired = tx.escalations.fired_for_reviews(ids)
    recorded = tx.milestones.for_reviews(ids)
    words = tx.milestones.kind_words(ids)
    next_due: defaultdict[date | None, list[int]] = defaultdict(list)
    for r in claimed:
        done = {m.milestone for m in recorded.get(r.id, [])}
        name = review_ladder(r.imported_on, r.status is ReviewStatus.SIGNED_OFF, done)
        if name is None or r.imported_on is None:
            next_due[None].append(r.id)
            continue
        try:
            ladders, catch_up = _settings(tx, r.partnership_id, memo)
        except DATA_ERRORS as error:  # this partnership's data, not the sweep
            report.failed_count += 1
            if len(report.failures) < FAILURES_KEPT:
                report.failures.append(failure(r.partnership_id, f"review {r.ref}", error))
            continue  # its timer stays: the next sweep tries again, once the data is mended
        ladder, anchor = ladders[name], r.imported_on
        steps_done = frozenset(step for (lad, step, day) in fired.get(r.id, ()) if lad == name and day == anchor)
        steps, next_due_on = _climb_ladder(ladder, anchor, steps_done, today, calendar, catch_up)
        milestone = CHASES[name]
        shown = label(milestone, words[r.id]) if r.id in words else str(milestone)
        milestone_due = due_day(ladder, anchor, calendar).isoformat()
        for s in steps:
            payload = s.payload | {
                "milestone": str(milestone),
                "milestone_label": shown,
                "milestone_due_on": milestone_due,
            }
            _fire_for_review(tx, r, s, payload, at, today)
            report.fired_count += 1
            if len(report.fired) < report.keep:
                report.fired.append(Firing(r.ref, "", name, s.step.key, s.step.kind, anchor, s.due_on, s.step.notify))
        next_due[next_due_on].append(r.id)
    tx.escalations.set_next_reviews(next_due)
    report.reviews_examined += len(claimed)
    return claimed[-1].id if len(claimed) == batch else None


def _fire_for_review(tx: Tx, r: DueReview, s: _Step, payload: dict[str, Any], at: datetime, today: date) -> None:
    """A step of the review's own ladder: its decision (about the review, no action), its ledger row and one
    outbox row for each role it tells (the partnership's people holding it, resolved when it is sent)."""
    draft = DecisionDraft(
        r.partnership_id, SYSTEM_ACTOR, "system", ESCALATED, at, review_id=r.id, review_ref=r.ref, payload=payload
    )
    decision_id = tx.decisions.append(draft)
    tx.escalations.record_review_step(r.partnership_id, r.id, s.ladder, s.step, s.anchor, s.due_on, today, decision_id)
    tx.outbox.queue(
        [
            OutboxEntry(
                f"decision:{decision_id}{outbox_key_suffix(s.step.kind, Recipient(role))}",
                r.partnership_id,
                decision_id,
                s.step.kind,
                str(role),
                at,
                review_id=r.id,
            )
            for role in s.step.notify
        ]
    )


def _settings(tx: Tx, partnership_id: int, memo: _Memo) -> tuple[dict[LadderName, Ladder], CatchUp]:
    """The partnership's ladders in force and catch-up rule, read once a sweep (a partnership whose ladders do
    not read fails at once thereafter)."""
    if partnership_id in memo.broken:
        raise memo.broken[partnership_id]
    if partnership_id not in memo.settings:
        try:
            memo.settings[partnership_id] = (tx.ladders.in_force(partnership_id), tx.ladders.catch_up(partnership_id))
        except DomainError as error:
            memo.broken[partnership_id] = error
            raise
    return memo.settings[partnership_id]


def _climb(
    tx: Tx,
    track: _Track,
    fired: set[tuple[str, str, date]] | None,
    today: date,
    calendar: WorkingCalendar,
    memo: _Memo,
) -> _Climb:
    """The steps an action on ``track`` fires today and when to look at it next, given the steps
    already ``fired`` for it (ladder, step, anchor date)."""
    partnership_id, state, route, target_date, waiting_since, impact_due_on = track
    ladders, catch_up = _settings(tx, partnership_id, memo)
    climb: _Climb = ((), None)  # closed, or no readable date to count from (its RAG says so): nothing to climb
    name = ladder_in(state, route, impact_due_on is not None)
    if name is not None:
        ladder = ladders[name]
        anchor = {Anchor.TARGET_DATE: target_date, Anchor.WAITING_SINCE: waiting_since}.get(
            ladder.anchor, impact_due_on
        )
        if anchor is not None:
            done = frozenset(step for (lad, step, anchor_date) in fired or () if lad == name and anchor_date == anchor)
            key = (partnership_id, name, anchor, done)
            if key not in memo.climbs:
                memo.climbs[key] = _climb_ladder(ladder, anchor, done, today, calendar, catch_up)
            climb = memo.climbs[key]
    if fired is None:
        memo.fresh[track] = climb
    return climb


def _climb_ladder(
    ladder: Ladder, anchor: date, done: frozenset[str], today: date, calendar: WorkingCalendar, catch_up: CatchUp
) -> _Climb:
    climb = ladder.climb(anchor, today, calendar, done, catch_up)
    due = []
    for step in climb.fires:
        day = ladder.due_on(step, anchor, calendar)
        payload = _payload(ladder, step, anchor, day)
        if climb.passed_over:
            payload["passed_over"] = [s.key for s in climb.passed_over]
        if climb.also_told:
            payload[ALSO_TOLD] = [str(r) for r in climb.also_told]
            step = replace(step, notify=step.notify + climb.also_told)
        due.append(_Step(ladder, step, anchor, day, payload))
    return tuple(due), ladder.next_due_on(anchor, calendar, done | {s.key for s in climb.fires})


def _payload(ladder: Ladder, step: LadderStep, anchor: date, due_on: date) -> dict[str, Any]:
    """The decision's payload: what fired, from which anchor, due when, telling whom (the step's own roles;
    on a catch-up, ``passed_over`` names the steps that will not fire and ``also_told`` whom they would have
    told)."""
    return {
        "ladder": str(ladder.name),
        "ladder_version": ladder.version,
        "step": step.key,
        "kind": step.kind,
        "anchor_date": anchor.isoformat(),
        "due_on": due_on.isoformat(),
        "notify": [str(r) for r in step.notify],
    }


def _step_firing(s: _Step, c: DueAction) -> StepFiring:
    """What the firings of step ``s`` share for actions like ``c`` (its state, agency and lead officer)."""
    recipients = tuple(_recipient(role, c.agency_id, c.lead_officer_id, s.ladder.name) for role in s.step.notify)
    firing = StepFiring(
        partnership_id=c.partnership_id,
        ladder=str(s.ladder.name),
        ladder_version=s.ladder.version,
        step=s.step.key,
        kind=s.step.kind,
        anchor_date=s.anchor,
        due_on=s.due_on,
        state=str(c.state),
        payload=s.payload,
        recipients=recipients,
    )
    s.firings[c.state, c.agency_id, c.lead_officer_id] = firing
    return firing


def _recipient(role: Role, agency_id: int, lead_officer_id: int | None, ladder: LadderName) -> Recipient:
    """Who ``role`` is for an action of the agency: its own agency's people on the lead officer's ladder."""
    if role is Role.LEAD_OFFICER:
        return Recipient(role, agency_id, lead_officer_id)
    if role is Role.DIRECTOR and ladder in AGENCY_DIRECTOR:
        return Recipient(role, agency_id)
    # The impact check asks the action's own agency to show practice changed: its director, as above.
    # A checker ladder's director is the commissioners' own (resolved when the message is sent).
    return Recipient(role)
