"""The journey in real headless Chromium (Debian's ``chromium``, driven by Playwright) against a real server.

A lead officer signs in, uploads evidence and submits; a commissioner returns it
with a reason; the lead resubmits; the commissioner verifies; the partnership
assures; the review dashboard's RAG changes. Screenshots are kept under
``.artifacts/journey`` (or ``$DHRFLOW_TEST_ARTIFACTS``).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.async_api import Browser, Page, expect

from tests.e2e.conftest import PASSWORD
from tests.integration.helpers import ASSURER, COMMISSIONER, COORDINATOR, LEAD, seed
from web.app import create_app
from workflows.commands.accounts import set_password
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import App
from workflows.runtime.settings import Settings

DIRECTOR = "director.wmp@bcsp.test"
ARTIFACTS = Path(os.environ.get("DHRFLOW_TEST_ARTIFACTS", Path(__file__).parents[2] / ".artifacts")) / "journey"

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:  # the test's loop keeps its own signals
        yield


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
    for email in (LEAD, COMMISSIONER, ASSURER, COORDINATOR, DIRECTOR):
        await set_password(email, PASSWORD, uow_factory=app.uow, clock=app.clock)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


async def sign_in_as(page: Page, base: str, email: str) -> None:
    await page.goto(f"{base}/sign-in")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="My tasks")).to_be_visible()


async def sign_out(page: Page) -> None:
    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


async def open_action(page: Page, base: str, label: str = "BDHR2011/12-03 3.11.1") -> None:
    await page.goto(f"{base}/actions?review=BDHR2011%2F12-03")
    await page.get_by_role("link", name=label).click()
    await expect(page.get_by_role("heading", name=re.compile("action 3.11.1"))).to_be_visible()


async def move(page: Page, label: str, **fields: str) -> None:
    form = page.locator("form.move").filter(has=page.get_by_role("heading", name=label))
    for name, value in fields.items():
        if name == "files":
            await form.get_by_label(re.compile("^Evidence files")).set_input_files(value)
        else:
            await form.get_by_label(re.compile(f"^{name}")).fill(value)
    confirm = form.get_by_role("checkbox")
    if await confirm.count():  # assure and withdraw ask for a ticked box
        await confirm.check()
    await form.get_by_role("button", name=label).click()
    await expect(page.get_by_role("status")).to_contain_text("now")


async def blue_count(page: Page, base: str) -> str:
    await page.goto(f"{base}/reviews")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="West Midlands Police"))
    return await row.locator("td[data-rag=blue]").inner_text()


async def test_evidence_is_submitted_returned_resubmitted_verified_and_assured(
    served: str, browser: Browser, tmp_path: Path
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    minutes = tmp_path / "minutes.pdf"
    minutes.write_bytes(b"%PDF-1.4 minutes of the Acute Care Forum")
    page = await browser.new_page(viewport={"width": 390, "height": 844})  # a phone first
    try:
        step = 0

        async def shot(name: str) -> None:
            nonlocal step
            step += 1
            await page.screenshot(path=ARTIFACTS / f"{step:02d}-{name}.png", full_page=True)

        await sign_in_as(page, served, LEAD)
        await shot("lead-inbox")
        assert await blue_count(page, served) == "0"
        await open_action(page, served)
        await move(page, "Submit evidence", Note="Briefing sent to all officers", files=str(minutes))
        await expect(page.get_by_role("link", name="minutes.pdf")).to_be_visible()
        await shot("lead-submitted")
        await sign_out(page)

        await page.set_viewport_size({"width": 1280, "height": 900})  # then a desktop
        await sign_in_as(page, served, COMMISSIONER)
        await expect(page.get_by_role("link", name="BDHR2011/12-03 3.11.1")).to_be_visible()  # in the queue
        await open_action(page, served)
        await move(page, "Return to lead officer", Reason="No audit figures attached")
        await shot("commissioner-returned")
        await sign_out(page)

        await sign_in_as(page, served, LEAD)
        returned = page.locator("section.tasks", has=page.locator("h2#returned"))  # My tasks: "Returned to you"
        await expect(returned).to_contain_text("3.11.1")
        await expect(returned).to_contain_text("No audit figures attached")  # the reason, on the first page
        await open_action(page, served)
        await expect(page.get_by_text("Reason: No audit figures attached")).to_be_attached()
        await expect(page.locator(".banner")).to_contain_text("Returned by the commissioner")
        await move(page, "Submit evidence", Note="Audit figures attached", files=str(minutes))
        await sign_out(page)

        await sign_in_as(page, served, COMMISSIONER)
        await open_action(page, served)
        await move(page, "Verify")
        await sign_out(page)

        await sign_in_as(page, served, ASSURER)
        await open_action(page, served)
        await move(page, "Assure")
        await shot("assured")
        assert await blue_count(page, served) == "1"
        await shot("dashboard")
    finally:
        await page.close()
