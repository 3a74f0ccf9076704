"""The deadline calendar: the feed parses with icalendar, holds the right dates, and its address can be revoked.

The clock is pinned (2013-10-01, the conftest's).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar

from domain.states import Event
from tests.integration.helpers import COMMISSIONER, LEAD, LEAD_BSMHFT, seed
from workflows.commands.calendar_feed import create_calendar_feed, revoke_calendar_feed
from workflows.commands.extensions import request_extension
from workflows.commands.transitions import TransitionCommand, take_transition
from workflows.context import ActionKey
from workflows.errors import UnknownPerson
from workflows.queries.actions import action_detail
from workflows.queries.calendar_feed import calendar_feed
from workflows.runtime.container import App
from workflows.runtime.working_days import england_and_wales

DIRECTOR = "director.wmp@bcsp.test"


async def _events(app: App, email: str) -> dict[str, date]:
    token = await create_calendar_feed(email, uow_factory=app.uow, clock=app.clock)
    body = await calendar_feed(token, reader=app.reader, clock=app.clock)
    assert body is not None
    cal = Calendar.from_ical(body)
    return {str(e["SUMMARY"]): e.decoded("DTSTART") for e in cal.walk("VEVENT")}


async def _target(app: App, ref: str) -> date:
    detail = await action_detail(app.reader, ActionKey(ref), today=app.clock.today(), policy=app.rag_policy)
    assert detail.action.target_date is not None
    return detail.action.target_date


async def test_the_feed_holds_target_dates_evidence_to_check_and_extensions_to_decide(
    app: App, seed_plan: Path
) -> None:
    await seed(app, seed_plan)
    submit = TransitionCommand(LEAD_BSMHFT, ActionKey("3.2.3"), Event.SUBMIT_EVIDENCE, note="Audit of 40 records")
    await take_transition(submit, uow_factory=app.uow, clock=app.clock, store=app.store)
    await request_extension(
        LEAD, ActionKey("3.11.2"), date(2014, 3, 31), "IMS release", uow_factory=app.uow, clock=app.clock
    )

    lead = await _events(app, LEAD)
    assert lead == {
        "Target date: DARDR BDHR2011/12-03 3.11.1": await _target(app, "3.11.1"),
        "Target date: DARDR BDHR2011/12-03 3.11.2": await _target(app, "3.11.2"),
    }
    check_by = england_and_wales().add_working_days(app.clock.today(), 10)
    assert (await _events(app, COMMISSIONER))["Evidence to check: DARDR BDHR2011/12-03 3.2.3"] == check_by
    assert not [s for s in await _events(app, LEAD_BSMHFT) if s.startswith("Evidence")]  # who submitted
    director = await _events(app, DIRECTOR)
    assert director == {"Extension request to decide: DARDR BDHR2011/12-03 3.11.2": await _target(app, "3.11.2")}


async def test_no_names_in_the_feed_and_a_revoked_or_replaced_address_opens_nothing(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    first = await create_calendar_feed(LEAD, uow_factory=app.uow, clock=app.clock)
    body = await calendar_feed(first, reader=app.reader, clock=app.clock)
    assert body is not None and b"Lead WMP" not in body and LEAD.encode() not in body
    second = await create_calendar_feed(LEAD, uow_factory=app.uow, clock=app.clock)
    assert await calendar_feed(first, reader=app.reader, clock=app.clock) is None
    assert await calendar_feed(second, reader=app.reader, clock=app.clock) is not None
    assert await revoke_calendar_feed(LEAD, uow_factory=app.uow, clock=app.clock) == 1
    assert await calendar_feed(second, reader=app.reader, clock=app.clock) is None
    assert await calendar_feed("cal_nonsense", reader=app.reader, clock=app.clock) is None
    with pytest.raises(UnknownPerson):
        await create_calendar_feed("nobody@bcsp.test", uow_factory=app.uow, clock=app.clock)
