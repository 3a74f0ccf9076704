"""The pages a director and a lead officer use beyond the lifecycle moves: extensions and reassignment."""

from __future__ import annotations

import pytest
from sqlalchemy import insert

from storage.tables import OutboxRow
from tests.e2e.conftest import Site, csrf_of, kept
from tests.e2e.test_security import action_id
from tests.integration.helpers import LEAD, LEAD_BSMHFT, POLICE

DIRECTOR = "director.wmp@bcsp.test"

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


async def test_a_lead_asks_for_an_extension_and_the_director_approves_it_from_the_action_page(site: Site) -> None:
    aid = await action_id(site)
    lead = await site.browser(LEAD)
    page = await lead.get(f"/actions/{aid}")
    assert "Ask for an extension" in page.text and "Reassign the lead officer" not in page.text
    form = {"csrf": csrf_of(page.text), "to": "2013-12-31", "reason": "Awaiting the IMS release"}
    asked = await lead.post(f"/actions/{aid}/extension", data=form, follow_redirects=True)
    assert "extension to 2013-12-31 asked for" in asked.text and "Ask for an extension</h2>" not in asked.text

    director = await site.browser(DIRECTOR)
    page = await director.get(f"/actions/{aid}")
    assert "To 2013-12-31: Awaiting the IMS release" in page.text and "Approve extension" in page.text
    refused = await director.post(
        f"/actions/{aid}/extension/decision",
        data={"csrf": csrf_of(page.text), "approve": "0", "reason": "", "form": "1-extension-decision"},
    )
    assert refused.status_code == 303 and refused.headers["location"].startswith(f"/actions/{aid}")
    back = await director.get(refused.headers["location"])
    assert "a reason is required to refuse" in back.text
    approved = await director.post(
        f"/actions/{aid}/extension/decision",
        data={"csrf": csrf_of(page.text), "approve": "1", "reason": ""},
        follow_redirects=True,
    )
    assert "extension approved" in approved.text and "31 Dec 2013, extended from 30 Jun 2013" in approved.text


async def test_the_director_reassigns_within_the_agency_and_nobody_else_sees_the_form(site: Site) -> None:
    second = await site.person("Second Lead WMP", "second.wmp@bcsp.test", "lead_officer", POLICE)
    aid = await action_id(site)
    director = await site.browser(DIRECTOR)
    page = await director.get(f"/actions/{aid}")
    assert "Reassign the lead officer" in page.text and f"<option>{second}</option>" in page.text
    assert LEAD_BSMHFT not in page.text  # another agency's lead is no choice
    done = await director.post(
        f"/actions/{aid}/reassign", data={"csrf": csrf_of(page.text), "to": second}, follow_redirects=True
    )
    assert f"lead officer is now {second}" in done.text
    lead = await site.browser(LEAD)
    page = await lead.get(f"/actions/{aid}")
    assert (
        "Reassign the lead officer" not in page.text and "Submit evidence</button>" not in page.text
    )  # not theirs now


async def test_the_partnership_starts_the_final_audit_from_the_reviews_page(site: Site) -> None:
    assurer = await site.browser("assurer@bcsp.test")
    page = await assurer.get("/reviews")
    assert "Start the final audit" in page.text
    form = {"csrf": csrf_of(page.text), "review": "BDHR2011/12-03", "step": "start"}
    started = await assurer.post("/reviews/final-audit", data=form, follow_redirects=True)
    assert "final audit started" in started.text and "Sign the plan off" in started.text
    unconfirmed = await assurer.post("/reviews/final-audit", data=form | {"step": "sign_off"})
    said = await kept(assurer, unconfirmed)  # back on the reviews page, beside the box to tick
    assert "tick the box" in said and 'aria-describedby="err-signoff-BDHR2011/12-03--confirm"' in said
    early = await assurer.post("/reviews/final-audit", data=form | {"step": "sign_off", "confirm": "yes"})
    assert "13 action(s) not yet assured or withdrawn" in await kept(assurer, early)
    lead = await site.browser(LEAD)
    assert "Start the final audit" not in (await lead.get("/reviews")).text
    refused = await lead.post("/reviews/final-audit", data=form | {"csrf": csrf_of((await lead.get("/")).text)})
    assert refused.status_code == 403


async def test_the_coordinator_sees_dead_letters_and_requeues_them(site: Site) -> None:
    at = site.app.clock.now()
    async with site.app.uow() as uow:
        await uow.connection.execute(
            insert(OutboxRow),  # type: ignore[arg-type]
            [
                {
                    "idempotency_key": "test:dead:1",
                    "partnership_id": 1,
                    "kind": "reminder",
                    "recipient_role": "lead_officer",
                    "status": "dead",
                    "attempts": 8,
                    "next_attempt_at": at,
                    "created_at": at,
                    "last_reply": "550 5.1.1 no such mailbox",
                }
            ],
        )
        await uow.commit()
    coordinator = await site.browser("coordinator@bcsp.test")
    page = await coordinator.get("/notifications")
    assert page.status_code == 200 and "550 5.1.1 no such mailbox" in page.text
    done = await coordinator.post(
        "/notifications/retry", data={"csrf": csrf_of(page.text), "row": "all"}, follow_redirects=True
    )
    assert "1 requeued" in done.text and "Every notification went." in done.text
    lead = await site.browser(LEAD)
    assert (await lead.get("/notifications")).status_code == 403


async def test_the_dashboard_shows_where_each_running_action_stands_on_its_ladder(site: Site) -> None:
    from workflows.commands.sweep import sweep
    from workflows.runtime.working_days import england_and_wales

    await sweep(site.app.clock.today(), uow_factory=site.app.uow, clock=site.app.clock, calendar=england_and_wales())
    director = await site.browser(DIRECTOR)
    page = await director.get("/reviews")
    assert "Where each running action stands on its ladder (2)" in page.text  # West Midlands Police's two
    row = page.text.split(f'href="/actions/{await action_id(site)}">3.11.1</a>')[1].split("</tr>")[0]
    # Long overdue on 1 October 2013: the sweep fired the highest step only, and the ladder is at its top.
    assert "2013-06-30" in row and "partnership (escalation)" in row and "top of the ladder" in row
    assessor = await site.browser("assurer@bcsp.test")
    everything = await assessor.get("/reviews")
    assert "stands on its ladder (13)" in everything.text
    future = everything.text.split(">3.1.1</a>")[1].split("</tr>")[0]  # due 30 April 2014: nothing fired yet
    # Ten working days before 30 April 2014, Good Friday and Easter Monday skipped.
    assert "none yet" in future and "reminder (reminder, to lead officer)" in future and "2014-04-14" in future


async def test_the_list_and_the_api_filter_by_scope_and_reported_completion(site: Site) -> None:
    """The seed plan names no scope and reports nothing complete: either filter leaves nothing (both were
    ignored, and the page and the API listed all 13 actions under "national")."""
    assessor = await site.browser("assurer@bcsp.test")
    for filters in ("scope=national", "reported=1"):
        page = await assessor.get(f"/actions?{filters}")
        assert "No action matches." in page.text, filters
    headers = await site.token("assurer@bcsp.test")
    async with site.client() as api:
        for params in ({"scope": "national"}, {"reported_complete": "true"}):
            assert (await api.get("/api/v1/actions", params=params, headers=headers)).json() == [], params
        assert len((await api.get("/api/v1/actions", headers=headers)).json()) == 13
