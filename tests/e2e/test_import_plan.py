"""The import preview in real headless Chromium: a coordinator uploads a plan with a column dhrflow does not
know, reads it as the lead with the column's select box, previews again, confirms, and finds the action."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect

from tests.e2e.test_journey import served as served  # the fixture: a real server on a free port
from tests.e2e.test_journey import sign_in_as
from tests.integration.helpers import COORDINATOR

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

PLAN = (
    b"DHR 2022-07 Action Plan\n"
    b"Recommendation,Ref,Action,Owner,Agency,Scope,Target Date\n"
    b"1. Officers recognise coercive control,1.1,Brief officers on coercive control,DI Jones,Police,National,"
    b'"By 31/12/2022 draft the briefing; By 31/03/2023 every officer briefed"\n'
)


async def test_a_coordinator_places_a_column_in_the_preview_confirms_and_sees_the_action(
    served: str, browser: Browser
) -> None:
    page = await browser.new_page()
    await sign_in_as(page, served, COORDINATOR)
    await page.goto(f"{served}/import")
    await page.get_by_label("Action plan").set_input_files(
        files=[{"name": "dhr-2022-07.csv", "mimeType": "text/csv", "buffer": PLAN}]
    )
    await page.get_by_role("button", name="Preview", exact=True).click()
    await expect(page.get_by_text("column 'Owner' is not one dhrflow knows")).to_be_visible()

    await page.get_by_label("Read the column Owner as").select_option(label="Lead officer")
    await page.get_by_role("button", name="Preview again").click()
    await expect(page.get_by_text("Review DHR 2022-07 (new): 1 to add")).to_be_visible()
    await expect(page.get_by_text("Kind: Domestic Abuse Related Death Review (DARDR)")).to_be_visible()
    await expect(page.get_by_text("column 'Owner' is not one dhrflow knows")).to_have_count(0)
    await expect(page.get_by_label("Read the column Owner as")).to_have_value("lead")

    await page.get_by_role("button", name="Confirm the import").click()
    await expect(page.get_by_text("DHR 2022-07: 1 added")).to_be_visible()

    await page.goto(f"{served}/actions?review=DHR 2022-07")
    await page.get_by_role("link", name="1.1").first.click()
    await expect(page.get_by_text("DI Jones", exact=True)).to_be_visible()  # the banner names the lead too
    await expect(page.get_by_text("(scope: national)")).to_be_visible()
    await expect(page.get_by_text("31/12/2022 (31/12/2022): draft the briefing")).to_be_visible()
    await expect(page.get_by_text("31/03/2023 (31/03/2023): every officer briefed")).to_be_visible()
    await page.close()


async def test_a_coordinator_chooses_a_kind_the_title_contradicts_sees_the_warning_and_it_is_kept_to_the_import(
    served: str, browser: Browser
) -> None:
    """The kind chosen on the form holds through a second preview and the confirmation, against the document's
    own "DHR", with the warning naming both; the action page then names the review by its kind."""
    page = await browser.new_page()
    await sign_in_as(page, served, COORDINATOR)
    await page.goto(f"{served}/import")
    await expect(page.get_by_label("Kind of review")).to_have_value("")  # as the document says
    await page.get_by_label("Action plan").set_input_files(
        files=[{"name": "dhr-2022-08.csv", "mimeType": "text/csv", "buffer": PLAN.replace(b"2022-07", b"2022-08")}]
    )
    await page.get_by_label("Kind of review").select_option(label="Safeguarding Adults Review (SAR)")
    await page.get_by_role("button", name="Preview", exact=True).click()
    warning = (
        "the document calls itself a 'DHR' (DARDR): imported as a Safeguarding Adults Review, the kind given (sar)"
    )
    await expect(page.get_by_text(warning)).to_be_visible()
    await expect(page.locator("#preview-kind")).to_have_value("sar")

    await page.get_by_label("Read the column Owner as").select_option(label="Lead officer")
    await page.get_by_role("button", name="Preview again").click()
    await expect(page.get_by_text("Review DHR 2022-08 (new): 1 to add")).to_be_visible()
    await expect(page.get_by_text("Kind: Safeguarding Adults Review (SAR)")).to_be_visible()
    await expect(page.get_by_text(warning)).to_be_visible()
    await page.get_by_role("button", name="Confirm the import").click()
    await expect(page.get_by_text("SAR DHR 2022-08: 1 added")).to_be_visible()

    await page.goto(f"{served}/actions?review=DHR 2022-08")
    await page.get_by_role("link", name="1.1").first.click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("SAR DHR 2022-08")
    await page.close()
