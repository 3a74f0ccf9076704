"""Setting ladders on in-memory storage: the coordinator's, each a new version, every running action
looked at again."""

from __future__ import annotations

import pytest

from domain.ladders import CatchUp, InvalidLadder, LadderName, parse_step
from domain.states import State
from tests.unit.fakes import FakeTx
from tests.unit.workflows.commands.world import COORDINATOR, DIRECTOR, TODAY, action
from workflows.commands.ladders import set_catch_up, set_ladder
from workflows.errors import InvalidInput
from workflows.ports import UowFactory
from workflows.runtime.clock import FixedClock

STEPS = [parse_step("lead_officer", s) for s in ("overdue:0:overdue:lead_officer", "director:3:escalation:director")]


async def test_a_ladder_is_set_by_a_coordinator_as_its_next_version_and_running_actions_are_looked_at_again(
    tx: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:
    tx.actions.put(action("3.11.2", id_=2, state=State.WITHDRAWN))
    tx.actions.due_on = {1: None, 2: None}
    with pytest.raises(InvalidInput, match="--as COORDINATOR_EMAIL"):
        await set_ladder(LadderName.LEAD_OFFICER, STEPS, uow_factory=uow, clock=clock, partnership="BCSP")
    with pytest.raises(InvalidInput, match="only its coordinators"):
        await set_ladder(
            LadderName.LEAD_OFFICER, STEPS, uow_factory=uow, clock=clock, actor_email=DIRECTOR.email, partnership="BCSP"
        )
    done = await set_ladder(
        LadderName.LEAD_OFFICER, STEPS, uow_factory=uow, clock=clock, actor_email=COORDINATOR.email, partnership="BCSP"
    )
    assert (done.ladder.version, done.rechecked, tx.actions.due_on) == (2, 1, {1: TODAY, 2: None})
    assert tx.ladders.in_force(1)[LadderName.LEAD_OFFICER].steps == tuple(STEPS)
    assert tx.decisions.drafts[-1].payload["version"] == 2


async def test_steps_that_make_no_ladder_are_refused_before_anything_is_written(
    tx: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:
    backwards = list(reversed(STEPS))
    with pytest.raises(InvalidLadder):
        await set_ladder(
            LadderName.LEAD_OFFICER, backwards, uow_factory=uow, clock=clock, actor_email=COORDINATOR.email
        )
    assert (tx.decisions.drafts, tx.commits) == ([], 0)


async def test_the_catch_up_rule_says_what_it_was(tx: FakeTx, uow: UowFactory, clock: FixedClock) -> None:
    before = await set_catch_up(
        CatchUp.ALL, uow_factory=uow, clock=clock, actor_email=COORDINATOR.email, partnership="BCSP"
    )
    assert (before, tx.ladders.catch_up(1)) == (CatchUp.HIGHEST_ONLY, CatchUp.ALL)
    assert tx.decisions.drafts[-1].payload == {"from": "highest_only", "to": "all"}
