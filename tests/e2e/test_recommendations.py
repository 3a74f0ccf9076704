"""The recommendations page, its coordinator's form, the national download and the API's list, over HTTP; and
the page in headless Chromium: filtered by its form, the address keeping the filters, a recommendation set
national and addressed to the Home Office, and its action followed."""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest
from playwright.async_api import Browser, expect
from sqlalchemy import event

from documents.importer import read_plan
from tests.e2e.conftest import Site, csrf_of, kept
from tests.e2e.test_journey import served, sign_in_as
from tests.integration.helpers import ASSURER, COORDINATOR, LEAD
from tests.paths import REPO_ROOT, TESTS
from workflows.commands.import_plan import import_plan
from workflows.queries.log import verify_log

__all__ = ["served"]
SCHEMA = json.loads((REPO_ROOT / "docs" / "schemas" / "national-recommendations.schema.json").read_text())


async def _rec_id(site: Site, number: str) -> int:
    async with site.app.reader() as uow:
        found = await uow.run(lambda tx: tx.recommendations.for_review(1))
    return next(r.id for r in found if str(r.numbers[0] if r.numbers else "") == number)


async def test_the_coordinator_sets_a_recommendation_and_a_refused_form_keeps_what_was_typed(site: Site) -> None:
    coordinator = await site.browser(COORDINATOR)
    page = await coordinator.get("/recommendations")
    assert page.status_code == 200 and 'aria-current="page">Recommendations' in page.text
    assert "5 recommendations." in page.text and "Change scope, addressee or acceptance" in page.text
    eleven = await _rec_id(site, "11")
    form = {"csrf": csrf_of(page.text), "addressee": "home office", "accepted": "yes", "back": "scope=national"}
    done = await coordinator.post(f"/recommendations/{eleven}", data=form | {"scope": ["national", "local"]})
    assert done.status_code == 303 and done.headers["location"].startswith("/recommendations?scope=national")
    shown = await coordinator.get(done.headers["location"])
    assert "Recommendation 11 of BDHR2011/12-03: saved" in shown.text and "1 recommendation." in shown.text
    assert "Home Office" in shown.text and "local, national" in shown.text

    refused = await coordinator.post(
        f"/recommendations/{eleven}", data=form | {"scope": "national", "accepted": "no", "reason": ""}
    )
    html = await kept(coordinator, refused)
    assert "say why the recommendation was not accepted" in html
    assert re.search(r'name="accepted" value="no" checked', html)  # as typed
    bad = await coordinator.post(f"/recommendations/{eleven}", data=form | {"scope": "county"})
    assert "scope &#39;county&#39; is not one of: local, regional, national" in await kept(coordinator, bad)

    refuse = form | {"scope": "national", "accepted": "no", "reason": "Covered by force policy"}
    await coordinator.post(f"/recommendations/{eleven}", data=refuse)
    listed = await coordinator.get("/recommendations?status=not_accepted")
    assert "Covered by force policy" in listed.text and "1 recommendation." in listed.text
    assert (await coordinator.get("/recommendations?scope=county")).status_code == 422
    [log] = await verify_log(site.app.reader)
    assert log.ok, log.to_json()

    lead = await site.browser(LEAD)
    theirs = await lead.get("/recommendations")
    assert "Change scope, addressee or acceptance" not in theirs.text and "of other agencies" in theirs.text
    assert "export/national" not in theirs.text
    no = await lead.post(f"/recommendations/{eleven}", data=form | {"csrf": csrf_of(theirs.text), "scope": "local"})
    assert no.status_code == 403


async def test_the_national_download_is_the_partnerships_staffs_and_validates(site: Site) -> None:
    coordinator = await site.browser(COORDINATOR)
    page = await coordinator.get("/recommendations")
    eight = await _rec_id(site, "8")
    form = {"csrf": csrf_of(page.text), "addressee": "DHSC", "accepted": "yes", "scope": "national"}
    await coordinator.post(f"/recommendations/{eight}", data=form)

    assurer = await site.browser(ASSURER)
    assert "/recommendations/export/national?format=csv" in (await assurer.get("/recommendations")).text
    answer = await assurer.get("/recommendations/export/national?format=json")
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(answer.json())
    [row] = list(csv.DictReader(io.StringIO((await assurer.get("/recommendations/export/national")).text)))
    assert (row["recommendation_number"], row["addressee"], row["status"]) == (
        "8",
        "Department of Health and Social Care",
        "not_started",
    )
    lead = await site.browser(LEAD)
    assert (await lead.get("/recommendations/export/national?format=csv")).status_code == 403


async def test_the_api_lists_recommendations_a_slice_at_a_time(site: Site) -> None:
    headers = await site.token(COORDINATOR)
    async with site.client() as client:
        address: str | None = "/api/v1/recommendations?limit=2"
        numbers, calls = [], 0
        while address is not None:
            answer = await client.get(address, headers=headers)
            assert answer.status_code == 200 and len(answer.json()) <= 2
            numbers += [r["number"] for r in answer.json()]
            following = re.fullmatch(r'<([^>]+)>; rel="next"', answer.headers.get("link", ""))
            address, calls = (following.group(1) if following else None), calls + 1
        assert sorted(numbers) == sorted(["5, 7, 10", "8", "9", "11", "#1"]) and calls == 3
        assert "link" not in (await client.get("/api/v1/recommendations?limit=10", headers=headers)).headers
        nine = await client.get("/api/v1/recommendations?status=not_started&review=BDHR2011/12-03", headers=headers)
        assert len(nine.json()) == 5 and nine.json()[0]["actions"][0].keys() == {"id", "ref", "state"}
        bad = await client.get("/api/v1/recommendations?scope=county", headers=headers)
        assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"
        assert (await client.get("/api/v1/recommendations?cursor=nope", headers=headers)).status_code == 422


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_the_page_costs_the_same_few_statements_for_one_review_or_two(site: Site) -> None:
    coordinator = await site.browser(COORDINATOR)
    statements: list[str] = []

    def seen(*args: object) -> None:
        statements.append(str(args[2]))

    async def count() -> int:
        statements.clear()
        event.listen(site.app.engine.sync_engine, "before_cursor_execute", seen)
        try:
            assert (await coordinator.get("/recommendations")).status_code == 200
        finally:
            event.remove(site.app.engine.sync_engine, "before_cursor_execute", seen)
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])

    one = await count()
    plan = read_plan(TESTS / "fixtures" / "real" / "tower-hamlets-dhr7.txt", partnership_short_name="BCSP")
    await import_plan(plan, uow_factory=site.app.uow, clock=site.app.clock, actor_email=COORDINATOR)
    assert await count() == one


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_in_chromium_the_coordinator_filters_sets_a_recommendation_national_and_follows_its_action(
    served: str, browser: Browser
) -> None:
    page = await browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        await sign_in_as(page, served, COORDINATOR)
        await page.get_by_role("navigation", name="Main").get_by_role("link", name="Recommendations").click()
        await expect(page.locator("#shown")).to_have_text("5 recommendations.")

        row = page.locator("tbody tr", has_text="Recommendation 11:")
        await row.get_by_text("Change scope, addressee or acceptance").click()
        await row.get_by_label("national").check()
        await row.get_by_label("Addressed to").fill("Home Office")
        await row.get_by_role("button", name="Save").click()
        await expect(page.get_by_text("Recommendation 11 of BDHR2011/12-03: saved")).to_be_visible()

        await page.get_by_label("Scope").select_option("national")
        await page.get_by_label("Status").select_option("not_started")
        await page.get_by_role("button", name="Filter").click()
        await expect(page.locator("#shown")).to_have_text("1 recommendation.")
        kept_query = parse_qs(urlsplit(page.url).query)
        assert kept_query["scope"] == ["national"] and kept_query["status"] == ["not_started"], kept_query
        row = page.locator("tbody tr")
        await expect(row.locator('td[data-label="Addressed to"]')).to_have_text("Home Office")
        await expect(row.locator('td[data-label="Status"]')).to_contain_text("not started")

        await row.get_by_role("link", name="3.11.1").click()
        await expect(page).to_have_url(re.compile(r"/actions/\d+$"))
        await expect(page.get_by_role("heading", level=1)).to_contain_text("3.11.1")
    finally:
        await page.close()
