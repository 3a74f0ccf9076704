"""Overdue milestones on real databases: a review imported with no submission climbs its own ladder through the
real sweep, each step on its working day (and not the day before), once; the mail reaches a real SMTP server;
recording the submission stops it; its escalation is acknowledged like an action's; ``log verify`` passes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from domain.ladders import LadderName
from notifications.sender import SmtpSender
from notifications.settings import NotifySettings
from tests.integration.helpers import ASSURER, COORDINATOR, LEAD, seed
from tests.integration.smtp_server import Inbox, free_port, smtp_server
from workflows.commands.acknowledgements import acknowledge, escalations
from workflows.commands.dispatch import dispatch
from workflows.commands.milestones import MilestoneCommand, record_milestone
from workflows.commands.sweep import Firing, sweep
from workflows.context import Principal
from workflows.queries.board_pack import board_pack
from workflows.queries.log import verify_log
from workflows.queries.reviews import review_page
from workflows.queries.tasks import TaskKind, tasks
from workflows.queries.timeline import review_timeline
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import App
from workflows.runtime.working_days import england_and_wales

CAL = england_and_wales()
REF = "BDHR2011/12-03"
IMPORTED = date(2013, 10, 1)  # the seed's import day (the test clock's)
REMINDER, OVERDUE, ESCALATION = date(2013, 10, 29), date(2013, 11, 26), date(2013, 12, 24)
"""20, 40 and 60 working days after the import."""


@pytest.fixture
def inbox() -> Inbox:
    return Inbox()


@pytest.fixture
def smtp_port(inbox: Inbox) -> Iterator[int]:
    port = free_port()
    with smtp_server(inbox, port):
        yield port


def _at(app: App, day: date, hour: int = 7) -> None:
    assert isinstance(app.clock, FixedClock)
    app.clock.at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=hour)


async def _sweep(app: App, day: date) -> list[Firing]:
    """The review's own steps the sweep fires on ``day`` (the actions' are other tests')."""
    _at(app, day)
    report = await sweep(day, uow_factory=app.uow, clock=app.clock, calendar=CAL)
    return [f for f in report.fired if f.ladder is LadderName.REPORT_SUBMISSION]


async def _send(app: App, smtp_port: int) -> None:
    settings = NotifySettings(  # type: ignore[call-arg]
        _env_file=None,
        smtp_port=smtp_port,
        smtp_security="plain",
        mail_from="dhrflow@bcsp.test",
        base_url="https://x.test",
    )
    await dispatch(settings, uow_factory=app.uow, clock=app.clock, sender=SmtpSender(settings))


async def test_an_unsent_report_climbs_its_ladder_on_its_days_and_stops_once_recorded(
    app: App, seed_plan: Path, inbox: Inbox, smtp_port: int
) -> None:
    await seed(app, seed_plan)
    assert (await review_timeline(app.reader, REF, today=IMPORTED)).imported_on == IMPORTED
    assert await _sweep(app, IMPORTED) == []
    assert await _sweep(app, REMINDER - timedelta(days=1)) == []  # the day before: nothing
    fired = await _sweep(app, REMINDER)
    assert [(f.review_ref, f.action_ref, f.step, f.anchor_date, f.due_on) for f in fired] == [
        (REF, "", "reminder", IMPORTED, REMINDER)
    ]
    assert await _sweep(app, REMINDER) == []  # once
    await _send(app, smtp_port)
    assert f"Reminder: report of review DARDR {REF} due by 26 November 2013" in [
        str(m["Subject"]) for m in inbox.to(COORDINATOR)
    ]
    about_the_report = [str(m["Subject"]) for who in (ASSURER, LEAD) for m in inbox.to(who) if "report" in m["Subject"]]
    assert about_the_report == []  # the reminder is the coordinator's

    assert await _sweep(app, OVERDUE - timedelta(days=1)) == []
    assert [f.step for f in await _sweep(app, OVERDUE)] == ["overdue"]
    await _send(app, smtp_port)
    for who in (COORDINATOR, ASSURER):
        overdue = [m for m in inbox.to(who) if str(m["Subject"]) == f"Overdue: report of review DARDR {REF} not sent"]
        assert len(overdue) == 1, who
    body = overdue[0].get_body(("plain",))
    assert body is not None and "Report submitted to the Home Office" in body.get_content()

    late = await review_timeline(app.reader, REF, today=OVERDUE + timedelta(days=1))
    assert (late.next_due_on, late.overdue, late.standing) == (OVERDUE, True, "submission overdue since 2013-11-26")
    assert late.to_json()["next"]["overdue"] is True
    on_the_day = await review_timeline(app.reader, REF, today=OVERDUE)
    assert (on_the_day.overdue, on_the_day.standing) == (False, "not yet submitted (submission due by 2013-11-26)")
    coordinator = await _principal(app, COORDINATOR)
    pid = coordinator.person.partnership_id
    page = await review_page(app.reader, pid, today=OVERDUE + timedelta(days=1), policy=app.rag_policy)
    assert [s.standing for s in page.summaries if s.review_ref == REF] == ["submission overdue since 2013-11-26"]

    _at(app, date(2013, 12, 2), hour=10)
    command = MilestoneCommand(REF, "report_submitted_to_home_office", date(2013, 12, 2))
    await record_milestone(COORDINATOR, command, uow_factory=app.uow, clock=app.clock)
    sent = await review_timeline(app.reader, REF, today=date(2013, 12, 2))
    assert (sent.next_due_on, sent.overdue, sent.standing) == (None, False, "submitted 2013-12-02")
    assert await _sweep(app, ESCALATION) == []  # recorded: the ladder has stopped
    assert await _sweep(app, date(2014, 6, 2)) == []
    async with app.reader() as uow:
        rows = await uow.connection.execute(
            text(
                "SELECT action_id, review_ref, payload FROM decision WHERE event = 'escalated' "
                "AND review_id IS NOT NULL AND action_id IS NULL ORDER BY seq"
            )
        )
        logged = rows.all()
    assert [(a, r) for a, r, _ in logged] == [(None, REF), (None, REF)]
    assert '"milestone": "report_submitted_to_home_office"' in logged[0][2]
    [log] = await verify_log(app.reader)
    assert log.ok, log.problems


async def _principal(app: App, email: str) -> Principal:
    async with app.reader() as uow:
        person = await uow.run(lambda tx: tx.people.by_email(email))
    assert person is not None
    return Principal(person)


async def test_a_review_found_long_overdue_is_escalated_once_and_acknowledged_like_an_action(
    app: App, seed_plan: Path
) -> None:
    await seed(app, seed_plan)
    assert [f.step for f in await _sweep(app, ESCALATION + timedelta(days=30))] == ["escalation"]  # catch-up
    coordinator = await _principal(app, COORDINATOR)
    waiting = [t for t in await tasks(app.reader, coordinator, today=ESCALATION) if t.kind is TaskKind.ACKNOWLEDGE]
    assert [(t.review_ref, t.action_id, t.action_text) for t in waiting] == [
        (REF, None, "Report submitted to the Home Office")
    ]
    [view] = await escalations(app.reader, mine=COORDINATOR)
    assert (view.review_ref, view.action_ref, view.action_id, view.milestone, view.kind) == (
        REF,
        "",
        0,
        "Report submitted to the Home Office",
        "escalation",
    )
    assert "the coordinator (Coordinator)" in view.told and "the partnership (Partnership Assurer)" in view.told
    assert view.lateness == "79 working days after the plan was imported"  # the day the catch-up fired it
    assert [v.id for v in await escalations(app.reader, mine=LEAD)] == []  # a review's ladder tells no agency

    _at(app, ESCALATION + timedelta(days=31), hour=10)
    done = await acknowledge(ASSURER, view.id, "sending it this week", uow_factory=app.uow, clock=app.clock)
    assert done.acknowledged_by == ASSURER
    [again] = [v for v in await escalations(app.reader) if v.id == view.id]
    assert (again.acknowledged_by_name, again.acknowledged_note) == ("Partnership Assurer", "sending it this week")
    assert [t for t in await tasks(app.reader, coordinator, today=ESCALATION) if t.kind is TaskKind.ACKNOWLEDGE] == []

    day = ESCALATION + timedelta(days=30)
    pack = await board_pack(app.reader, None, ESCALATION, day, today=day, policy=app.rag_policy)
    assert [(e.review_ref, e.ref) for e in pack.escalations if not e.agency] == [
        (REF, "Report submitted to the Home Office")
    ]
    [log] = await verify_log(app.reader)
    assert log.ok, log.problems
