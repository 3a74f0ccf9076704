"""The coordinator's board page: meeting dates added and removed (decisions), refused for anyone else."""

from __future__ import annotations

from tests.e2e.conftest import COORDINATOR, Site, csrf_of, kept
from tests.integration.helpers import LEAD
from workflows.commands.board_cycle import board_dates


async def test_the_coordinator_adds_and_removes_board_dates_on_the_board_page(site: Site) -> None:
    coordinator = await site.browser(COORDINATOR)
    page = await coordinator.get("/board")
    assert page.status_code == 200 and "No board meeting dates set." in page.text
    csrf = csrf_of(page.text)
    added = await coordinator.post("/board/dates", data={"csrf": csrf, "day": "2013-11-20"}, follow_redirects=True)
    assert "board meets on 2013-11-20" in added.text and "Wednesday 20 November 2013" in added.text
    twice = await coordinator.post("/board/dates", data={"csrf": csrf, "day": "2013-11-20"})
    assert "already" in await kept(coordinator, twice)
    bad = await coordinator.post("/board/dates", data={"csrf": csrf, "day": "20/11/2013"})
    assert 'value="20/11/2013"' in await kept(coordinator, bad)
    await coordinator.post("/board/dates", data={"csrf": csrf, "day": "2013-12-18"})
    removed = await coordinator.post(
        "/board/dates/remove", data={"csrf": csrf, "day": "2013-12-18"}, follow_redirects=True
    )
    assert "removed" in removed.text
    assert [d.isoformat() for d in await board_dates(site.app.reader)] == ["2013-11-20"]

    lead = await site.browser(LEAD)
    assert (await lead.get("/board")).status_code == 403
