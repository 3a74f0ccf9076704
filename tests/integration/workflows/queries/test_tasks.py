"""My tasks on real databases (issue 16): each role sees exactly what waits on it, and nothing merely
possible; the escalations desk and the timeline say the steps in words."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.helpers import (
    ASSURER,
    COMMISSIONER,
    COORDINATOR,
    LEAD,
    LEAD_BSMHFT,
    POLICE_COMMISSIONER,
    seed,
)
from tests.integration.tasks_scenario import DIRECTOR, EXPECTED, STAND_IN, TODAY, build
from workflows.commands.acknowledgements import acknowledge, escalations
from workflows.context import ActionKey, Principal
from workflows.queries.actions import action_detail
from workflows.queries.tasks import Task, grouped, task_count, tasks_of
from workflows.runtime.container import App


async def scenario(app: App, plan: Path) -> None:
    await seed(app, plan)
    await build(app)


def shape(found: list[Task]) -> list[tuple[str, str, str]]:
    return [(str(t.kind), t.action_ref, t.since.isoformat()) for t in found]


async def mine(app: App, email: str) -> list[Task]:
    return await tasks_of(app.reader, email, today=TODAY)


async def test_a_lead_officer_sees_their_returned_and_overdue_actions_and_the_boards_request(
    app: App, seed_plan: Path
) -> None:
    await scenario(app, seed_plan)
    found = await mine(app, LEAD_BSMHFT)
    assert shape(found) == EXPECTED[LEAD_BSMHFT]
    returned = found[0]
    assert "No audit figures" in returned.description and returned.review_ref == "BDHR2011/12-03"
    assert returned.review_label == "DARDR BDHR2011/12-03"  # named to the person with the review's kind
    board = found[-1]
    assert board.review_ref == board.review_label == ""  # the board's request names no review
    assert returned.action_text  # the action's own words, to recognise it by
    assert [(g.kind, g.count) for g in grouped(found)] == [("returned", 1), ("overdue", 1), ("progress_update", 1)]
    # Lead WMP answered the board's request; their evidence is with the checkers: only the overdue action waits
    assert shape(await mine(app, LEAD)) == EXPECTED[LEAD]


async def test_a_commissioner_sees_evidence_to_verify_and_not_their_own_agencys(app: App, seed_plan: Path) -> None:
    await scenario(app, seed_plan)
    assert shape(await mine(app, COMMISSIONER)) == EXPECTED[COMMISSIONER]
    assert shape(await mine(app, POLICE_COMMISSIONER)) == EXPECTED[POLICE_COMMISSIONER]


async def test_a_director_sees_the_extension_waiting_and_the_escalation_unacknowledged(
    app: App, seed_plan: Path
) -> None:
    """The issue's example: both wait on the director, and acknowledging takes one away."""
    await scenario(app, seed_plan)
    found = await mine(app, DIRECTOR)
    assert shape(found) == EXPECTED[DIRECTOR]
    escalation = found[1]
    assert escalation.escalation_id is not None
    await acknowledge(DIRECTOR, escalation.escalation_id, "Chasing training", uow_factory=app.uow, clock=app.clock)
    assert shape(await mine(app, DIRECTOR)) == EXPECTED[DIRECTOR][:1]


async def test_the_assurer_sees_what_to_assure_decide_and_acknowledge_and_no_open_action_to_withdraw(
    app: App, seed_plan: Path
) -> None:
    await scenario(app, seed_plan)
    found = await mine(app, ASSURER)
    assert shape(found) == EXPECTED[ASSURER]
    assert all(t.on_behalf_of == "" for t in found)
    async with app.reader() as uow:
        person = await uow.run(lambda tx: tx.people.by_email(ASSURER))
    assert person is not None
    assert await task_count(app.reader, Principal(person), today=TODAY) == len(EXPECTED[ASSURER])


async def test_a_deputy_standing_in_sees_the_persons_tasks_as_theirs(app: App, seed_plan: Path) -> None:
    await scenario(app, seed_plan)
    found = await mine(app, COORDINATOR)
    assert shape(found) == EXPECTED[COORDINATOR]
    assert {t.on_behalf_of for t in found} == {STAND_IN[COORDINATOR]}


async def test_escalations_and_the_timeline_say_the_step_who_was_told_and_how_late(app: App, seed_plan: Path) -> None:
    await scenario(app, seed_plan)
    [step] = [v for v in await escalations(app.reader, mine=DIRECTOR) if v.action_ref == "3.11.1"]
    assert step.step_name == "Step 3 of the lead officer's ladder: escalation to the director"
    assert step.told == "the director of West Midlands Police (Director WMP)"
    assert (step.days_late, step.lateness) == (70, "70 working days late")
    assert step.action_id and step.action_ref == "3.11.1" and step.action_text
    done = await acknowledge(DIRECTOR, step.id, "Chasing training", uow_factory=app.uow, clock=app.clock)
    assert (done.acknowledged_by_name, done.acknowledged_note) == ("Director WMP", "Chasing training")
    [listed] = [v for v in await escalations(app.reader, mine=DIRECTOR) if v.id == step.id]
    assert (listed.acknowledged_by_name, listed.acknowledged_note) == ("Director WMP", "Chasing training")

    detail = await action_detail(app.reader, ActionKey("3.11.1"), today=TODAY, policy=app.rag_policy)
    said = [d.summary for d in detail.timeline if d.event == "escalated"]
    assert "Escalated to the director of West Midlands Police (Director WMP) (step 3, 70 working days late)" in said
    # no lead officer is named on the action: the agency's lead officers were told
    assert any(s.startswith("Reminder to the lead officers of West Midlands Police (Lead WMP)") for s in said)


@pytest.mark.parametrize("email", [LEAD, DIRECTOR])
async def test_right_after_the_import_only_overdue_actions_wait(app: App, seed_plan: Path, email: str) -> None:
    """Nothing has happened but the import on 1 Oct: no open action is anyone's task merely because it may move."""
    await seed(app, seed_plan)
    found = await mine(app, email)
    assert {str(t.kind) for t in found} <= {"overdue"}
