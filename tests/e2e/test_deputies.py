"""Deputies through the web app and the API: named on the deputies page, then acting on the action page
and through the API, recorded on behalf of; a deputy of a partnership role sees what that role sees."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import Site, csrf_of, kept
from tests.e2e.test_security import action_id
from tests.integration.cli.test_cli import TRANSITION_KEYS
from tests.integration.helpers import ASSURER, COMMISSIONER, LEAD, LEAD_BSMHFT, POLICE

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
TODAY = "2013-10-01"  # the site's clock


async def test_a_lead_names_a_colleague_who_then_submits_for_them_from_the_action_page(site: Site) -> None:
    colleague = await site.person("Second Lead WMP", "second.wmp@bcsp.test", "lead_officer", POLICE)
    lead = await site.browser(LEAD)
    page = await lead.get("/deputies")
    assert "No deputy periods" in page.text and LEAD_BSMHFT in page.text  # the form lists the partnership's people
    form = {"csrf": csrf_of(page.text), "deputy": colleague, "starts_on": TODAY, "ends_on": "2013-10-14"}
    refused = await lead.post("/deputies", data=form | {"reason": " "})
    assert "a reason is required" in await kept(lead, refused)
    named = await lead.post("/deputies", data=form | {"reason": "Annual leave"}, follow_redirects=True)
    assert f"{colleague} stands in for {LEAD} from 2013-10-01 to 2013-10-14" in named.text

    aid = await action_id(site)
    deputy = await site.browser(colleague)
    inbox = await deputy.get("/")
    assert "as deputy for Lead WMP" in inbox.text
    page = await deputy.get(f"/actions/{aid}")
    assert "As deputy for Lead WMP" in page.text and "Submit evidence for Lead WMP" in page.text
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version is not None
    data = {
        "csrf": csrf_of(page.text),
        "event": "submit_evidence",
        "version": version.group(1),
        "note": "Briefing sent to all officers",
        "on_behalf_of": LEAD,
    }
    done = await deputy.post(f"/actions/{aid}/transitions", data=data, follow_redirects=True)
    assert "now evidence submitted" in done.text
    assert "by Second Lead WMP on behalf of Lead WMP (lead officer)" in done.text


async def test_an_assurers_deputy_sees_and_acts_through_the_api_and_someone_else_cannot(site: Site) -> None:
    deputy = await site.person("Deputy Assurer", "deputy.assurer@bcsp.test", "lead_officer", "BSMHFT")
    assurer = await site.token(ASSURER)
    body = {"deputy": deputy, "starts_on": TODAY, "ends_on": TODAY, "reason": "Board week"}
    async with site.client() as http:
        named = await http.post("/api/v1/deputies", json=body, headers=assurer)
        assert named.status_code == 200, named.text
        period = named.json()
        assert (period["principal"], period["in_force"]) == (ASSURER, True)
        aid = await action_id(site)  # West Midlands Police's: a BSMHFT lead sees it only as the assurer's deputy
        headers = await site.token(deputy)
        seen = await http.get(f"/api/v1/actions/{aid}", headers=headers)
        assert seen.status_code == 200 and seen.json()["as_deputy"] == [{"for": ASSURER, "moves": ["withdraw"]}]
        own = {"event": "withdraw", "expected_version": 0, "reason": "Superseded"}
        assert (await http.post(f"/api/v1/actions/{aid}/transitions", json=own, headers=headers)).status_code == 403
        stranger = await http.post(
            f"/api/v1/actions/{aid}/transitions", json=own | {"on_behalf_of": ASSURER}, headers=await site.token(LEAD)
        )
        assert stranger.status_code == 403 and "deputy today" in stranger.json()["detail"]
        done = await http.post(
            f"/api/v1/actions/{aid}/transitions", json=own | {"on_behalf_of": ASSURER}, headers=headers
        )
        assert done.status_code == 200 and done.json()["to_state"] == "withdrawn"
        assert set(done.json()) == TRANSITION_KEYS  # the shape the CLI's --json gives
        mine = await http.get("/api/v1/deputies", headers=headers)
        assert [p["id"] for p in mine.json()] == [period["id"]]
        other = await http.post(f"/api/v1/deputies/{period['id']}/end", json={}, headers=await site.token(COMMISSIONER))
        assert other.status_code == 403
        ended = await http.post(f"/api/v1/deputies/{period['id']}/end", json={"reason": "Back"}, headers=assurer)
        assert ended.status_code == 200 and ended.json()["in_force"] is False
        assert (await http.get(f"/api/v1/actions/{aid}", headers=headers)).status_code == 403


async def test_a_person_creates_an_api_token_on_the_web_sees_it_once_uses_it_and_revokes_it(site: Site) -> None:
    lead = await site.browser(LEAD)
    page = await lead.get("/tokens")
    assert "You have no API tokens" in page.text
    created = await lead.post("/tokens", data={"csrf": csrf_of(page.text), "name": "Force reporting script"})
    assert created.status_code == 200 and created.headers["cache-control"] == "no-store"
    found = re.search(r'id="new-token" value="(dhr_[^"]+)"', created.text)
    assert found is not None
    token = found.group(1)
    async with site.client() as http:
        me = await http.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200 and me.json()["email"] == LEAD
    listed = await lead.get("/tokens")
    assert "Force reporting script" in listed.text and token not in listed.text  # shown once, then only its name
    token_id = re.search(r'action="/tokens/(\d+)/revoke"', listed.text)
    assert token_id is not None
    await lead.post(f"/tokens/{token_id.group(1)}/revoke", data={"csrf": csrf_of(listed.text)})
    async with site.client() as http:
        assert (await http.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})).status_code == 401
    missing_csrf = await lead.post("/tokens", data={"name": "x"})
    assert missing_csrf.status_code == 403


async def test_an_assurers_deputy_acknowledges_an_escalation_for_them(site: Site) -> None:
    from workflows.commands.deputies import name_deputy
    from workflows.commands.sweep import sweep
    from workflows.runtime.working_days import england_and_wales

    app = site.app
    await sweep(app.clock.today(), uow_factory=app.uow, clock=app.clock, calendar=england_and_wales())
    # Long overdue on the site's day, 3.11.1's highest step tells the partnership.
    deputy = await site.person("Deputy Assurer", "deputy.assurer@bcsp.test", "commissioner", "NHS")
    today = app.clock.today()
    await name_deputy(ASSURER, ASSURER, deputy, today, today, "Conference", uow_factory=app.uow, clock=app.clock)
    browser = await site.browser(deputy)
    page = await browser.get("/escalations")
    assert "As deputy for Partnership Assurer" in page.text and "Acknowledge for Partnership Assurer" in page.text
    escalation = re.search(r'action="/escalations/(\d+)/acknowledge"', page.text)
    assert escalation is not None
    form = {"csrf": csrf_of(page.text), "on_behalf_of": ASSURER, "note": "On the board's agenda"}
    done = await browser.post(f"/escalations/{escalation.group(1)}/acknowledge", data=form, follow_redirects=True)
    assert f"escalation {escalation.group(1)} acknowledged" in done.text
    assert (
        "acknowledged by Deputy Assurer on 1 Oct 2013, 10:00 (UK time): On the board&#39;s agenda" in done.text
    )  # in words, UK time (BST)


async def test_an_assurers_deputy_starts_the_final_audit_for_them(site: Site) -> None:
    from workflows.commands.deputies import name_deputy

    deputy = await site.person("Deputy Assurer", "deputy.assurer@bcsp.test", "commissioner", "NHS")
    today = site.app.clock.today()
    await name_deputy(ASSURER, ASSURER, deputy, today, today, "Leave", uow_factory=site.app.uow, clock=site.app.clock)
    browser = await site.browser(deputy)
    page = await browser.get("/reviews")
    assert "Start the final audit for Partnership Assurer" in page.text
    form = {"csrf": csrf_of(page.text), "review": "BDHR2011/12-03", "step": "start", "on_behalf_of": ASSURER}
    done = await browser.post("/reviews/final-audit", data=form, follow_redirects=True)
    assert "final audit started" in done.text and "Sign the plan off for Partnership Assurer" in done.text
    lead = await site.browser(LEAD)
    refused = await lead.post(
        "/reviews/final-audit",
        data=form | {"csrf": csrf_of((await lead.get("/")).text), "step": "sign_off", "confirm": "yes"},
    )
    assert refused.status_code == 403 and "deputy today" in refused.text
