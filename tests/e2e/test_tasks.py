"""My tasks over HTTP and in headless Chromium (issue 16): each role's page lists exactly what waits on it,
grouped by kind with counts; the menu bar counts them on every page; ``GET /api/v1/tasks`` gives the same."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import uvicorn
from playwright.async_api import Browser, expect

from tests.e2e.conftest import PASSWORD, Site
from tests.e2e.test_journey import ARTIFACTS, _free_port, _Server
from tests.integration.helpers import ASSURER, COMMISSIONER, COORDINATOR, LEAD, LEAD_BSMHFT, POLICE_COMMISSIONER, seed
from tests.integration.tasks_scenario import DIRECTOR, EXPECTED, STAND_IN, build
from web.app import create_app
from workflows.commands.accounts import set_password
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import App
from workflows.runtime.settings import Settings

_SECTION = re.compile(r'<section class="tasks" aria-labelledby="([a-z_]+)">(.*?)</section>', re.S)
_ROW = re.compile(r"<tr>\s*<td data-label=\"Action\">(.*?)</tr>", re.S)


def listed(html: str) -> list[tuple[str, str, str]]:
    """(kind, action ref, since) for each row of My tasks, in page order."""
    out = []
    for kind, body in _SECTION.findall(html):
        for row in _ROW.findall(body):
            ref = re.search(r'<a href="/actions/\d+">[^<]* ([\d.]+)</a>', row)  # "DARDR BDHR2011/12-03 3.11.1"
            since = re.search(r'<time datetime="([\d-]+)">', row)
            out.append((kind, ref.group(1) if ref else "", since.group(1) if since else ""))
    return out


@pytest.mark.parametrize(
    "email", [LEAD, LEAD_BSMHFT, COMMISSIONER, POLICE_COMMISSIONER, DIRECTOR, ASSURER, COORDINATOR]
)
async def test_my_tasks_lists_exactly_what_waits_on_each_role(site: Site, email: str) -> None:
    await build(site.app)
    client = await site.browser(email)
    page = (await client.get("/")).text
    assert listed(page) == EXPECTED[email]
    total = len(EXPECTED[email])
    assert f'<span class="badge" aria-label="{total} waiting">{total}</span>' in (await client.get("/actions")).text
    if email in STAND_IN:
        assert page.count(f"as deputy for {STAND_IN[email]}") == total
    assert ">Withdraw<" not in page and "Withdraw" not in page


async def test_the_api_gives_the_same_tasks_with_counts(site: Site) -> None:
    await build(site.app)
    async with site.client() as client:
        got = (await client.get("/api/v1/tasks", headers=await site.token(DIRECTOR))).json()
    assert got["count"] == 2
    assert [(g["kind"], g["count"]) for g in got["groups"]] == [("decide_extension", 1), ("acknowledge_escalation", 1)]
    assert [(t["kind"], t["action_ref"], t["since"]) for t in got["items"]] == EXPECTED[DIRECTOR]
    assert all(t["review_ref"] == "BDHR2011/12-03" and t["action_id"] for t in got["items"])


async def test_escalations_page_says_the_step_who_was_told_and_links_the_action(site: Site) -> None:
    await build(site.app)
    client = await site.browser(DIRECTOR)
    page = (await client.get("/escalations")).text
    assert "Step 3 of the lead officer&#39;s ladder: escalation to the director" in page
    assert "the director of West Midlands Police (Director WMP)" in page and "70 working days late" in page
    assert re.search(r'<a href="/actions/\d+">BDHR2011/12-03 3.11.1</a>', page)


@pytest.fixture
async def served(settings: Settings, clock: FixedClock, seed_plan: Path) -> AsyncIterator[str]:
    web = create_app(settings, clock=clock)
    port = _free_port()
    server = _Server(uvicorn.Config(web, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "the server did not start"
        await asyncio.sleep(0.05)
    app: App = web.state.dhr
    await seed(app, seed_plan)
    await build(app)
    for email in (DIRECTOR, ASSURER):
        await set_password(email, PASSWORD, uow_factory=app.uow, clock=app.clock)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_in_chromium_the_director_and_the_assurer_see_their_tasks_by_kind(browser: Browser, served: str) -> None:
    """The issue's two screens: the director's extension and escalation, the assurer's one action to assure
    and no open action whose only move is Withdraw. Screenshots go to ``.artifacts/journey``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for email, groups in [
        (DIRECTOR, ["Extension requests to decide (1)", "Escalations to acknowledge (1)"]),
        (ASSURER, ["Actions to assure (1)", "Extension requests to decide (1)", "Escalations to acknowledge (2)"]),
    ]:
        context = await browser.new_context(viewport={"width": 1366, "height": 800})
        page = await context.new_page()
        await page.goto(f"{served}/sign-in")
        await page.get_by_label("Email").fill(email)
        await page.get_by_label("Password").fill(PASSWORD)
        await page.get_by_role("button", name="Sign in").click()
        await expect(page.get_by_role("heading", name="My tasks", exact=True)).to_be_visible()
        headings = await page.get_by_role("heading", level=2).all_inner_texts()
        assert headings == groups
        await expect(page.get_by_text("Withdraw")).to_have_count(0)
        await expect(page.locator("nav .badge")).to_have_text(str(sum(int(g[-2]) for g in groups)))
        await page.get_by_role("link", name="DARDR BDHR2011/12-03 3.11.1").first.click()  # with the review's kind
        await expect(page.get_by_role("heading", name=re.compile("action 3.11.1"))).to_be_visible()
        await page.go_back()
        await page.screenshot(path=ARTIFACTS / f"my-tasks-{email.split('@')[0]}.png", full_page=True)
        await context.close()
