"""The deputy rules, without a database: who may be named, when, and what a deputy's actor may do."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.deputies import DeputyPeriod, DeputyRefused, acting_for, check_ending, check_naming
from domain.lifecycle import available
from domain.model import Action, ActionColumns, Person, Route
from domain.roles import Actor, Role
from domain.states import Event, State

TODAY = date(2026, 11, 27)
LEAD = Person(1, 1, "Lead", "lead@x.test", Role.LEAD_OFFICER, agency_id=10)
LEAD_2 = Person(2, 1, "Lead Two", "lead2@x.test", Role.LEAD_OFFICER, agency_id=10)
COMMISSIONER = Person(3, 1, "Commissioner", "c@x.test", Role.COMMISSIONER, agency_id=20)
COMMISSIONER_2 = Person(4, 1, "Commissioner Two", "c2@x.test", Role.COMMISSIONER, agency_id=10)
COORDINATOR = Person(5, 1, "Coordinator", "co@x.test", Role.COORDINATOR)
VIEWER = Person(6, 1, "Viewer", "v@x.test", Role.VIEWER)
ELSEWHERE = Person(7, 2, "Other", "o@y.test", Role.LEAD_OFFICER, agency_id=10)


def actor(p: Person) -> Actor:
    return Actor(p.id, p.role, p.agency_id, p.name)


def name(
    by: Person, principal: Person, deputy: Person, start: date = TODAY, days: int = 7, *existing: DeputyPeriod
) -> None:
    check_naming(actor(by), principal, deputy, start, start + timedelta(days=days), "Leave", TODAY, existing)


def test_a_lead_officer_names_a_colleague_and_the_coordinator_may_name_for_anyone() -> None:
    name(LEAD, LEAD, LEAD_2)
    name(COORDINATOR, LEAD, LEAD_2)


@pytest.mark.parametrize(
    ("by", "principal", "deputy", "start", "days", "message"),
    [
        (LEAD_2, LEAD, LEAD_2, TODAY, 7, "only lead@x.test or the coordinator"),
        (LEAD, LEAD, VIEWER, TODAY, 7, "a viewer only reads"),
        (LEAD, LEAD, ELSEWHERE, TODAY, 7, "another partnership"),
        (LEAD, LEAD, COMMISSIONER, TODAY, 7, "same agency"),
        (LEAD, LEAD, LEAD_2, TODAY - timedelta(days=1), 7, "cannot start in the past"),
        (LEAD, LEAD, LEAD_2, TODAY, 366, "at most 366 days"),
        (VIEWER, VIEWER, LEAD, TODAY, 7, "not delegated"),
    ],
)
def test_what_is_refused(by: Person, principal: Person, deputy: Person, start: date, days: int, message: str) -> None:
    with pytest.raises(DeputyRefused, match=message):
        name(by, principal, deputy, start, days)


def test_a_commissioners_deputy_may_work_for_another_body() -> None:
    name(COMMISSIONER, COMMISSIONER, COMMISSIONER_2)


def test_an_ended_period_frees_its_dates() -> None:
    ended = DeputyPeriod(1, LEAD.id, LEAD_2.id, TODAY, TODAY + timedelta(days=7), "Leave", ended=True)
    name(LEAD, LEAD, LEAD_2, TODAY, 3, ended)
    live = DeputyPeriod(1, LEAD.id, LEAD_2.id, TODAY, TODAY + timedelta(days=7), "Leave")
    with pytest.raises(DeputyRefused, match="already has a deputy"):
        name(LEAD, LEAD, LEAD_2, TODAY + timedelta(days=7), 3, live)


def test_ending_is_for_the_two_people_or_the_coordinator_and_only_once() -> None:
    period = DeputyPeriod(1, LEAD.id, LEAD_2.id, TODAY, TODAY + timedelta(days=7), "Leave")
    for who in (LEAD, LEAD_2, COORDINATOR):
        check_ending(actor(who), period, TODAY)
    with pytest.raises(DeputyRefused, match="only the person"):
        check_ending(actor(COMMISSIONER), period, TODAY)
    with pytest.raises(DeputyRefused, match="ended on"):
        check_ending(actor(LEAD), period, TODAY + timedelta(days=8))


def _submitted(by: int, for_: int | None) -> Action:
    return Action(
        1, 1, 10, "1.1", ActionColumns(), None, Route.COMMISSIONER,
        state=State.EVIDENCE_SUBMITTED, submitted_by=by, submitted_for=for_,
    )  # fmt: skip


def test_a_deputy_commissioner_gets_the_buttons_only_where_neither_submitted_nor_works_for_the_agency() -> None:
    period = DeputyPeriod(1, COMMISSIONER.id, COMMISSIONER_2.id, TODAY, TODAY, "Leave")
    stand_in = acting_for(COMMISSIONER, COMMISSIONER_2, [period], TODAY)
    assert (stand_in.person_id, stand_in.acting_id, stand_in.people) == (3, 4, frozenset({3, 4}))
    own_agency = _submitted(LEAD.id, None)  # agency 10 is the deputy's own
    assert available(own_agency, stand_in) == []
    assert {t.event for t in available(own_agency, actor(COMMISSIONER))} == {Event.VERIFY, Event.REJECT}
    with pytest.raises(DeputyRefused, match="deputy today"):
        acting_for(COMMISSIONER, COMMISSIONER_2, [period], TODAY + timedelta(days=1))


def test_whoever_a_deputy_submitted_for_may_not_check_it_either() -> None:
    action = _submitted(LEAD_2.id, LEAD.id)
    action.agency_id = 99
    lead_as_commissioner = Actor(LEAD.id, Role.COMMISSIONER, None, LEAD.name)
    assert available(action, lead_as_commissioner) == []
    assert available(action, actor(COMMISSIONER)) != []
