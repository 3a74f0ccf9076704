"""The deadline calendar from the web: a person makes their address, a calendar program reads it without
signing in, and it stops working when revoked."""

from __future__ import annotations

import re

import pytest
from icalendar import Calendar

from tests.e2e.conftest import Site, csrf_of
from tests.integration.helpers import LEAD
from workflows.runtime.settings import Settings

EVIL = {"Host": "evil.example"}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"base_url": "https://dhrflow.bcsp.test"})


async def test_a_person_makes_subscribes_to_and_revokes_their_calendar_address(site: Site) -> None:
    lead = await site.browser(LEAD)
    page = await lead.get("/calendar")
    assert page.status_code == 200 and "You have no calendar address." in page.text
    made = await lead.post("/calendar", data={"csrf": csrf_of(page.text)}, headers=EVIL)
    found = re.search(r'value="https://dhrflow\.bcsp\.test(/calendar/cal_[^"]+\.ics)"', made.text)
    assert found and "evil.example" not in made.text, made.text  # the configured address, never the Host
    feed = await site.client().get(found.group(1))  # no cookie: a calendar program
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    summaries = {str(e["SUMMARY"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")}
    assert summaries == {"Target date: DARDR BDHR2011/12-03 3.11.1", "Target date: DARDR BDHR2011/12-03 3.11.2"}

    revoked = await lead.post("/calendar/revoke", data={"csrf": csrf_of(made.text)}, follow_redirects=True)
    assert "calendar address revoked" in revoked.text
    assert (await site.client().get(found.group(1))).status_code == 404
    refused = await lead.post("/calendar", data={"csrf": "wrong"})
    assert refused.status_code == 403
