"""Bulk moves on the actions list, over HTTP and in Chromium: the form offers only the moves the person could
make on what the list shows, answers with a redirect back to the filtered list and a summary, keeps a refused
form's ticks and text, and is the same use case as ``POST /api/v1/actions/bulk``."""

from __future__ import annotations

import random
import re
import string
from datetime import date

import pytest
from playwright.async_api import Browser, expect

from domain.states import Event
from tests.e2e.conftest import Site, csrf_of
from tests.e2e.test_accessibility import violations
from tests.e2e.test_journey import ARTIFACTS, DIRECTOR, served, sign_in_as
from tests.integration.helpers import ASSURER, COMMISSIONER, LEAD, LEAD_BSMHFT, POLICE_COMMISSIONER
from workflows.commands.sweep import sweep
from workflows.commands.transitions import TransitionCommand, take_transition
from workflows.context import ActionKey
from workflows.runtime.container import App
from workflows.runtime.working_days import england_and_wales

__all__ = ["served"]  # the fixture, shared with the journey
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

SUBMITTED = "/actions?review=BDHR2011%2F12-03&state=evidence_submitted"


async def act(site: Site | App, who: str, ref: str, event: Event, *, reason: str = "", note: str = "") -> None:
    app = site.app if isinstance(site, Site) else site
    command = TransitionCommand(who, ActionKey(ref), event, reason=reason, note=note)
    await take_transition(command, uow_factory=app.uow, clock=app.clock, store=app.store)


async def submitted(site: Site | App) -> None:
    """Evidence in on 3.11.1 and 3.11.2 (the police) and 3.8.2 (the trust), each waiting for a commissioner."""
    for who, ref in ((LEAD, "3.11.1"), (LEAD, "3.11.2"), (LEAD_BSMHFT, "3.8.2")):
        await act(site, who, ref, Event.SUBMIT_EVIDENCE, note="Minutes attached")


def ticks(html: str) -> dict[str, str]:
    """Each box's screen-reader label ("Tick BDHR2011/12-03 3.11.1") to its value (``id:version``)."""
    box = r'name="pick" value="([^"]+)"[^>]*><label class="visually-hidden" for="[^"]+">Tick ([^<]+)<'
    boxes = re.findall(box, html)
    return {label.split()[-1]: value for value, label in boxes}


async def test_a_commissioner_verifies_the_ticked_actions_and_returns_to_the_filtered_list(site: Site) -> None:
    await submitted(site)
    commissioner = await site.browser(COMMISSIONER)
    page = await commissioner.get(SUBMITTED)
    assert 'value="verify"' in page.text and 'value="assure"' not in page.text and 'value="reassign"' not in page.text
    boxes = ticks(page.text)
    assert sorted(boxes) == ["3.11.1", "3.11.2", "3.8.2"]
    await act(site, POLICE_COMMISSIONER, "3.8.2", Event.REJECT, reason="No audit figures")  # meanwhile
    form = {
        "csrf": csrf_of(page.text),
        "review": "BDHR2011/12-03",
        "state": "evidence_submitted",
        "move": "verify",
        "comment": "Checked against the audit",
        "pick": list(boxes.values()),
    }
    answer = await commissioner.post("/actions/bulk", data=form)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/actions?review=BDHR2011%2F12-03&state=evidence_submitted#bulk"
    shown = await commissioner.get(answer.headers["location"])
    assert "2 verified, 1 refused." in shown.text
    done = shown.text.split("<h3>Done</h3>")[1].split("</ul>")[0]
    assert "3.11.1</a>: now checked by the commissioner" in done and "3.11.2</a>" in done
    refused = shown.text.split("<h3>Refused, and why</h3>")[1].split("</ul>")[0]
    assert "3.8.2</a>: Someone else changed it after the list was shown" in refused
    assert ticks(shown.text) == {}  # the filtered list: nothing is waiting for a commissioner now
    again = await commissioner.get(answer.headers["location"])
    assert "What was done" not in again.text  # read once: a reload shows the list


async def test_a_refused_form_comes_back_with_its_ticks_and_comment(site: Site) -> None:
    await submitted(site)
    await act(site, COMMISSIONER, "3.11.1", Event.VERIFY)
    assurer = await site.browser(ASSURER)
    page = await assurer.get("/actions?state=commissioner_verified")
    assert 'value="assure"' in page.text and 'value="verify"' not in page.text
    [box] = ticks(page.text).values()
    form = {"csrf": csrf_of(page.text), "state": "commissioner_verified", "move": "assure", "comment": "All there"}
    answer = await assurer.post("/actions/bulk", data=form | {"pick": box})
    shown = await assurer.get(answer.headers["location"])
    assert "tick the box to confirm you have checked the evidence" in shown.text
    assert f'value="{box}" checked' in shown.text and ">All there</textarea>" in shown.text
    confirmed = await assurer.post("/actions/bulk", data=form | {"pick": box, "confirm": "yes"}, follow_redirects=True)
    assert "1 assured." in confirmed.text
    empty = await assurer.post("/actions/bulk", data=form, follow_redirects=True)  # the list offers no move now
    assert "tick at least one action (nothing was done; the list offers no move now)" in empty.text
    # A comment too long to travel in a cookie: the list itself answers, the text kept all the same.
    commissioner = await site.browser(COMMISSIONER)
    listed = await commissioner.get(SUBMITTED)
    long = "".join(random.Random(16).choices(string.ascii_letters + " ", k=6000))
    form = {"csrf": csrf_of(listed.text), "state": "evidence_submitted", "move": "verify", "comment": long}
    unticked = await commissioner.post("/actions/bulk", data=form)
    assert unticked.status_code == 422 and "tick at least one action" in unticked.text
    assert f">{long}</textarea>" in unticked.text


async def test_only_people_with_a_move_to_make_get_the_form(site: Site) -> None:
    await submitted(site)
    lead = await site.browser(LEAD)
    page = await lead.get("/actions")
    assert 'action="/actions/bulk"' not in page.text and 'name="pick"' not in page.text
    commissioner = await site.browser(COMMISSIONER)
    everything = await commissioner.get("/actions?tick=all")
    assert len(ticks(everything.text)) == 13 and everything.text.count('" checked><label') == 13
    assert 'href="/actions">Untick every action</a>' in everything.text
    forged = await commissioner.post("/actions/bulk", data={"csrf": "forged", "move": "verify", "pick": "1:0"})
    assert forged.status_code == 403


async def test_a_director_acknowledges_and_reassigns_from_the_list(site: Site) -> None:
    # 8 October 2013: 3.11.2 (due 30 September) has reached the police director; 3.11.1 (due in June) is past
    # them, at the partnership, and the catch-up told the director too (the step it passed over).
    await sweep(date(2013, 10, 8), uow_factory=site.app.uow, clock=site.app.clock, calendar=england_and_wales())
    second = await site.person("Second Lead WMP", "second.wmp@bcsp.test", "lead_officer", "West Midlands Police")
    director = await site.browser(DIRECTOR)
    page = await director.get("/actions?review=BDHR2011%2F12-03")
    assert 'value="acknowledge"' in page.text and 'value="reassign"' in page.text and 'value="verify"' not in page.text
    assert f'<option value="{second}">' in page.text and LEAD_BSMHFT not in page.text  # their agency's leads only
    boxes = ticks(page.text)
    assert sorted(boxes) == ["3.11.1", "3.11.2"]  # a director sees their own agency's actions
    form = {"csrf": csrf_of(page.text), "review": "BDHR2011/12-03", "pick": list(boxes.values())}
    done = await director.post("/actions/bulk", data=form | {"move": "acknowledge"}, follow_redirects=True)
    assert "2 acknowledged." in done.text
    assert "3.11.2</a>: 1 escalation acknowledged" in done.text and "3.11.1</a>: 1 escalation acknowledged" in done.text
    again = await director.post("/actions/bulk", data=form | {"move": "acknowledge"}, follow_redirects=True)
    assert "3.11.1</a>: action 3.11.1: no escalation of it waits on you to acknowledge" in again.text
    unchosen = await director.post("/actions/bulk", data=form | {"move": "reassign"}, follow_redirects=True)
    assert (
        "reassign needs the new lead officer" in unchosen.text
        and 'id="bulk-to" name="to" aria-invalid' in unchosen.text
    )
    handed = await director.post("/actions/bulk", data=form | {"move": "reassign", "to": second}, follow_redirects=True)
    assert "2 reassigned." in handed.text and f"3.11.1</a>: lead officer is now {second}" in handed.text


async def test_the_api_moves_several_at_the_versions_given(site: Site) -> None:
    await submitted(site)
    headers = await site.token(COMMISSIONER)
    async with site.client() as api:
        listed = (await api.get("/api/v1/actions", params={"state": "evidence_submitted"}, headers=headers)).json()
        seen = [{"id": a["id"], "expected_version": a["version"]} for a in listed]
        stale = seen[0] | {"expected_version": seen[0]["expected_version"] + 5}
        body = {"move": "verify", "actions": [stale, *seen[1:]], "comment": "Seen"}
        answer = await api.post("/api/v1/actions/bulk", json=body, headers=headers)
        assert answer.status_code == 200, answer.text
        report = answer.json()
        assert [(d["action_id"], d["to_state"]) for d in report["done"]] == [
            (a["id"], "commissioner_verified") for a in seen[1:]
        ]
        [refused] = report["refused"]
        assert (refused["action_id"], refused["kind"]) == (stale["id"], "conflict")
        empty = await api.post("/api/v1/actions/bulk", json={"move": "verify", "actions": []}, headers=headers)
        assert empty.status_code == 422
        nobody = await api.post("/api/v1/actions/bulk", json=body)
        assert nobody.status_code == 401


async def test_in_chromium_a_commissioner_verifies_three_and_is_told_why_one_was_refused(
    served: str, app: App, browser: Browser
) -> None:
    """The issue's scenario: filter the list, tick three actions with evidence in, one of which someone else
    moves meanwhile, verify them; the summary says two verified and one refused, and why. The screenshot goes to
    ``.artifacts/journey``."""
    await submitted(app)
    page = await browser.new_page(viewport={"width": 1366, "height": 800})
    try:
        await sign_in_as(page, served, COMMISSIONER)
        await page.goto(f"{served}/actions")
        await page.get_by_label("Review").select_option("BDHR2011/12-03")
        await page.get_by_label("State").select_option("evidence_submitted")
        await page.get_by_role("button", name="Filter").click()
        await expect(page).to_have_url(re.compile(r"state=evidence_submitted"))
        for ref in ("3.11.1", "3.11.2", "3.8.2"):
            await page.get_by_role("checkbox", name=f"Tick BDHR2011/12-03 {ref}").check()
        # The police's commissioner returns the trust's evidence while the list is open.
        await act(app, POLICE_COMMISSIONER, "3.8.2", Event.REJECT, reason="No audit figures")
        await page.get_by_label("Verify the evidence").check()
        await page.get_by_label(re.compile("^Comment")).fill("Checked against the audit")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=ARTIFACTS / "bulk-verify-form.png", full_page=True)
        assert await violations(page) == []
        await page.get_by_role("button", name="Apply to the ticked actions").click()

        await expect(page.get_by_role("status")).to_have_text("2 verified, 1 refused.")
        await expect(page).to_have_url(re.compile(r"review=BDHR2011%2F12-03&state=evidence_submitted"))
        summary = page.locator("section.bulk-summary")
        done = summary.locator("ul").first
        await expect(done).to_contain_text("BDHR2011/12-03 3.11.1: now checked by the commissioner")
        await expect(done).to_contain_text("BDHR2011/12-03 3.11.2: now checked by the commissioner")
        refused = summary.locator("ul").nth(1)
        await expect(refused).to_contain_text("BDHR2011/12-03 3.8.2: Someone else changed it after the list was shown")
        await expect(page.get_by_role("checkbox", name=re.compile("^Tick "))).to_have_count(0)  # none waits now
        await page.screenshot(path=ARTIFACTS / "bulk-verify-summary.png", full_page=True)
        assert await violations(page) == []
        await refused.get_by_role("link", name="BDHR2011/12-03 3.8.2").click()
        await expect(page.get_by_role("heading", name=re.compile("action 3.8.2"))).to_be_visible()
    finally:
        await page.close()
