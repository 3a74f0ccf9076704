"""The escalations desk on in-memory storage: who a step told, and who may say they have it in hand."""

from __future__ import annotations

from datetime import date

import pytest

from domain.acknowledgements import AcknowledgeRefused
from domain.ladders import ACKNOWLEDGED
from tests.unit.fakes import FakeTx
from tests.unit.workflows.commands.world import AT, DIRECTOR, LEAD, NHS_DIRECTOR, TARGET
from workflows.commands.acknowledgements import acknowledge, escalations
from workflows.ports import UowFactory
from workflows.runtime.clock import FixedClock

OVERDUE, TO_DIRECTOR = 1, 2


@pytest.fixture
def fired(tx: FakeTx) -> FakeTx:
    """The lead officer's ladder has told the lead officer the action is overdue, then the police director."""
    for step, due in (("overdue", TARGET), ("director", date(2014, 1, 8))):
        tx.escalations.fire(1, "lead_officer", 1, step, TARGET, due, due, decision_id=1)
    return tx


async def test_the_agencys_director_acknowledges_an_escalation_once(
    fired: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:
    view = await acknowledge(DIRECTOR.email, TO_DIRECTOR, " on it ", uow_factory=uow, clock=clock)
    assert (view.acknowledged_by, view.acknowledged_at, view.kind) == (DIRECTOR.email, AT, "escalation")
    [draft] = fired.decisions.drafts
    assert (draft.event, draft.actor_id, draft.note, draft.payload["step"]) == (
        ACKNOWLEDGED,
        DIRECTOR.id,
        "on it",
        "director",
    )
    with pytest.raises(AcknowledgeRefused, match="acknowledged already"):
        await acknowledge(DIRECTOR.email, TO_DIRECTOR, uow_factory=uow, clock=clock)


async def test_nobody_acknowledges_what_did_not_tell_them_or_what_is_no_escalation(
    fired: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:
    with pytest.raises(AcknowledgeRefused, match="not you"):
        await acknowledge(NHS_DIRECTOR.email, TO_DIRECTOR, uow_factory=uow, clock=clock)
    with pytest.raises(AcknowledgeRefused, match="not an escalation"):
        await acknowledge(LEAD.email, OVERDUE, uow_factory=uow, clock=clock)
    assert (fired.decisions.drafts, fired.escalations.ledger[TO_DIRECTOR].acknowledged_by) == ([], None)


async def test_each_desk_lists_what_told_its_person(fired: FakeTx, uow: UowFactory) -> None:
    assert [v.id for v in await escalations(uow, mine=LEAD.email)] == [OVERDUE]
    assert [v.id for v in await escalations(uow, mine=DIRECTOR.email)] == [TO_DIRECTOR]
    assert [v.id for v in await escalations(uow, mine=NHS_DIRECTOR.email)] == []
    assert [v.step for v in await escalations(uow, "BCSP")] == ["director", "overdue"]  # newest first
