"""The sweep on real databases: each step fires once, on the right working day, and never twice."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from documents.importer import read_plan
from domain.ladders import LadderName
from domain.states import Event
from storage.tables import DecisionRow, EscalationRow, OutboxRow
from tests.integration.helpers import COMMISSIONER, LEAD, seed
from workflows.commands.import_plan import import_plan
from workflows.commands.sweep import Firing, sweep
from workflows.commands.transitions import TransitionCommand, take_transition
from workflows.context import ActionKey
from workflows.queries.log import verify_log
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import App
from workflows.runtime.working_days import england_and_wales

CAL = england_and_wales()


async def run_sweep(app: App, day: date, *, dry_run: bool = False, batch: int = 2000) -> list[Firing]:
    report = await sweep(day, uow_factory=app.uow, clock=app.clock, calendar=CAL, dry_run=dry_run, batch=batch)
    return report.fired


async def count(app: App, column: object) -> int:
    async with app.reader() as uow:
        return int((await uow.connection.execute(select(func.count(column)))).scalar_one())  # type: ignore[call-overload]


async def test_a_plan_found_far_overdue_fires_each_actions_highest_step_once(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    today = date(2026, 11, 26)
    preview = await run_sweep(app, today, dry_run=True)
    assert await count(app, EscalationRow.id) == 0
    fired = await run_sweep(app, today)
    assert fired == preview
    assert Counter(f.step for f in fired if f.action_ref) == {"partnership": 13}
    # The review's own ladder too: its report, owed since long before, escalated once (the highest step).
    assert [(f.ladder, f.step) for f in fired if not f.action_ref] == [(LadderName.REPORT_SUBMISSION, "escalation")]
    assert await run_sweep(app, today) == []
    assert await run_sweep(app, today + timedelta(days=30)) == []
    assert await count(app, EscalationRow.id) == 13 + 1
    # To the partnership, and to the director the catch-up passed over; the review's to the partnership and
    # the coordinator.
    assert await count(app, OutboxRow.id) == 26 + 2
    [log] = await verify_log(app.reader)
    assert log.ok, log.problems


async def test_a_year_of_daily_sweeps_fires_every_step_on_its_working_day(app: App, seed_plan: Path) -> None:
    assert isinstance(app.clock, FixedClock)
    app.clock.at = datetime(2012, 12, 3, 7, 0, tzinfo=UTC)
    await import_plan(read_plan(seed_plan), uow_factory=app.uow, clock=app.clock)
    fired: list[tuple[str, str, date]] = []
    day = date(2012, 12, 3)
    while day <= date(2014, 7, 31):
        if CAL.is_working_day(day):  # the schedule runs on working days only
            app.clock.at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=7)
            fired += [(f.action_ref, f.step, day) for f in await run_sweep(app, day)]
            assert all(f.due_on == day for f in await run_sweep(app, day, dry_run=True))
        day += timedelta(days=1)
    by_action: dict[str, dict[str, date]] = {}
    for ref, step, on in fired:
        assert step not in by_action.setdefault(ref, {}), f"{ref} {step} fired twice"
        by_action[ref][step] = on
    assert by_action["3.1.1"] == {  # target 30 April 2014: Easter, Early May and Spring bank holidays
        "reminder": date(2014, 4, 14),
        "overdue": date(2014, 4, 30),
        "director": date(2014, 5, 8),
        "partnership": date(2014, 5, 30),
    }
    assert by_action["3.2.1"] == {  # target 31 January 2013
        "reminder": date(2013, 1, 17),
        "overdue": date(2013, 1, 31),
        "director": date(2013, 2, 7),
        "partnership": date(2013, 2, 28),
    }
    assert by_action.pop("") == {  # the review's own: its report, counted from the import on 3 December 2012
        "reminder": date(2013, 1, 3),
        "overdue": date(2013, 1, 31),
        "escalation": date(2013, 2, 28),
    }
    assert len(by_action) == 13
    assert all(len(steps) == 4 for steps in by_action.values())
    [log] = await verify_log(app.reader)
    assert log.ok, log.problems


async def test_the_dry_run_and_the_sweep_agree_day_by_day(app: App, seed_plan: Path) -> None:
    assert isinstance(app.clock, FixedClock)
    app.clock.at = datetime(2013, 9, 2, 7, 0, tzinfo=UTC)
    await import_plan(read_plan(seed_plan), uow_factory=app.uow, clock=app.clock)
    for day in (date(2013, 9, 2), date(2013, 9, 16), date(2013, 9, 30), date(2013, 10, 7), date(2013, 12, 2)):
        preview = await run_sweep(app, day, dry_run=True)
        assert await run_sweep(app, day) == preview


async def test_evidence_waiting_for_a_commissioner_climbs_the_checker_ladder(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    assert isinstance(app.clock, FixedClock)
    await run_sweep(app, date(2013, 10, 1))  # the lead officer's ladder has run for 3.11.1 (target June 2013)
    app.clock.at = datetime(2013, 12, 20, 10, 0, tzinfo=UTC)
    await take_transition(
        TransitionCommand(LEAD, ActionKey("3.11.1"), Event.SUBMIT_EVIDENCE, note="audit attached"),
        uow_factory=app.uow,
        clock=app.clock,
        store=app.store,
    )
    fired = await run_sweep(app, date(2014, 1, 8))  # ten working days over Christmas and New Year
    mine = [(f.ladder, f.step) for f in fired if f.action_ref == "3.11.1"]
    assert mine == [(LadderName.COMMISSIONER_CHECK, "reminder")]
    await take_transition(
        TransitionCommand(COMMISSIONER, ActionKey("3.11.1"), Event.REJECT, reason="No figures"),
        uow_factory=app.uow,
        clock=app.clock,
        store=app.store,
    )
    # Back with the lead officer: their ladder already climbed for this target date, nothing fires again.
    assert [f for f in await run_sweep(app, date(2014, 1, 9)) if f.action_ref == "3.11.1"] == []


async def test_two_sweeps_at_once_never_fire_a_step_twice(app: App, seed_plan: Path, tmp_path: Path) -> None:
    text = seed_plan.read_text(encoding="utf-8")
    for i in range(20):
        plan = tmp_path / f"plan-{i}.txt"
        plan.write_text(text.replace("BDHR2011/12-03", f"BDHR2011/12-{i + 10}"), encoding="utf-8")
        await import_plan(read_plan(plan), uow_factory=app.uow, clock=app.clock)
    decisions_before = await count(app, DecisionRow.id)
    first, second = await asyncio.gather(
        run_sweep(app, date(2026, 11, 26), batch=16), run_sweep(app, date(2026, 11, 26), batch=16)
    )
    # Each plan's 13 actions and its review's own ladder (its report long overdue: one escalation), once each.
    assert len(first) + len(second) == 20 * 14
    assert await count(app, EscalationRow.id) == 20 * 14
    assert await count(app, DecisionRow.id) == decisions_before + 20 * 14
    assert not {(f.review_ref, f.action_ref) for f in first} & {(f.review_ref, f.action_ref) for f in second}
    [log] = await verify_log(app.reader)
    assert log.ok, log.problems
