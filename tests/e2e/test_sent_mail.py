"""Sent mail (demo): the coordinator reads what the demo's mail sink kept; nobody else does, and an
installation without the sink has no such page (issue 16)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from email.message import EmailMessage
from pathlib import Path

import aiosmtplib
import pytest
from asgi_lifespan import LifespanManager

from notifications.sink import start_sink
from tests.e2e.conftest import COORDINATOR, Site
from tests.integration.helpers import LEAD, seed
from tests.integration.smtp_server import free_port
from tests.integration.workflows.commands.test_dispatch import escalate_everything_again, mail_settings, send_due
from web.app import create_app
from workflows.runtime.clock import FixedClock
from workflows.runtime.settings import Settings


@pytest.fixture
async def demo_site(settings: Settings, clock: FixedClock, seed_plan: Path, tmp_path: Path) -> AsyncIterator[Site]:
    web = create_app(settings.model_copy(update={"mail_sink_dir": tmp_path / "sent-mail"}), clock=clock)
    async with LifespanManager(web) as manager:
        await seed(web.state.dhr, seed_plan)
        yield Site(web.state.dhr, manager.app)


async def test_the_coordinator_reads_the_mail_the_demo_sent_and_a_lead_may_not(demo_site: Site, tmp_path: Path) -> None:
    port = free_port()
    sink = start_sink(tmp_path / "sent-mail", port)
    try:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = "dhrflow@bcsp.test", LEAD, "Action 3.11.1 is overdue"
        message.set_content("The target date was 30/06/2013.")
        await aiosmtplib.send(message, hostname="127.0.0.1", port=port)
    finally:
        sink.stop()

    coordinator = await demo_site.browser(COORDINATOR)
    page = await coordinator.get("/notifications/sent")
    assert page.status_code == 200
    assert (
        "Action 3.11.1 is overdue" in page.text and LEAD in page.text and "The target date was 30/06/2013." in page.text
    )
    assert "Sent mail (demo)" in (await coordinator.get("/notifications")).text

    lead = await demo_site.browser(LEAD)
    assert (await lead.get("/notifications/sent")).status_code == 403


async def test_without_the_sink_there_is_no_sent_mail_page(site: Site) -> None:
    coordinator = await site.browser(COORDINATOR)
    assert (await coordinator.get("/notifications/sent")).status_code == 404
    assert "Sent mail (demo)" not in (await coordinator.get("/notifications")).text


async def test_mail_that_is_not_going_is_a_banner_for_the_coordinator_on_every_page(site: Site) -> None:
    await escalate_everything_again(site.app)
    await send_due(site.app, mail_settings(free_port()))  # nothing listens: refused, waiting to retry

    coordinator = await site.browser(COORDINATOR)
    for path in ("/", "/actions", "/reviews"):
        page = await coordinator.get(path)
        assert "Mail is not going out." in page.text, path
        assert "waiting to be tried again" in page.text and 'href="/notifications"' in page.text
    lead = await site.browser(LEAD)
    assert "Mail is not going out." not in (await lead.get("/")).text
