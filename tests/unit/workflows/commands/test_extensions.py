"""Extensions and reassignment, on in-memory storage: who may ask, who decides, what moves."""

from __future__ import annotations

from datetime import date

import pytest

from domain.assignment import ReassignRefused
from domain.extension import ExtensionRefused, ExtensionStatus
from tests.unit.fakes import FakeTx
from tests.unit.workflows.commands.world import ASSURER, DIRECTOR, LEAD, NHS_DIRECTOR, OTHER_LEAD, POLICE, TARGET, TODAY
from workflows.commands.extensions import decide_extension, reassign_lead, request_extension
from workflows.context import ActionKey
from workflows.ports import UowFactory
from workflows.runtime.clock import FixedClock

KEY = ActionKey("3.11.1")
LATER = date(2014, 3, 31)


async def test_only_the_lead_officer_asks_and_the_agencys_director_is_told(
    tx: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:
    with pytest.raises(ExtensionRefused, match="asked for by the lead officer"):
        await request_extension(DIRECTOR.email, KEY, LATER, "more time", uow_factory=uow, clock=clock)
    result = await request_extension(LEAD.email, KEY, LATER, " the audit slipped ", uow_factory=uow, clock=clock)
    assert (result.status, result.target_date, result.requested_date) == (ExtensionStatus.PENDING, TARGET, LATER)
    assert tx.outbox.told() == [("extension_requested", f"director:{POLICE.id}")]
    [draft] = tx.decisions.drafts
    assert (draft.event, draft.reason, draft.payload["to"]) == (
        "extension_requested",
        "the audit slipped",
        "2014-03-31",
    )
    assert tx.actions.stored(1).version == 1  # a decision about the action: its version moves


async def test_a_second_request_waits_for_the_first(uow: UowFactory, clock: FixedClock) -> None:
    await request_extension(LEAD.email, KEY, LATER, "more time", uow_factory=uow, clock=clock)
    with pytest.raises(ExtensionRefused, match="already waiting"):
        await request_extension(LEAD.email, KEY, date(2014, 6, 30), "even more", uow_factory=uow, clock=clock)


async def test_an_approval_moves_the_target_date_keeps_the_plans_and_restarts_the_ladder(
    tx: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:
    await request_extension(LEAD.email, KEY, LATER, "more time", uow_factory=uow, clock=clock)
    tx.actions.due_on[1] = None
    with pytest.raises(ExtensionRefused, match="only the director of the action's agency"):
        await decide_extension(NHS_DIRECTOR.email, KEY, True, "", uow_factory=uow, clock=clock)
    result = await decide_extension(DIRECTOR.email, KEY, True, "", uow_factory=uow, clock=clock)
    stored = tx.actions.stored(1)
    assert (result.status, stored.target_date, stored.original_target_date) == (
        ExtensionStatus.APPROVED,
        LATER,
        TARGET,
    )
    assert tx.actions.due_on[1] == TODAY
    assert tx.outbox.told()[-1] == ("extension_decided", f"person:{LEAD.id}")
    assert tx.extensions.pending(1) is None


async def test_a_refusal_needs_a_reason_and_leaves_the_date(tx: FakeTx, uow: UowFactory, clock: FixedClock) -> None:
    await request_extension(LEAD.email, KEY, LATER, "more time", uow_factory=uow, clock=clock)
    with pytest.raises(ExtensionRefused, match="reason is required to refuse"):
        await decide_extension(ASSURER.email, KEY, False, " ", uow_factory=uow, clock=clock)
    result = await decide_extension(ASSURER.email, KEY, False, "no cause shown", uow_factory=uow, clock=clock)
    assert (result.status, result.target_date, tx.actions.stored(1).target_date) == (
        ExtensionStatus.REFUSED,
        TARGET,
        TARGET,
    )


async def test_the_director_hands_the_action_to_another_of_the_agencys_lead_officers(
    tx: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:
    with pytest.raises(ReassignRefused):
        await reassign_lead(NHS_DIRECTOR.email, KEY, OTHER_LEAD.email, uow_factory=uow, clock=clock)
    done = await reassign_lead(DIRECTOR.email, KEY, OTHER_LEAD.email, uow_factory=uow, clock=clock)
    assert (done.lead_officer, tx.actions.stored(1).lead_officer_id) == (OTHER_LEAD.email, OTHER_LEAD.id)
    assert tx.outbox.told() == [("lead_officer_assigned", f"person:{OTHER_LEAD.id}")]
