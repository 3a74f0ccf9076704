"""Every page, as each role sees it, checked in real Chromium by axe-core against WCAG 2.2 A and AA (the
rules a machine can check: labels, names, contrast, landmarks, headings), on a desktop and a phone
screen; and on the phone nothing is wider than the screen. axe-core comes bundled in a PyPI package: no
network at run time."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.async_api import Browser, Page

from tests.e2e.test_journey import DIRECTOR, open_action, served, sign_in_as, sign_out
from tests.integration.helpers import ASSURER, COMMISSIONER, COORDINATOR, LEAD

__all__ = ["served"]  # the fixture, shared with the journey

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES: dict[str, list[str]] = {
    LEAD: ["/", "/actions", "action", "/reviews", "/escalations", "/deputies", "/tokens", "/calendar"],
    COMMISSIONER: ["/", "action"],
    DIRECTOR: ["/escalations", "/actions", "action"],  # /actions: the bulk form (reassign), a box per row
    ASSURER: ["/reviews", "/notifications", "action"],
    COORDINATOR: ["/import", "/people", "/agencies", "/ladders", "/board", "action"],
}
SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


async def violations(page: Page) -> list[str]:
    await page.evaluate(AXE_SCRIPT)
    found: dict[str, Any] = await page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG
    )
    return [
        f"{page.url} {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in found["violations"]
    ]


async def overflow(page: Page) -> str | None:
    wide = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    return f"{page.url} is {wide}px wider than the screen" if wide > 1 else None


@pytest.mark.parametrize("screen", list(SCREENS))
async def test_every_page_passes_the_wcag_checks_axe_can_make(served: str, browser: Browser, screen: str) -> None:
    problems: list[str] = []
    page = await browser.new_page(viewport=SCREENS[screen])  # type: ignore[arg-type]
    try:
        await page.goto(f"{served}/sign-in")
        problems += await violations(page)
        for email, paths in PAGES.items():
            await sign_in_as(page, served, email)
            for path in paths:
                if path == "action":
                    await open_action(page, served)
                else:
                    await page.goto(f"{served}{path}")
                problems += await violations(page)
                if screen == "phone" and (wide := await overflow(page)):
                    problems.append(wide)
            await sign_out(page)
    finally:
        await page.close()
    assert not problems, "\n".join(problems)
