"""Impact checks on real databases: an assured action's check fires on its day through the real sweep (and not
the day before), its mail goes out through the outbox to a real SMTP server, the answer is a decision that
``log verify`` replays, and a forged answer is named."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from documents.board_html import board_html
from documents.board_pdf import board_pdf
from domain.impact import ImpactOutcome
from domain.ladders import LadderName
from domain.states import Event
from notifications.sender import SmtpSender
from notifications.settings import NotifySettings
from tests.integration.helpers import ASSURER, COMMISSIONER, LEAD, seed
from tests.integration.smtp_server import Inbox, free_port, smtp_server
from tests.pdf import pdf_text
from workflows.commands.dispatch import dispatch
from workflows.commands.impact import ImpactCommand, record_impact
from workflows.commands.sweep import Firing, sweep
from workflows.commands.transitions import TransitionCommand, take_transition
from workflows.context import ActionKey
from workflows.queries.board_pack import board_pack
from workflows.queries.impact import impact_due
from workflows.queries.log import verify_log
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import App
from workflows.runtime.working_days import england_and_wales

CAL = england_and_wales()
REF = "3.11.1"  # West Midlands Police, verified by commissioners
ASSURED_ON = date(2013, 10, 1)
DUE_ON = date(2014, 4, 1)  # six months on: a Tuesday, a working day


@pytest.fixture
def inbox() -> Inbox:
    return Inbox()


@pytest.fixture
def smtp_port(inbox: Inbox) -> Iterator[int]:
    port = free_port()
    with smtp_server(inbox, port):
        yield port


async def _assure(app: App) -> None:
    for who, event, note in [
        (LEAD, Event.SUBMIT_EVIDENCE, "briefing sent"),
        (COMMISSIONER, Event.VERIFY, ""),
        (ASSURER, Event.ASSURE, ""),
    ]:
        command = TransitionCommand(who, ActionKey(REF), event, note=note)
        await take_transition(command, uow_factory=app.uow, clock=app.clock, store=app.store)


async def _sweep(app: App, day: date) -> list[Firing]:
    assert isinstance(app.clock, FixedClock)
    app.clock.at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=7)
    report = await sweep(day, uow_factory=app.uow, clock=app.clock, calendar=CAL)
    return [f for f in report.fired if f.ladder is LadderName.IMPACT_CHECK]


async def test_an_assured_actions_impact_check_fires_on_its_day_and_not_the_day_before(
    app: App, seed_plan: Path, inbox: Inbox, smtp_port: int
) -> None:
    await seed(app, seed_plan)
    await _assure(app)
    assert [f for f in await _sweep(app, ASSURED_ON)] == []
    reminder_day = CAL.add_working_days(DUE_ON, -10)
    assert [(f.action_ref, f.step) for f in await _sweep(app, reminder_day)] == [(REF, "reminder")]
    assert await _sweep(app, DUE_ON - timedelta(days=1)) == []  # the day before: nothing
    fired = await _sweep(app, DUE_ON)
    assert [(f.action_ref, f.step, f.anchor_date, f.due_on) for f in fired] == [(REF, "due", DUE_ON, DUE_ON)]
    assert await _sweep(app, DUE_ON) == []  # once
    due = await impact_due(app.reader, ASSURER, today=DUE_ON)
    assert [(d.action_ref, d.due_on) for d in due] == [(REF, DUE_ON)]

    settings = NotifySettings(  # type: ignore[call-arg]
        _env_file=None,
        smtp_port=smtp_port,
        smtp_security="plain",
        mail_from="dhrflow@bcsp.test",
        base_url="https://x.test",
    )
    await dispatch(settings, uow_factory=app.uow, clock=app.clock, sender=SmtpSender(settings))
    subjects = [str(m["Subject"]) for m in inbox.to(ASSURER)]
    assert f"Impact check due: action {REF} (DARDR BDHR2011/12-03)" in subjects

    app.clock.at = datetime(2014, 4, 2, 9, tzinfo=UTC)
    command = ImpactCommand(ASSURER, ActionKey(REF), ImpactOutcome.CONFIRMED, note="re-audit: s136 use down")
    await record_impact(command, uow_factory=app.uow, clock=app.clock, store=app.store)
    assert await _sweep(app, date(2014, 6, 2)) == []  # answered: the ladder has stopped
    assert await impact_due(app.reader, ASSURER, today=date(2014, 6, 2)) == []
    [log] = await verify_log(app.reader)
    assert log.ok, log.problems


async def test_log_verify_names_an_answer_the_rules_forbid_and_a_row_the_log_does_not_explain(
    app: App, seed_plan: Path
) -> None:
    await seed(app, seed_plan)
    await _assure(app)
    command = ImpactCommand(ASSURER, ActionKey(REF), ImpactOutcome.NOT_SHOWN, reason="no change in the re-audit")
    await record_impact(command, uow_factory=app.uow, clock=app.clock, store=app.store)
    async with app.uow() as uow:
        await uow.connection.execute(text("UPDATE impact_check SET outcome = 'impact_confirmed'"))
        await uow.commit()
    [log] = await verify_log(app.reader)
    assert not log.ok
    assert any(
        f"the impact check of action {REF} of BDHR2011/12-03: its answer is not what the log says" in p
        for p in log.problems
    )


async def test_the_board_pack_counts_actions_assured_against_impact_confirmed(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    await _assure(app)
    for who, event, note in [
        (LEAD, Event.SUBMIT_EVIDENCE, "audit done"),
        (COMMISSIONER, Event.VERIFY, ""),
        (ASSURER, Event.ASSURE, ""),
    ]:
        command = TransitionCommand(who, ActionKey("3.11.2"), event, note=note, impact_due_on=None)
        await take_transition(command, uow_factory=app.uow, clock=app.clock, store=app.store)
    confirmed = ImpactCommand(ASSURER, ActionKey(REF), ImpactOutcome.CONFIRMED, note="re-audit matches")
    await record_impact(confirmed, uow_factory=app.uow, clock=app.clock, store=app.store)
    day = date(2014, 5, 1)  # 3.11.2's check (due 1 April 2014) is overdue by then
    pack = await board_pack(app.reader, None, date(2014, 4, 1), day, today=day, policy=app.rag_policy)
    [review] = pack.reviews
    assert [(i.agency, i.cells()) for i in review.impact] == [("West Midlands Police", (2, 1, 0, 0, 1))]
    assert review.impact_totals.cells() == (2, 1, 0, 0, 1)
    html = board_html(pack)
    assert "Impact after assurance" in html and '<td class="n" data-label="Impact confirmed">1</td>' in html
    assert "Impact after assurance" in pdf_text(board_pdf(pack))
