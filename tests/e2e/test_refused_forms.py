"""Every form off the action page keeps what was typed when it is refused (issue 16 item 3): the answer is a
redirect back to the form's own page (POST-redirect-GET), which shows the form filled in as typed, the error
beside the field it names (``aria-invalid``), and a summary on top linking to the form; read once."""

from __future__ import annotations

import html
import re

import httpx
import pytest

from tests.e2e.conftest import COORDINATOR, Site, csrf_of
from tests.integration.helpers import ASSURER, LEAD
from workflows.commands.sweep import sweep
from workflows.runtime.working_days import england_and_wales


async def refused(client: httpx.AsyncClient, page: str, action: str, form: dict[str, str], key: str) -> str:
    """Post ``form`` to ``action`` from ``page``; the refusal's redirect followed, the page's HTML."""
    start = await client.get(page)
    answer = await client.post(action, data={"csrf": csrf_of(start.text), **form})
    assert answer.status_code == 303, answer.text[:300]
    assert answer.headers["location"] == f"{page}#form-{key}"
    shown = await client.get(page)
    assert shown.status_code == 200
    assert "Not saved:" in shown.text and f'href="#form-{key}"' in shown.text
    again = await client.get(page)
    assert "Not saved:" not in again.text  # read once
    return shown.text


def field_in_error(page: str, key: str, field: str) -> bool:
    return f'id="err-{key}-{field}"' in page and f'aria-describedby="err-{key}-{field}"' in page


async def test_adding_a_person_whose_email_is_taken_keeps_the_form(site: Site) -> None:
    client = await site.browser(COORDINATOR)
    form = {"name": "Typed Person", "email": LEAD, "role": "director", "agency": "West Midlands Police"}
    page = await refused(client, "/people", "/people", form, "person")
    assert 'value="Typed Person"' in page and f'value="{LEAD}"' in page
    assert '<option value="director" selected>' in page and "<option selected>West Midlands Police</option>" in page
    assert field_in_error(page, "person", "email")


async def test_adding_an_agency_twice_keeps_the_name(site: Site) -> None:
    client = await site.browser(COORDINATOR)
    page = await refused(client, "/agencies", "/agencies", {"name": "West Midlands Police"}, "agency")
    assert 'value="West Midlands Police"' in page and field_in_error(page, "agency", "name")


async def test_a_deputy_period_with_a_date_that_is_not_one_keeps_the_reason(site: Site) -> None:
    client = await site.browser(ASSURER)
    form = {"deputy": COORDINATOR, "starts_on": "2013-10-01", "ends_on": "next Friday", "reason": "Annual leave"}
    page = await refused(client, "/deputies", "/deputies", form, "deputy")
    assert 'value="Annual leave"' in page and 'value="next Friday"' in page and 'value="2013-10-01"' in page
    assert field_in_error(page, "deputy", "ends_on")


async def test_a_board_date_that_is_not_a_date_comes_back(site: Site) -> None:
    client = await site.browser(COORDINATOR)
    page = await refused(client, "/board", "/board/dates", {"day": "2099-13-01"}, "board-date")
    assert 'value="2099-13-01"' in page and field_in_error(page, "board-date", "day")


async def test_a_ladder_with_a_bad_step_keeps_every_line_typed(site: Site) -> None:
    client = await site.browser(COORDINATOR)
    steps = "reminder:-10:reminder:lead_officer\nsoon:whenever:escalation:director"
    page = await refused(
        client, "/ladders", "/ladders", {"name": "lead_officer", "steps": steps}, "ladder-lead_officer"
    )
    assert html.escape(steps, quote=False) in page
    assert "whenever" in page and re.search(r'id="form-ladder-lead_officer">\s*<p class="error"', page)


async def test_a_catch_up_rule_that_is_none_says_so_on_its_form(site: Site) -> None:
    client = await site.browser(COORDINATOR)
    page = await refused(client, "/ladders", "/ladders/catch-up", {"rule": "sometimes"}, "catch-up")
    assert re.search(r'id="form-catch-up">\s*<h2>Catch-up</h2>\s*<p class="error"', page)


async def test_signing_off_without_ticking_the_box_says_so_beside_it(site: Site) -> None:
    client = await site.browser(ASSURER)
    review = "BDHR2011/12-03"
    form = {"review": review, "step": "sign_off"}
    page = await refused(client, "/reviews", "/reviews/final-audit", form, f"signoff-{review}-")
    assert 'id="err-signoff-BDHR2011/12-03--confirm"' in page  # in its form (here: not yet at final audit)


async def test_an_acknowledgement_note_too_long_to_keep_is_shown_on_the_error_page_to_copy(site: Site) -> None:
    app = site.app
    await sweep(app.clock.today(), uow_factory=app.uow, clock=app.clock, calendar=england_and_wales())
    client = await site.browser(ASSURER)
    listing = await client.get("/escalations")
    found = re.search(r'action="/escalations/(\d+)/acknowledge"', listing.text)
    assert found is not None
    escalation = found.group(1)
    # Too long to keep (20,000 characters at most): too big to carry back in a cookie too, so the error page
    # itself holds the text to copy; nothing is acknowledged.
    note = "On the agenda of the next board. " * 700
    answer = await client.post(
        f"/escalations/{escalation}/acknowledge", data={"csrf": csrf_of(listing.text), "note": note}
    )
    assert answer.status_code == 422 and "--note is 23,100 characters; the most is 20,000" in answer.text
    assert "What you typed" in answer.text and note.strip() in html.unescape(answer.text)
    assert "Not saved:" not in (await client.get("/escalations")).text and "acknowledged by" not in listing.text


@pytest.mark.parametrize("name", ["", "x" * 300])
async def test_a_token_refused_comes_back_to_its_form(site: Site, name: str) -> None:
    client = await site.browser(LEAD)
    page = await refused(client, "/tokens", "/tokens", {"name": name}, "token")
    assert re.search(r'id="form-token">\s*<h2>Create a token</h2>\s*<p class="error"', page) or field_in_error(
        page, "token", "name"
    )
