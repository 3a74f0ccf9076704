"""Deputies on in-memory storage: who names one, for how long, and acting in someone's stead."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.deputies import DeputyRefused
from domain.states import Event
from tests.unit.fakes import FakeTx
from tests.unit.workflows.commands.world import AT, COMMISSIONER, COORDINATOR, LEAD, OTHER_LEAD, TODAY
from workflows.commands.deputies import deputies, end_deputy, name_deputy
from workflows.commands.transitions import TransitionCommand, record_transition
from workflows.context import ActionKey
from workflows.ports import UowFactory
from workflows.runtime.clock import FixedClock

UNTIL = TODAY + timedelta(days=14)


async def test_a_lead_officer_names_a_deputy_of_their_agency_who_then_acts_for_them(
    tx: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:
    with pytest.raises(DeputyRefused, match="must work for the same agency"):
        await name_deputy(
            LEAD.email, LEAD.email, COMMISSIONER.email, TODAY, UNTIL, "leave", uow_factory=uow, clock=clock
        )
    with pytest.raises(DeputyRefused, match=f"only {LEAD.email} or the coordinator"):
        await name_deputy(
            OTHER_LEAD.email, LEAD.email, OTHER_LEAD.email, TODAY, UNTIL, "x", uow_factory=uow, clock=clock
        )
    view = await name_deputy(
        LEAD.email, LEAD.email, OTHER_LEAD.email, TODAY, UNTIL, "leave", uow_factory=uow, clock=clock
    )
    assert (view.principal, view.deputy, view.in_force) == (LEAD.email, OTHER_LEAD.email, True)

    step = TransitionCommand(
        OTHER_LEAD.email, ActionKey("3.11.1"), Event.RECORD_PROGRESS, note="x", on_behalf_of=LEAD.email
    )
    record_transition(tx, step, (), (), AT)
    decision = tx.decisions.drafts[-1]
    assert (decision.actor_id, decision.on_behalf_of_id) == (OTHER_LEAD.id, LEAD.id)


async def test_periods_do_not_overlap_and_once_ended_no_longer_count(
    tx: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:
    named = await name_deputy(
        COORDINATOR.email, LEAD.email, OTHER_LEAD.email, TODAY, UNTIL, "leave", uow_factory=uow, clock=clock
    )
    with pytest.raises(DeputyRefused, match="already has a deputy"):
        await name_deputy(LEAD.email, LEAD.email, OTHER_LEAD.email, UNTIL, UNTIL, "more", uow_factory=uow, clock=clock)
    with pytest.raises(DeputyRefused, match="only the person, their deputy or the coordinator"):
        await end_deputy(COMMISSIONER.email, named.id, "back", uow_factory=uow, clock=clock)
    ended = await end_deputy(LEAD.email, named.id, "back early", uow_factory=uow, clock=clock)
    assert not ended.in_force and await deputies(uow, today=TODAY, partnership="BCSP") == []
    assert tx.decisions.events() == ["deputy_named", "deputy_ended"]
    with pytest.raises(DeputyRefused, match="already ended"):
        await end_deputy(LEAD.email, named.id, "again", uow_factory=uow, clock=clock)
    later = date(2013, 11, 1)
    again = await name_deputy(
        LEAD.email, LEAD.email, OTHER_LEAD.email, later, later, "a day off", uow_factory=uow, clock=clock
    )
    assert [v.id for v in await deputies(uow, today=TODAY, person_email=OTHER_LEAD.email)] == [again.id]
