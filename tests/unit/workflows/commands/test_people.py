"""Adding people and agencies on in-memory storage."""

from __future__ import annotations

import pytest

from domain.roles import Role
from tests.unit.fakes import FakeTx
from tests.unit.workflows.commands.world import COORDINATOR, DIRECTOR, LEAD, POLICE, STRANGER
from workflows.commands.people import AddedPerson, NewPerson, add_agency, add_person
from workflows.errors import InvalidInput
from workflows.ports import UowFactory
from workflows.runtime.clock import FixedClock


def new(email: str, role: str = "lead_officer", agency: str | None = "police") -> NewPerson:
    return NewPerson("Pat New", email, role, agency, "BCSP")


async def test_an_address_is_one_persons_and_a_taken_one_is_named_only_within_the_partnership(
    tx: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:

    async def add(person: NewPerson) -> AddedPerson:
        return await add_person(person, uow_factory=uow, clock=clock, actor_email=COORDINATOR.email)

    with pytest.raises(InvalidInput, match=f"already {LEAD.name}'s"):
        await add(new(LEAD.email.upper()))
    with pytest.raises(InvalidInput, match="already in use or not accepted"):
        await add(new(STRANGER.email))
    with pytest.raises(InvalidInput, match="works for an agency"):
        await add(new("pat@wmp.test", agency=None))
    added = await add(new("pat@wmp.test"))
    assert (added.role, added.agency, tx.people.by_email("pat@wmp.test")) == (
        Role.LEAD_OFFICER,
        POLICE.name,
        tx.people.rows[added.id],
    )


async def test_a_new_director_replaces_the_agencys_director_and_the_decision_names_who_went(
    tx: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:
    added = await add_person(
        new("new.director@wmp.test", "director"), uow_factory=uow, clock=clock, actor_email=COORDINATOR.email
    )
    assert tx.agencies.rows[POLICE.id].director_id == added.id
    assert tx.decisions.drafts[-1].payload["replaces_director_id"] == DIRECTOR.id


async def test_only_a_coordinator_adds_and_an_agency_name_is_taken_once(
    tx: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:
    with pytest.raises(InvalidInput, match="only its coordinators"):
        await add_agency("Probation", uow_factory=uow, clock=clock, actor_email=LEAD.email, partnership="BCSP")
    with pytest.raises(InvalidInput, match="has an agency named"):
        await add_agency(
            " west  midlands police ", uow_factory=uow, clock=clock, actor_email=COORDINATOR.email, partnership="BCSP"
        )
    assert (
        await add_agency(
            " Probation  Service ", uow_factory=uow, clock=clock, actor_email=COORDINATOR.email, partnership="BCSP"
        )
        == "Probation Service"
    )
