"""Issue 16 in headless Chromium: a returned action's reason in the first screen of a phone, a refused form
keeping its text, and the ticked box that assure asks for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from tests.e2e.test_journey import open_action, served, sign_in_as, sign_out
from tests.integration.helpers import ASSURER, COMMISSIONER, LEAD

__all__ = ["served"]  # the fixture, shared with the journey
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
PHONE = {"width": 390, "height": 844}


async def test_a_returned_action_shows_its_reason_in_the_first_screen_of_a_phone(
    served: str, browser: Browser, tmp_path: Path
) -> None:
    minutes = tmp_path / "minutes.pdf"
    minutes.write_bytes(b"%PDF-1.4 minutes")
    bad = tmp_path / "report.exe"
    bad.write_bytes(b"MZ\x90\x00")
    page = await browser.new_page(viewport=PHONE)
    try:
        await sign_in_as(page, served, LEAD)
        await open_action(page, served)
        form = page.locator("form.move").filter(has=page.get_by_role("heading", name="Submit evidence"))
        await form.get_by_label(re.compile("^Note")).fill("Briefing sent to all officers")
        await form.get_by_label(re.compile("^Evidence files")).set_input_files(str(bad))
        await form.get_by_role("button", name="Submit evidence").click()
        # refused: back on the action page, the note kept, the file named, the error beside the field
        assert re.search(r"/actions/\d+#form-", page.url), page.url
        form = page.locator("form.move").filter(has=page.get_by_role("heading", name="Submit evidence"))
        await expect(form.get_by_label(re.compile("^Note"))).to_have_value("Briefing sent to all officers")
        await expect(form).to_contain_text("You chose report.exe; choose it again")
        await expect(form.locator(".field-error")).to_contain_text("type .exe is not accepted")
        await form.get_by_label(re.compile("^Evidence files")).set_input_files(str(minutes))
        await form.get_by_role("button", name="Submit evidence").click()
        await expect(page.get_by_role("status")).to_contain_text("Evidence submitted")
        await sign_out(page)

        await sign_in_as(page, served, COMMISSIONER)
        await open_action(page, served)
        form = page.locator("form.move").filter(has=page.get_by_role("heading", name="Return to lead officer"))
        await form.get_by_label(re.compile("^Reason")).fill("No audit figures attached")
        await form.get_by_role("button", name="Return to lead officer").click()
        await expect(page.get_by_role("status")).to_contain_text("Returned to the lead officer")
        await sign_out(page)

        await sign_in_as(page, served, LEAD)
        await open_action(page, served)
        await page.evaluate("window.scrollTo(0, 0)")
        banner = page.locator(".banner")
        await expect(banner).to_contain_text("Returned by the commissioner on")
        await expect(banner).to_contain_text("No audit figures attached")
        box = await banner.bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], box
    finally:
        await page.close()


async def test_assure_asks_for_a_ticked_box_and_keeps_the_comment_without_it(
    served: str, browser: Browser, tmp_path: Path
) -> None:
    minutes = tmp_path / "minutes.pdf"
    minutes.write_bytes(b"%PDF-1.4 minutes")
    page = await browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        for who, label, fields in (
            (LEAD, "Submit evidence", {"Note": "Minutes"}),
            (COMMISSIONER, "Verify", {"Comment": "Matches the audit"}),
        ):
            await sign_in_as(page, served, who)
            await open_action(page, served)
            form = page.locator("form.move").filter(has=page.get_by_role("heading", name=label))
            for name, value in fields.items():
                await form.get_by_label(re.compile(f"^{name}")).fill(value)
            if label == "Submit evidence":
                await form.get_by_label(re.compile("^Evidence files")).set_input_files(str(minutes))
            await form.get_by_role("button", name=label).click()
            await expect(page.get_by_role("status")).to_contain_text("now")
            await sign_out(page)

        await sign_in_as(page, served, ASSURER)
        await open_action(page, served)
        await expect(page.get_by_text("Comment: Matches the audit")).to_be_visible()
        form = page.locator("form.move").filter(has=page.get_by_role("heading", name="Assure"))
        await form.get_by_label(re.compile("^Comment")).fill("Evidence is sound")
        box = form.get_by_role("checkbox")
        await expect(box).to_have_attribute("required", "")
        # the browser would stop an unticked form; the server checks too: send it without the browser's check
        await box.evaluate("b => b.removeAttribute('required')")
        await form.get_by_role("button", name="Assure").click()
        form = page.locator("form.move").filter(has=page.get_by_role("heading", name="Assure"))
        await expect(form.locator(".field-error")).to_contain_text("Tick the box")
        await expect(form.get_by_label(re.compile("^Comment"))).to_have_value("Evidence is sound")
        await form.get_by_role("checkbox").check()
        await form.get_by_role("button", name="Assure").click()
        await expect(page.get_by_role("status")).to_contain_text("Assured by the partnership")
        await expect(page.locator(".banner")).to_contain_text("Assured by the partnership on")
    finally:
        await page.close()
