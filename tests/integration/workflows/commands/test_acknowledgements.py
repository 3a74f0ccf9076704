"""The escalations desk and the ladders on real databases: who sees and acknowledges a step,
and a coordinator's new ladder version taking effect at the next sweep."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from domain.acknowledgements import AcknowledgeRefused
from domain.ladders import CatchUp, InvalidLadder, LadderName, parse_step
from domain.roles import Role
from tests.integration.helpers import ASSURER, BSMHFT, COORDINATOR, LEAD, POLICE, seed
from workflows.commands.acknowledgements import acknowledge, escalations
from workflows.commands.ladders import set_catch_up, set_ladder
from workflows.commands.people import NewPerson, add_person
from workflows.commands.sweep import SweepReport, sweep
from workflows.context import ActionKey
from workflows.errors import InvalidInput
from workflows.queries.actions import action_detail
from workflows.queries.ladders import ladders
from workflows.queries.log import verify_log
from workflows.queries.tasks import TaskKind, tasks_of
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import App
from workflows.runtime.working_days import england_and_wales

DIRECTOR = "director.wmp@bcsp.test"
KEY = ActionKey("3.11.1")  # West Midlands Police, target "Jun-13": 30 June 2013


async def sweep_on(app: App, day: date) -> SweepReport:
    return await sweep(day, uow_factory=app.uow, clock=app.clock, calendar=england_and_wales())


async def seeded(app: App, plan: Path) -> None:
    assert isinstance(app.clock, FixedClock)
    app.clock.at = datetime(2013, 6, 3, 9, tzinfo=UTC)
    await seed(app, plan)


async def add(app: App, name: str, email: str, role: str, agency: str | None) -> None:
    person = NewPerson(name, email, role, agency)
    await add_person(person, uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR)


async def test_the_agencys_director_sees_and_acknowledges_its_escalation_once(app: App, seed_plan: Path) -> None:
    await seeded(app, seed_plan)
    await add(app, "Director BSMHFT", "director.bsmhft@bcsp.test", "director", BSMHFT)
    await sweep_on(app, date(2013, 7, 15))  # 3.11.1 is 11 working days late: its director step is the highest due

    mine = await escalations(app.reader, mine=DIRECTOR)
    assert ("3.11.1", "director") in [(v.action_ref, v.step) for v in mine]
    assert all(v.kind == "escalation" and "director" in v.notify for v in mine)
    others = await escalations(app.reader, mine="director.bsmhft@bcsp.test")
    assert "3.11.1" not in [v.action_ref for v in others]
    step = next(v for v in mine if v.action_ref == "3.11.1")

    with pytest.raises(AcknowledgeRefused, match="not you"):
        await acknowledge("director.bsmhft@bcsp.test", step.id, uow_factory=app.uow, clock=app.clock)
    before = await action_detail(app.reader, KEY, today=app.clock.today(), policy=app.rag_policy)
    done = await acknowledge(DIRECTOR, step.id, "Chasing IMS", uow_factory=app.uow, clock=app.clock)
    assert done.acknowledged_by == DIRECTOR
    with pytest.raises(AcknowledgeRefused, match="acknowledged already"):
        await acknowledge(DIRECTOR, step.id, uow_factory=app.uow, clock=app.clock)

    after = await action_detail(app.reader, KEY, today=app.clock.today(), policy=app.rag_policy)
    assert after.timeline[-1].event == "escalation_acknowledged"
    assert after.action.version == before.action.version  # a note about the action, not a change to it
    mine = await escalations(app.reader, mine=DIRECTOR)
    assert mine[-1].id == step.id  # the ones still to acknowledge come first
    [log] = await verify_log(app.reader)
    assert log.ok, log.problems


async def test_a_catch_up_tells_the_director_the_escalation_it_passed_over_and_they_acknowledge_it(
    app: App, seed_plan: Path
) -> None:
    await seeded(app, seed_plan)
    await add(app, "QA", "qa@bcsp.test", "partnership_assurer", None)
    await sweep_on(app, date(2013, 8, 30))  # 3.11.1 is 45 working days late: the partnership step is the highest due

    mine = await escalations(app.reader, mine=DIRECTOR)
    step = next(v for v in mine if v.action_ref == "3.11.1")
    assert (step.step, step.notify) == ("partnership", (Role.PARTNERSHIP_ASSURER, Role.DIRECTOR))
    assert "the director of West Midlands Police" in step.told and "the partnership" in step.told
    waiting = await tasks_of(app.reader, DIRECTOR, today=date(2013, 8, 30))
    assert (TaskKind.ACKNOWLEDGE, "3.11.1") in [(t.kind, t.action_ref) for t in waiting]
    detail = await action_detail(app.reader, KEY, today=app.clock.today(), policy=app.rag_policy)
    [fired] = [e for e in detail.timeline if e.event == "escalated"]
    assert "the director of West Midlands Police" in fired.summary

    await acknowledge(DIRECTOR, step.id, "On it", uow_factory=app.uow, clock=app.clock)
    again = await sweep_on(app, date(2013, 9, 30))
    assert "3.11.1" not in [f.action_ref for f in again.fired]  # told once: the director step never fires late
    [log] = await verify_log(app.reader)
    assert log.ok, log.problems


async def test_a_new_director_inherits_the_agencys_escalations(app: App, seed_plan: Path) -> None:
    await seeded(app, seed_plan)
    await sweep_on(app, date(2013, 7, 15))
    await add(app, "New Director WMP", "new.director.wmp@bcsp.test", "director", POLICE)
    assert await escalations(app.reader, mine=DIRECTOR) == []
    inherited = await escalations(app.reader, mine="new.director.wmp@bcsp.test")
    step = next(v for v in inherited if v.action_ref == "3.11.1")
    with pytest.raises(AcknowledgeRefused, match="not you"):
        await acknowledge(DIRECTOR, step.id, uow_factory=app.uow, clock=app.clock)
    await acknowledge("new.director.wmp@bcsp.test", step.id, uow_factory=app.uow, clock=app.clock)


async def test_a_reminder_is_answered_by_doing_the_action_not_acknowledged(app: App, seed_plan: Path) -> None:
    await seeded(app, seed_plan)
    await sweep_on(app, date(2013, 6, 17))
    [reminder] = [v for v in await escalations(app.reader, mine=LEAD) if v.action_ref == "3.11.1"]
    assert reminder.kind == "reminder"
    with pytest.raises(AcknowledgeRefused, match="reminder for the lead officer"):
        await acknowledge(LEAD, reminder.id, uow_factory=app.uow, clock=app.clock)
    with pytest.raises(InvalidInput, match="no escalation 99999"):
        await acknowledge(LEAD, 99999, uow_factory=app.uow, clock=app.clock)


async def test_a_new_ladder_version_applies_from_the_next_sweep(app: App, seed_plan: Path) -> None:
    await seeded(app, seed_plan)
    await sweep_on(app, date(2013, 7, 15))
    text = ["reminder:-10:reminder:lead_officer", "overdue:0:overdue:lead_officer", "director:5:escalation:director"]
    text += ["board:6:escalation:partnership_assurer+director", "partnership:20:escalation:partnership_assurer"]
    steps = [parse_step("lead_officer", t) for t in text]

    with pytest.raises(InvalidInput, match="only its coordinators"):
        await set_ladder(LadderName.LEAD_OFFICER, steps, uow_factory=app.uow, clock=app.clock, actor_email=LEAD)
    with pytest.raises(InvalidLadder, match="in order of their offsets"):
        await set_ladder(LadderName.LEAD_OFFICER, steps[::-1], uow_factory=app.uow, clock=app.clock)
    done = await set_ladder(
        LadderName.LEAD_OFFICER, steps, uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR
    )
    assert done.ladder.version == 2 and done.rechecked > 0
    in_force, _ = await ladders(app.reader)
    assert in_force[LadderName.LEAD_OFFICER].steps == tuple(steps)

    report = await sweep_on(app, date(2013, 7, 16))
    assert ("3.11.1", "board") in [(f.action_ref, f.step) for f in report.fired]
    board = next(v for v in await escalations(app.reader, mine=ASSURER) if v.step == "board")
    assert board.ladder_version == 2 and board.notify == tuple(steps[3].notify)
    assert await sweep_on(app, date(2013, 7, 16)) is not None  # again: nothing fires twice
    again = await escalations(app.reader)
    assert len([v for v in again if (v.action_ref, v.step) == ("3.11.1", "board")]) == 1
    [log] = await verify_log(app.reader)
    assert log.ok, log.problems


async def test_catch_up_all_fires_every_step_due(app: App, seed_plan: Path) -> None:
    await seeded(app, seed_plan)
    before = await set_catch_up(CatchUp.ALL, uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR)
    assert before is CatchUp.HIGHEST_ONLY
    report = await sweep_on(app, date(2013, 8, 30))
    steps = [f.step for f in report.fired if f.action_ref == "3.11.1"]
    assert steps == ["reminder", "overdue", "director", "partnership"]
