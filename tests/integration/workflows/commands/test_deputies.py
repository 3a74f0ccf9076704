"""Deputies on real databases: a named period lets someone act in another's stead, recorded as on their
behalf, with segregation of duties applying to both; outside the period, or once ended, it does not."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from domain.deputies import DeputyRefused
from domain.errors import GuardFailed
from domain.extension import ExtensionRefused
from domain.states import Event, State
from tests.integration.helpers import ASSURER, COMMISSIONER, COORDINATOR, LEAD, LEAD_BSMHFT, POLICE, seed
from workflows.commands.deputies import deputies, end_deputy, name_deputy
from workflows.commands.extensions import decide_extension, request_extension
from workflows.commands.people import NewPerson, add_person
from workflows.commands.transitions import TransitionCommand, TransitionResult, take_transition
from workflows.context import ActionKey
from workflows.ports import Tx
from workflows.queries.actions import action_detail
from workflows.queries.log import verify_log
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import App

KEY = ActionKey("3.11.1")  # West Midlands Police, verified by commissioners
LEAD_2 = "lead2.wmp@bcsp.test"
DIRECTOR = "director.wmp@bcsp.test"
POLICE_COMMISSIONER = "police.commissioner@bcsp.test"
COMMISSIONER_2 = "commissioner2@bcsp.test"
TODAY = date(2013, 10, 1)  # the app fixture's clock


async def act(app: App, who: str, event: Event, for_: str | None = None, **kw: object) -> TransitionResult:
    command = TransitionCommand(who, KEY, event, on_behalf_of=for_, **kw)  # type: ignore[arg-type]
    return await take_transition(command, uow_factory=app.uow, clock=app.clock, store=app.store)


async def name(app: App, by: str, principal: str, deputy: str, days: tuple[int, int] = (1, 14)) -> int:
    start, end = date(2013, 10, days[0]), date(2013, 10, days[1])
    view = await name_deputy(by, principal, deputy, start, end, "Annual leave", uow_factory=app.uow, clock=app.clock)
    return view.id


@pytest.fixture
async def seeded(app: App, seed_plan: Path) -> App:
    await seed(app, seed_plan)
    for person in [
        NewPerson("Lead Two WMP", LEAD_2, "lead_officer", POLICE),
        NewPerson("Second Health Commissioner", COMMISSIONER_2, "commissioner", "NHS"),
    ]:
        await add_person(person, uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR)
    return app


async def test_a_deputy_submits_on_behalf_of_the_lead_and_the_log_says_so(seeded: App) -> None:
    app = seeded
    await name(app, LEAD, LEAD, LEAD_2)
    with pytest.raises(GuardFailed, match="only the action's lead officer"):  # not as themselves: the lead is named
        await _name_lead_then(app)
    done = await act(app, LEAD_2, Event.SUBMIT_EVIDENCE, for_=LEAD, note="Briefing sent")
    assert done.to_state is State.EVIDENCE_SUBMITTED
    detail = await action_detail(app.reader, KEY, today=TODAY, policy=app.rag_policy)
    last = detail.timeline[-1]
    assert (last.event, last.actor, last.on_behalf_of, last.role) == (
        "submit_evidence",
        "Lead Two WMP",
        "Lead WMP",
        "lead_officer",
    )
    events = await _events(app)
    assert ("deputy_named", "Lead WMP", None) in events
    assert ("submit_evidence", "Lead Two WMP", "Lead WMP") in events
    [report] = await verify_log(app.reader)
    assert report.ok, report.problems  # the replay knows who submitted, and for whom


async def _name_lead_then(app: App) -> None:
    """Name LEAD as the action's lead officer, then try to submit as LEAD_2 in their own right."""
    from workflows.commands.extensions import reassign_lead

    await reassign_lead(DIRECTOR, KEY, LEAD, uow_factory=app.uow, clock=app.clock)
    await act(app, LEAD_2, Event.SUBMIT_EVIDENCE, note="mine")


async def _events(app: App) -> list[tuple[str, str, str | None]]:
    """(event, actor, on behalf of) of every decision in the log."""

    def read(tx: Tx) -> list[tuple[str, str, str | None]]:
        names = {p.id: p.name for p in tx.people.in_partnership(1)}
        rows = tx.decisions.page(1, 0, 100)
        return [(r.event, r.actor_name, names.get(r.on_behalf_of_id) if r.on_behalf_of_id else None) for r in rows]

    async with app.reader() as uow:
        return await uow.run(read)


async def test_segregation_of_duties_holds_for_the_deputy_and_the_person_they_stand_in_for(seeded: App) -> None:
    app = seeded
    # The police commissioner works for West Midlands Police: they may stand in for its lead officer...
    first = await name(app, LEAD, LEAD, POLICE_COMMISSIONER)
    await act(app, POLICE_COMMISSIONER, Event.SUBMIT_EVIDENCE, for_=LEAD, note="Briefing sent")
    # ...one person at a time: then, named deputy of the health commissioner, still may not check it,
    with pytest.raises(DeputyRefused, match="already stands in for someone"):
        await name(app, COMMISSIONER, COMMISSIONER, POLICE_COMMISSIONER)
    await end_deputy(LEAD, first, "Back", uow_factory=app.uow, clock=app.clock)
    await name(app, COMMISSIONER, COMMISSIONER, POLICE_COMMISSIONER)
    with pytest.raises(GuardFailed, match="submitted the evidence"):
        await act(app, POLICE_COMMISSIONER, Event.VERIFY, for_=COMMISSIONER)
    # nor may the lead officer's deputy be the health commissioner's own check: the other commissioner verifies.
    done = await act(app, COMMISSIONER_2, Event.VERIFY)
    assert done.to_state is State.COMMISSIONER_VERIFIED


async def test_a_deputy_may_not_verify_their_own_organisations_evidence(seeded: App) -> None:
    app = seeded
    await act(app, LEAD, Event.SUBMIT_EVIDENCE, note="Briefing sent")
    await name(app, COMMISSIONER, COMMISSIONER, POLICE_COMMISSIONER)
    with pytest.raises(GuardFailed, match="deputy may not verify their own organisation"):
        await act(app, POLICE_COMMISSIONER, Event.VERIFY, for_=COMMISSIONER)


async def test_outside_the_period_or_once_ended_the_deputy_acts_for_nobody(seeded: App) -> None:
    app = seeded
    period = await name(app, LEAD, LEAD, LEAD_2, days=(1, 7))
    assert isinstance(app.clock, FixedClock)
    app.clock.at = datetime(2013, 10, 8, 9, tzinfo=UTC)
    with pytest.raises(DeputyRefused, match=r"is not lead\.wmp@bcsp\.test's deputy today"):
        await act(app, LEAD_2, Event.RECORD_PROGRESS, for_=LEAD, note="x")
    app.clock.at = datetime(2013, 10, 2, 9, tzinfo=UTC)
    await act(app, LEAD_2, Event.RECORD_PROGRESS, for_=LEAD, note="Drafting the briefing")
    ended = await end_deputy(LEAD, period, "Back early", uow_factory=app.uow, clock=app.clock)
    assert not ended.in_force
    with pytest.raises(DeputyRefused):
        await act(app, LEAD_2, Event.RECORD_PROGRESS, for_=LEAD, note="y")
    assert await deputies(app.reader, today=TODAY) == []
    [report] = await verify_log(app.reader)
    assert report.ok, report.problems


@pytest.mark.parametrize(
    ("by", "principal", "deputy", "days", "message"),
    [
        (LEAD_2, LEAD, LEAD_2, (1, 14), "only lead.wmp@bcsp.test or the coordinator"),
        (LEAD, LEAD, LEAD_BSMHFT, (1, 14), "must work for the same agency"),
        (LEAD, LEAD, LEAD, (1, 14), "nobody is their own deputy"),
        (COORDINATOR, COORDINATOR, ASSURER, (1, 14), "not delegated"),
        (LEAD, LEAD, LEAD_2, (14, 1), "ends (2013-10-01) before it starts"),
    ],
)
async def test_who_may_be_named_and_when(
    seeded: App, by: str, principal: str, deputy: str, days: tuple[int, int], message: str
) -> None:
    with pytest.raises(DeputyRefused, match=re.escape(message)):
        await name(seeded, by, principal, deputy, days)


async def test_periods_of_one_person_do_not_overlap_and_the_coordinator_may_name_them(seeded: App) -> None:
    app = seeded
    await name(app, COORDINATOR, LEAD, LEAD_2, days=(1, 10))
    with pytest.raises(DeputyRefused, match="already has a deputy from 2013-10-01 to 2013-10-10"):
        await name(app, LEAD, LEAD, DIRECTOR, days=(10, 20))
    await name(app, LEAD, LEAD, DIRECTOR, days=(11, 20))
    listed = await deputies(app.reader, today=TODAY, person_email=LEAD)
    assert [(v.deputy, v.in_force) for v in listed] == [(LEAD_2, True), (DIRECTOR, False)]


async def test_nobody_decides_a_request_they_made_even_as_someones_deputy(seeded: App) -> None:
    app = seeded
    await name(app, DIRECTOR, DIRECTOR, LEAD)  # the lead officer stands in for their director
    await request_extension(LEAD, KEY, date(2014, 3, 31), "IMS changes", uow_factory=app.uow, clock=app.clock)
    with pytest.raises(ExtensionRefused, match="nobody decides their own request"):
        await decide_extension(LEAD, KEY, True, "", uow_factory=app.uow, clock=app.clock, on_behalf_of=DIRECTOR)
    await name(app, ASSURER, ASSURER, LEAD_2)
    decided = await decide_extension(LEAD_2, KEY, True, "", uow_factory=app.uow, clock=app.clock, on_behalf_of=ASSURER)
    assert decided.target_date == date(2014, 3, 31)


async def test_nobody_decides_a_request_made_for_them_by_their_own_deputy(seeded: App) -> None:
    app = seeded
    await name(app, LEAD, LEAD, LEAD_2)  # the lead's colleague asks for them...
    await name(app, DIRECTOR, DIRECTOR, LEAD)  # ...and the lead stands in for the director
    await request_extension(
        LEAD_2, KEY, date(2014, 3, 31), "IMS changes", uow_factory=app.uow, clock=app.clock, on_behalf_of=LEAD
    )
    with pytest.raises(ExtensionRefused, match="nobody decides their own request"):
        await decide_extension(LEAD, KEY, True, "", uow_factory=app.uow, clock=app.clock, on_behalf_of=DIRECTOR)


async def test_whoever_verified_may_not_assure_it_as_the_partnerships_deputy(seeded: App) -> None:
    app = seeded
    await act(app, LEAD, Event.SUBMIT_EVIDENCE, note="Briefing sent")
    await name(app, ASSURER, ASSURER, COMMISSIONER_2)
    await act(app, COMMISSIONER_2, Event.VERIFY)
    with pytest.raises(GuardFailed, match="whoever verified the evidence may not assure it"):
        await act(app, COMMISSIONER_2, Event.ASSURE, for_=ASSURER)
    done = await act(app, ASSURER, Event.ASSURE)
    assert done.to_state is State.PARTNERSHIP_ASSURED
    [report] = await verify_log(app.reader)
    assert report.ok, report.problems  # the verifier is replayed from the log too


async def test_a_coordinator_does_not_make_themselves_anyones_deputy(seeded: App) -> None:
    with pytest.raises(DeputyRefused, match="does not name themselves"):
        await name(seeded, COORDINATOR, ASSURER, COORDINATOR)


async def test_log_verify_catches_a_deputy_period_stretched_behind_the_logs_back(seeded: App) -> None:
    from sqlalchemy import update

    from storage.tables import DeputyRow

    app = seeded
    period = await name(app, LEAD, LEAD, LEAD_2, days=(1, 2))
    await act(app, LEAD_2, Event.RECORD_PROGRESS, for_=LEAD, note="Drafting")
    [report] = await verify_log(app.reader)
    assert report.ok, report.problems
    async with app.uow() as uow:
        stretch = update(DeputyRow).where(DeputyRow.id == period).values(ends_on=date(2013, 12, 31))  # type: ignore[arg-type]
        await uow.connection.execute(stretch)
        await uow.commit()
    [report] = await verify_log(app.reader)
    assert report.problems == [f"deputy period {period} is not what the log says of it"]


async def test_an_assurers_deputy_may_not_assure_or_withdraw_their_own_organisations_action(seeded: App) -> None:
    app = seeded
    await name(app, ASSURER, ASSURER, LEAD_2)  # a police lead officer stands in for the partnership's assurer
    with pytest.raises(GuardFailed, match="deputy may not withdraw their own organisation's action"):
        await act(app, LEAD_2, Event.WITHDRAW, for_=ASSURER, reason="Superseded")
    await act(app, LEAD, Event.SUBMIT_EVIDENCE, note="Briefing sent")
    await act(app, COMMISSIONER, Event.VERIFY)
    with pytest.raises(GuardFailed, match="deputy may not assure their own organisation's action"):
        await act(app, LEAD_2, Event.ASSURE, for_=ASSURER)
    done = await act(app, ASSURER, Event.ASSURE)  # the assurer, of no agency, may
    assert done.to_state is State.PARTNERSHIP_ASSURED
