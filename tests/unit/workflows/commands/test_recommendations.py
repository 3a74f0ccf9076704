"""The coordinator's decisions about a recommendation, on in-memory storage: each change its decision, nothing
written for no change or a refusal, and the web form's several changes in one transaction."""

from __future__ import annotations

import pytest

from domain.model import Scope
from domain.recommendations import InvalidScope
from tests.unit.fakes import FakeTx
from tests.unit.workflows.commands.world import COORDINATOR, LEAD, REVIEW
from workflows.commands.recommendations import (
    AlreadyAccepted,
    decide_recommendation,
    set_accepted,
    set_not_accepted,
    set_recommendation,
)
from workflows.errors import InvalidInput
from workflows.ports import UowFactory
from workflows.runtime.clock import FixedClock

REF = REVIEW.ref


@pytest.fixture
def rec(tx: FakeTx) -> int:
    return tx.recommendations.add(REVIEW.id, "Recommendation 11: West Midlands Police ensure ...", "11", 0)


async def test_scope_and_addressee_are_one_decision_and_no_change_writes_none(
    tx: FakeTx, uow: UowFactory, clock: FixedClock, rec: int
) -> None:
    change = await set_recommendation(
        COORDINATOR.email, REF, "11", scopes=["national", "local"], addressee="moj", uow_factory=uow, clock=clock
    )
    assert change.changes == {
        "scope": {"from": "", "to": "local,national"},
        "addressee": {"from": "", "to": "Ministry of Justice"},
    }
    assert tx.recommendations.rows[rec].scope == (Scope.LOCAL, Scope.NATIONAL)
    assert tx.decisions.events() == ["recommendation_set"]
    assert tx.decisions.drafts[-1].payload["number"] == "11" and tx.decisions.drafts[-1].review_ref == REF
    again = await set_recommendation(
        COORDINATOR.email,
        REF,
        "11",
        scopes=["local,national"],
        addressee="Ministry of Justice",
        uow_factory=uow,
        clock=clock,
    )
    assert again.changes == {} and tx.decisions.events() == ["recommendation_set"]


async def test_refusals_write_nothing(tx: FakeTx, uow: UowFactory, clock: FixedClock, rec: int) -> None:
    with pytest.raises(InvalidScope):
        await set_recommendation(COORDINATOR.email, REF, "11", scopes=["county"], uow_factory=uow, clock=clock)
    with pytest.raises(InvalidInput, match="only its coordinators"):
        await set_not_accepted(LEAD.email, REF, "11", "No", uow_factory=uow, clock=clock)
    with pytest.raises(InvalidInput, match="has no recommendation '4'"):
        await set_not_accepted(COORDINATOR.email, REF, "4", "No", uow_factory=uow, clock=clock)
    with pytest.raises(AlreadyAccepted):
        await set_accepted(COORDINATOR.email, REF, "11", uow_factory=uow, clock=clock)
    with pytest.raises(InvalidInput, match="addressee is 201 characters"):
        await decide_recommendation(
            COORDINATOR.email, rec, scopes=[], addressee="x" * 201, not_accepted_reason="", uow_factory=uow, clock=clock
        )
    assert tx.decisions.events() == [] and tx.recommendations.rows[rec].scope == ()


async def test_not_accepted_and_accepted_again_each_a_decision(
    tx: FakeTx, uow: UowFactory, clock: FixedClock, rec: int
) -> None:
    await set_not_accepted(COORDINATOR.email, REF, "11", " Force policy covers it ", uow_factory=uow, clock=clock)
    assert tx.recommendations.rows[rec].not_accepted_reason == "Force policy covers it"
    assert tx.decisions.drafts[-1].reason == "Force policy covers it"
    await set_accepted(COORDINATOR.email, REF, "11", "Asked again", uow_factory=uow, clock=clock)
    assert tx.recommendations.rows[rec].not_accepted_reason == ""
    assert tx.decisions.events() == ["recommendation_not_accepted", "recommendation_accepted"]


async def test_the_forms_changes_are_taken_together(tx: FakeTx, uow: UowFactory, clock: FixedClock, rec: int) -> None:
    change = await decide_recommendation(
        COORDINATOR.email,
        rec,
        scopes=["national"],
        addressee="Home Office",
        not_accepted_reason="Declined by the Home Office",
        uow_factory=uow,
        clock=clock,
    )
    assert set(change.changes) == {"scope", "addressee", "not_accepted_reason"}
    assert tx.decisions.events() == ["recommendation_set", "recommendation_not_accepted"]
    with pytest.raises(InvalidInput, match="no recommendation 99"):
        await decide_recommendation(
            COORDINATOR.email, 99, scopes=[], addressee="", not_accepted_reason="", uow_factory=uow, clock=clock
        )
