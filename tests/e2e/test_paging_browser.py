"""The actions list in headless Chromium: to page 2 by its pager, sorted by a column header, searched and filtered
by its form, and the address of what is shown opened again in a fresh page shows the same (a link to share)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.async_api import Browser, expect

from tests.e2e.test_journey import served, sign_in_as
from tests.integration.helpers import COORDINATOR

__all__ = ["served"]  # the fixture, shared with the journey
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


async def test_a_coordinator_pages_sorts_and_searches_and_the_address_keeps_it_all(
    served: str, browser: Browser
) -> None:
    page = await browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        await sign_in_as(page, served, COORDINATOR)
        await page.goto(f"{served}/actions?size=5")
        await expect(page.locator("#shown")).to_contain_text("Actions 1–5 of 13 (page 1 of 3)")
        pager = page.get_by_role("navigation", name="Pages of the list", exact=True)
        await pager.get_by_role("link", name="Next page").click()
        await expect(page.locator("#shown")).to_contain_text("Actions 6–10 of 13 (page 2 of 3)")
        await expect(pager.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")

        await page.get_by_role("link", name=re.compile("^Target")).click()
        header = page.get_by_role("columnheader", name=re.compile("^Target"))
        await expect(header).to_have_attribute("aria-sort", "ascending")
        await expect(page.locator("#shown")).to_contain_text("Actions 1–5 of 13 (page 1 of 3)")  # from the top
        dates = await page.locator('td[data-label="Target"]').all_inner_texts()
        assert dates == sorted(dates), dates
        await page.get_by_role("link", name=re.compile("^Target")).click()
        await expect(header).to_have_attribute("aria-sort", "descending")

        await page.get_by_label("Search refs and action text").fill("3.11")
        await page.get_by_label("State").select_option("open")
        await page.get_by_role("button", name="Filter").click()
        await expect(page.locator("#shown")).to_contain_text("Actions 1–2 of 2")
        kept = parse_qs(urlsplit(page.url).query)
        assert kept["q"] == ["3.11"] and kept["state"] == ["open"] and kept["sort"] == ["target"], kept
        assert kept["order"] == ["desc"] and kept["size"] == ["5"], kept
        shown = await page.locator("tbody tr").all_inner_texts()

        shared = await browser.new_page(viewport={"width": 1280, "height": 900})  # the link, opened afresh
        try:
            await sign_in_as(shared, served, COORDINATOR)
            await shared.goto(page.url)
            await expect(shared.locator("#shown")).to_contain_text("Actions 1–2 of 2")
            assert await shared.locator("tbody tr").all_inner_texts() == shown
            await expect(shared.get_by_label("Search refs and action text")).to_have_value("3.11")
        finally:
            await shared.close()
    finally:
        await page.close()
