"""The board cycle on real databases, with a real SMTP server: meeting dates are decisions, each lead
officer with open actions is asked once and reminded once if they gave no update, and the board pack
names who did not answer.

Days are fixed (the conftest's clock is 2013-10-01): the meeting is 2013-10-30, so with the defaults
(10 and 5 working days) the requests go on 2013-10-16 and the reminders on 2013-10-23.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from documents.board_html import board_html
from domain.board_cycle import CycleDays
from domain.errors import BoardDateRefused
from domain.states import Event
from storage.tables import OutboxRow
from tests.integration.helpers import ASSURER, COORDINATOR, LEAD, LEAD_BSMHFT, seed
from tests.integration.smtp_server import Inbox, free_port, smtp_server
from tests.integration.workflows.commands.test_dispatch import mail_settings, send_due
from workflows.commands.board_cycle import add_board_date, board_dates, remove_board_date, run_board_cycle
from workflows.commands.board_report import issue_board_packs
from workflows.commands.transitions import TransitionCommand, take_transition
from workflows.context import ActionKey
from workflows.errors import InvalidInput
from workflows.queries.board_pack import board_pack
from workflows.queries.log import ExpectedHead, verify_log
from workflows.runtime.container import App
from workflows.runtime.working_days import england_and_wales

MEETING = date(2013, 10, 30)


async def cycle(app: App, day: date) -> tuple[int, int]:
    report = await run_board_cycle(
        day, uow_factory=app.uow, clock=app.clock, calendar=england_and_wales(), days=CycleDays()
    )
    return report.requests, report.reminders


async def rows(app: App) -> list[tuple[str, str]]:
    async with app.reader() as uow:
        stmt = select(OutboxRow.kind, OutboxRow.idempotency_key).where(
            OutboxRow.kind.like("progress%"),  # type: ignore[attr-defined]
            OutboxRow.parent_id.is_(None),  # type: ignore[union-attr]
        )
        return [(k, i) for k, i in (await uow.connection.execute(stmt.order_by(OutboxRow.id))).all()]


async def test_the_coordinator_sets_and_removes_meeting_dates(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    await add_board_date(COORDINATOR, MEETING, uow_factory=app.uow, clock=app.clock)
    with pytest.raises(BoardDateRefused, match="already"):
        await add_board_date(COORDINATOR, MEETING, uow_factory=app.uow, clock=app.clock)
    with pytest.raises(BoardDateRefused, match="after today"):
        await add_board_date(COORDINATOR, date(2013, 9, 1), uow_factory=app.uow, clock=app.clock)
    with pytest.raises(InvalidInput):
        await add_board_date(LEAD, date(2013, 12, 1), uow_factory=app.uow, clock=app.clock)
    await add_board_date(COORDINATOR, date(2013, 12, 4), uow_factory=app.uow, clock=app.clock)
    await remove_board_date(COORDINATOR, date(2013, 12, 4), "moved", uow_factory=app.uow, clock=app.clock)
    with pytest.raises(BoardDateRefused, match="does not meet"):
        await remove_board_date(COORDINATOR, date(2013, 12, 4), uow_factory=app.uow, clock=app.clock)
    assert await board_dates(app.reader) == [MEETING]
    [log] = await verify_log(app.reader)
    assert log.ok


async def test_each_lead_officer_is_asked_once_reminded_once_and_the_pack_names_who_did_not_answer(
    app: App, seed_plan: Path
) -> None:
    await seed(app, seed_plan)
    await add_board_date(COORDINATOR, MEETING, uow_factory=app.uow, clock=app.clock)
    assert await cycle(app, date(2013, 10, 15)) == (0, 0)
    assert await cycle(app, date(2013, 10, 16)) == (2, 0)  # the two agencies with a lead officer
    assert await cycle(app, date(2013, 10, 17)) == (0, 0)  # once
    progress = TransitionCommand(LEAD, ActionKey("3.11.1"), Event.RECORD_PROGRESS, note="Briefing drafted")
    await take_transition(progress, uow_factory=app.uow, clock=app.clock, store=app.store)
    assert await cycle(app, date(2013, 10, 23)) == (0, 1)  # only the one who gave no update
    assert await cycle(app, date(2013, 10, 24)) == (0, 0)
    assert await cycle(app, MEETING) == (0, 0)  # the meeting has come

    kinds = [k for k, _ in await rows(app)]
    assert kinds == ["progress_request", "progress_request", "progress_reminder"]
    assert all(key.startswith("board:") for _, key in await rows(app))

    pack = await board_pack(
        app.reader, None, date(2013, 10, 1), date(2013, 10, 23), today=date(2013, 10, 23), policy=app.rag_policy
    )
    assert pack.no_update is not None
    assert (pack.no_update.meets_on, pack.no_update.asked) == (MEETING, 2)
    assert [name for name, _, _ in pack.no_update.people] == ["Lead BSMHFT"]
    assert "No progress update for the board on 30 October 2013 (1 of 2 asked)" in board_html(pack)
    [log] = await verify_log(app.reader)
    assert log.ok


async def test_the_request_reaches_the_lead_officer_by_email(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    await add_board_date(COORDINATOR, MEETING, uow_factory=app.uow, clock=app.clock)
    await cycle(app, date(2013, 10, 16))
    inbox = Inbox()
    port = free_port()
    with smtp_server(inbox, port):
        report = await send_due(app, mail_settings(port))
    assert report.sent == 2
    by_rcpt = {tuple(rcpt): mail for rcpt, mail in inbox.received}
    mail = by_rcpt[(LEAD_BSMHFT,)]
    assert mail["Subject"] == "Progress update wanted for the board on 30 October 2013"
    body = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Your open actions: BDHR2011/12-03 3.2.3" in body


async def test_the_monthly_board_email_carries_the_log_head_as_it_stood_when_it_was_queued(
    app: App, seed_plan: Path
) -> None:
    await seed(app, seed_plan)
    [before] = await verify_log(app.reader)
    head = f"BCSP:{before.chain.head_seq}:{before.chain.head_hash[:16]}"
    assert (await issue_board_packs(date(2013, 10, 1), uow_factory=app.uow, clock=app.clock)).partnerships == 1
    progress = TransitionCommand(LEAD, ActionKey("3.11.1"), Event.RECORD_PROGRESS, note="Briefing drafted")
    await take_transition(progress, uow_factory=app.uow, clock=app.clock, store=app.store)  # before it is sent
    inbox = Inbox()
    port = free_port()
    with smtp_server(inbox, port):
        assert (await send_due(app, mail_settings(port))).sent == 1  # the assurer (the seed has no viewer)
    [mail] = inbox.to(ASSURER)
    body = " ".join(mail.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert f"Decision log head: {head}" in body  # at issue, not at sending
    assert f"`dhrflow log verify --expect-head {head}`" in body
    [checked] = await verify_log(app.reader, expect=[ExpectedHead.parse(head)])
    assert checked.ok and checked.chain.head_seq == before.chain.head_seq + 2  # the issue, then the progress
