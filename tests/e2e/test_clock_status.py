"""The pages say whether the clock runs (issue 17 item 3): ``dhrflow serve`` starts the web app before the
Prefect server and the flows, so a page may be read while the clock starts; it says so, then that it runs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from tests.e2e.conftest import Site
from tests.integration.helpers import LEAD, seed
from web.app import create_app
from web.clock_status import ClockStatus
from workflows.runtime.clock import FixedClock
from workflows.runtime.settings import Settings


@pytest.fixture
async def served(settings: Settings, clock: FixedClock, seed_plan: Path) -> AsyncIterator[tuple[Site, FastAPI]]:
    web = create_app(settings, clock=clock)
    web.state.clock_status = ClockStatus()
    async with LifespanManager(web) as manager:
        await seed(web.state.dhr, seed_plan)
        yield Site(web.state.dhr, manager.app), web


async def test_a_page_says_the_clock_is_starting_then_that_it_runs(served: tuple[Site, FastAPI]) -> None:
    site, web = served
    lead = await site.browser(LEAD)
    starting = (await lead.get("/")).text
    assert "The clock is starting" in starting and "The clock is running" not in starting

    web.state.clock_status.running_since = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    running = (await lead.get("/actions")).text
    assert "The clock is starting" not in running
    assert "The clock is running (since 7 Dec 2026, 09:30, UK time)" in running


async def test_a_web_app_run_on_its_own_says_nothing_of_a_clock(site: Site) -> None:
    page = (await (await site.browser(LEAD)).get("/")).text
    assert "The clock is" not in page
