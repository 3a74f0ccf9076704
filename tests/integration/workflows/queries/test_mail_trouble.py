"""The coordinator's banner when mail is not going, on real databases: mail waiting to retry after the server
refused, dead letters nobody can receive, and nothing once all of it went (issue 16 item 8)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.integration.helpers import ASSURER, COORDINATOR, LEAD, direct_every_agency
from tests.integration.smtp_server import Inbox, free_port, smtp_server
from tests.integration.workflows.commands.test_dispatch import clock_of, escalate_everything, mail_settings, send_due
from workflows.context import Principal
from workflows.queries.mail_trouble import mail_trouble
from workflows.runtime.container import App


async def principal(app: App, email: str) -> Principal:
    async with app.reader() as uow:
        person = await uow.run(lambda tx: tx.people.by_email(email))
    assert person is not None
    return Principal(person)


async def test_mail_waiting_to_retry_then_sent_shows_then_clears_and_only_for_who_runs_it(
    app: App, seed_plan: Path
) -> None:
    await escalate_everything(app, seed_plan)
    coordinator, assurer, lead = [await principal(app, e) for e in (COORDINATOR, ASSURER, LEAD)]
    assert await mail_trouble(app.reader, coordinator) is None  # queued, not yet tried: nothing is wrong

    port = free_port()  # nothing listens: every try is refused
    settings = mail_settings(port)
    await send_due(app, settings)
    trouble = await mail_trouble(app.reader, coordinator)
    assert trouble is not None
    assert (trouble.retrying, trouble.dead) == (15, 11)  # 11 agencies without a director: see FAR_OVERDUE
    assert trouble.failing_since is not None and trouble.last_reply
    assert await mail_trouble(app.reader, assurer) == trouble
    assert await mail_trouble(app.reader, lead) is None  # a lead officer cannot mend mail

    with smtp_server(Inbox(), port):
        clock_of(app).at += timedelta(seconds=settings.notify_retry_max_s)
        await send_due(app, settings)
    after = await mail_trouble(app.reader, coordinator)
    assert after is not None and (after.retrying, after.dead) == (0, 11)
    assert "has no director" in after.last_reply


async def test_no_trouble_once_everything_went(app: App, seed_plan: Path) -> None:
    await escalate_everything(app, seed_plan)
    await direct_every_agency(app)
    port = free_port()
    with smtp_server(Inbox(), port):
        report = await send_due(app, mail_settings(port))
    assert (report.sent, report.dead) == (26, 0)
    assert await mail_trouble(app.reader, await principal(app, COORDINATOR)) is None
