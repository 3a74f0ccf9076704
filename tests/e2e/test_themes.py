"""Themes from the web: the coordinator confirms and removes them on the action page; the partnership's staff
download the themes report from the reviews page, lead officers do not."""

from __future__ import annotations

import csv
import io

from tests.e2e.conftest import Site, csrf_of
from tests.integration.helpers import ASSURER, COORDINATOR, LEAD


async def _action_id(site: Site, ref: str) -> int:
    async with site.app.reader() as uow:
        return await uow.run(lambda tx: tx.actions.find(1, ref)[0][1].id)


async def test_the_coordinator_confirms_a_suggested_theme_and_removes_it(site: Site) -> None:
    coordinator = await site.browser(COORDINATOR)
    action = await _action_id(site, "3.11.2")
    page = await coordinator.get(f"/actions/{action}")
    assert "Mental Health Act s136" in page.text and "matched: sec.136, sec 136" in page.text
    data = {"csrf": csrf_of(page.text), "theme": "mha_s136", "remove": "0"}
    done = await coordinator.post(f"/actions/{action}/themes", data=data, follow_redirects=True)
    assert "theme confirmed" in done.text and "No confirmed themes." not in done.text
    again = await coordinator.post(f"/actions/{action}/themes", data=data, follow_redirects=True)
    assert "nothing changed" in again.text
    removed = await coordinator.post(f"/actions/{action}/themes", data=data | {"remove": "1"}, follow_redirects=True)
    assert "theme removed" in removed.text and "No confirmed themes." in removed.text
    unknown = await coordinator.post(f"/actions/{action}/themes", data=data | {"theme": "weather"})
    assert unknown.status_code == 422

    lead = await site.browser(LEAD)
    own = await lead.get(f"/actions/{action}")
    assert "Confirm theme" not in own.text
    refused = await lead.post(f"/actions/{action}/themes", data={"csrf": csrf_of(own.text), "theme": "housing"})
    assert refused.status_code == 403  # only a coordinator may: nothing written


async def test_the_themes_report_downloads_for_the_partnerships_staff_only(site: Site) -> None:
    coordinator = await site.browser(COORDINATOR)
    action = await _action_id(site, "3.2.3")
    page = await coordinator.get(f"/actions/{action}")
    data = {"csrf": csrf_of(page.text), "theme": "carers_assessment", "remove": "0"}
    await coordinator.post(f"/actions/{action}/themes", data=data)

    assurer = await site.browser(ASSURER)
    assert "/reviews/export/themes?format=csv" in (await assurer.get("/reviews")).text
    report = await assurer.get("/reviews/export/themes?format=csv")
    assert report.status_code == 200 and report.headers["cache-control"] == "no-store"
    [row] = list(csv.DictReader(io.StringIO(report.text)))
    assert (row["theme"], row["actions"], row["reviews"], row["recurs"]) == ("carers_assessment", "1", "1", "no")
    assert (await assurer.get("/reviews/export/themes?format=pdf")).content.startswith(b"%PDF")

    lead = await site.browser(LEAD)
    assert "export/themes" not in (await lead.get("/reviews")).text
    assert (await lead.get("/reviews/export/themes?format=html")).status_code == 403
