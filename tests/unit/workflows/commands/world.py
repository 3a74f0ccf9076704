"""One partnership in memory, its people in every role, a review with an action: what the command tests start
from (``tests.unit.fakes``), and the names they use for them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from domain.model import Action, ActionColumns, Agency, Partnership, Person, Review, Route
from domain.roles import Role
from domain.states import State
from tests.unit.fakes import FakeTx

AT = datetime(2013, 10, 1, 9, 0, tzinfo=UTC)
"""A Tuesday morning in London."""
TODAY = date(2013, 10, 1)

BCSP, ELSEWHERE = Partnership(1, "Birmingham Community Safety Partnership", "BCSP"), Partnership(2, "Elsewhere", "ELSE")
NHS, POLICE = Agency(1, 1, "NHS Birmingham", director_id=21), Agency(4, 1, "West Midlands Police", director_id=12)
LEAD = Person(10, 1, "Lee Lead", "lead@wmp.test", Role.LEAD_OFFICER, POLICE.id)
OTHER_LEAD = Person(11, 1, "Olive Other", "lead2@wmp.test", Role.LEAD_OFFICER, POLICE.id)
DIRECTOR = Person(12, 1, "Dee Director", "director@wmp.test", Role.DIRECTOR, POLICE.id)
COMMISSIONER = Person(20, 1, "Cam Commissioner", "comm@nhs.test", Role.COMMISSIONER, NHS.id)
NHS_DIRECTOR = Person(21, 1, "Nat Director", "director@nhs.test", Role.DIRECTOR, NHS.id)
ASSURER = Person(30, 1, "Asa Assurer", "qa@bcsp.test", Role.PARTNERSHIP_ASSURER)
COORDINATOR = Person(31, 1, "Cora Coordinator", "coord@bcsp.test", Role.COORDINATOR)
VIEWER = Person(32, 1, "Vic Viewer", "board@bcsp.test", Role.VIEWER)
STRANGER = Person(40, 2, "Elsa Elsewhere", "lead@else.test", Role.LEAD_OFFICER, None)
PEOPLE = (LEAD, OTHER_LEAD, DIRECTOR, COMMISSIONER, NHS_DIRECTOR, ASSURER, COORDINATOR, VIEWER, STRANGER)

REVIEW = Review(1, 1, "BDHR2011/12-03", "Adult D")
TARGET = date(2013, 12, 31)


def action(
    ref: str = "3.11.1",
    id_: int = 1,
    review_id: int = REVIEW.id,
    lead_officer_id: int | None = LEAD.id,
    state: State = State.OPEN,
) -> Action:
    """An action of the police, led by ``LEAD``, its evidence checked by a commissioner."""
    columns = ActionColumns(action="Audit s136 detentions")
    return Action(
        id_,
        review_id,
        POLICE.id,
        ref,
        columns,
        TARGET,
        Route.COMMISSIONER,
        state=state,
        lead_officer_id=lead_officer_id,
    )


def world() -> FakeTx:
    tx = FakeTx()
    for p in (BCSP, ELSEWHERE):
        tx.partnerships.rows[p.id] = p
    for agency in (NHS, POLICE):
        tx.agencies.put(agency)
    for person in PEOPLE:
        tx.people.put(person)
    tx.reviews.put(REVIEW)
    tx.actions.put(action(), due_on=TODAY)
    return tx
