"""A review's own page in headless Chromium: the coordinator records the submission, is refused a
publication without an http(s) address (the form keeps what was typed), then records it with one and sees the
target counted from publication get its date on the actions list; the submission's due day, then, once it has
passed, the words "overdue since" in red, on the review's page and the reviews page."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import uvicorn
from playwright.async_api import Browser, expect

from documents.importer import read_plan
from tests.e2e.conftest import PASSWORD
from tests.e2e.test_journey import _free_port, _Server, sign_in_as
from tests.integration.helpers import COORDINATOR, LEAD, seed
from tests.unit.plan_builders import write_csv
from web.app import create_app
from workflows.commands.accounts import set_password
from workflows.commands.import_plan import import_plan
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import App
from workflows.runtime.settings import Settings

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
REF = "DHR 2013-04"
PLAN = [
    ["Birmingham Community Safety Partnership (BCSP)"],
    [f"Domestic Homicide Review {REF} Action Plan"],
    ["Ref", "Action", "Lead Agency", "Target Date"],
    ["1.1", "Brief officers on coercive control", "West Midlands Police", "Within 6 months of publication"],
]


@pytest.fixture
async def site(settings: Settings, clock: FixedClock, seed_plan: Path, tmp_path: Path) -> AsyncIterator[str]:
    web = create_app(settings, clock=clock)
    port = _free_port()
    server = _Server(uvicorn.Config(web, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "the server did not start"
        await asyncio.sleep(0.05)
    app: App = web.state.dhr
    await seed(app, seed_plan)
    plan = read_plan(write_csv(tmp_path / "plan.csv", PLAN))
    await import_plan(plan, uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR)
    for email in (COORDINATOR, LEAD):
        await set_password(email, PASSWORD, uow_factory=app.uow, clock=app.clock)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


async def test_the_coordinator_records_submission_then_publication_and_the_target_appears(
    site: str, browser: Browser
) -> None:
    page = await browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        await sign_in_as(page, site, COORDINATOR)
        await page.goto(f"{site}/actions?review={REF.replace(' ', '+')}")
        await expect(page.locator("td[data-label=Target]")).to_have_text(
            "6 months after publication (not yet published)"
        )

        await page.goto(f"{site}/reviews")
        await page.get_by_role("link", name="its timeline").nth(1).click()
        await expect(page.get_by_role("heading", name=f"DARDR {REF}")).to_be_visible()
        await expect(page.get_by_text("Kind: Domestic Abuse Related Death Review")).to_be_visible()
        await expect(page.locator("#standing")).to_have_text("not yet submitted (submission due by 2013-11-26)")
        await expect(page.locator("#awaiting")).to_contain_text("1 target(s) counted from publication")

        form = page.locator("#form-milestone")
        await expect(form.get_by_label("Milestone", exact=True)).to_have_value("report_submitted_to_home_office")
        await form.get_by_label("On", exact=True).fill("2013-06-03")
        await form.get_by_role("button", name="Record").click()
        await expect(page.get_by_role("status")).to_contain_text("Report submitted to the Home Office on 2013-06-03")
        await expect(page.locator("#standing")).to_have_text("submitted 2013-06-03")

        form = page.locator("#form-milestone")
        await form.get_by_label("Milestone", exact=True).select_option("published")
        await form.get_by_label("On", exact=True).fill("2013-08-31")
        await form.get_by_label("Published at").fill("ftp://bcsp.test/dhr")
        await form.get_by_role("button", name="Record").click()
        form = page.locator("#form-milestone")  # refused: back, as typed, the reason beside the address
        await expect(form.locator(".field-error")).to_contain_text("is not an http(s) address")
        await expect(form.get_by_label("Milestone", exact=True)).to_have_value("published")
        await expect(form.get_by_label("On", exact=True)).to_have_value("2013-08-31")
        await form.get_by_label("Published at").fill("https://bcsp.test/dhr-2013-04")
        await form.get_by_role("button", name="Record").click()
        await expect(page.get_by_role("status")).to_contain_text("Published on 2013-08-31: 1 target date(s) set")
        await expect(page.locator("#standing")).to_have_text("published 2013-08-31")
        await expect(page.locator("#timeline")).to_contain_text("https://bcsp.test/dhr-2013-04")

        await page.get_by_role("link", name="1", exact=True).click()  # the review's actions
        await expect(page.locator("td[data-label=Target]")).to_have_text("2014-02-28")
        await page.get_by_role("link", name=f"{REF} 1.1").click()
        await expect(page.get_by_text("Target date: 28 Feb 2014")).to_be_visible()
    finally:
        await page.close()


async def test_a_lead_officer_reads_the_timeline_without_the_form(site: str, browser: Browser) -> None:
    page = await browser.new_page()
    try:
        await sign_in_as(page, site, LEAD)
        await page.goto(f"{site}/reviews")
        await page.get_by_role("link", name="its timeline").nth(1).click()
        await expect(page.locator("#timeline")).to_contain_text("Report submitted to the Home Office")
        await expect(page.locator("#form-milestone")).to_have_count(0)
    finally:
        await page.close()


async def test_the_review_page_shows_the_submission_due_then_overdue_in_red(
    site: str, browser: Browser, clock: FixedClock
) -> None:
    """Imported on 1 October 2013: the report is due by 26 November (40 working days); from the 27th it is
    overdue, said in words and in the partnership's red, and the reviews page says where the review stands."""
    page = await browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        await sign_in_as(page, site, COORDINATOR)
        await page.goto(f"{site}/reviews")
        await page.get_by_role("link", name="its timeline").first.click()
        await expect(page.locator("#next")).to_contain_text(
            "Next: Report submitted to the Home Office, due by 2013-11-26"
        )
        await expect(page.locator("#overdue")).to_have_count(0)
    finally:
        await page.close()
    clock.at = datetime(2013, 11, 27, 9, tzinfo=UTC)
    page = await browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        await sign_in_as(page, site, COORDINATOR)
        await page.goto(f"{site}/reviews")
        await expect(page.get_by_text("submission overdue since 2013-11-26").first).to_be_visible()
        await page.get_by_role("link", name="its timeline").first.click()
        overdue = page.locator("#overdue")
        await expect(overdue).to_have_text("overdue since 2013-11-26")
        await expect(overdue).to_have_css("color", "rgb(164, 22, 26)")  # --red
        await expect(page.locator("#standing")).to_have_text("submission overdue since 2013-11-26")
        await expect(page.locator("#due")).to_have_count(0)
    finally:
        await page.close()
