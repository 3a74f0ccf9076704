"""The web app over HTTP: an in-process ASGI client on a real database, people who can sign in."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from playwright.async_api import Browser, async_playwright

from tests.integration.conftest import app, database_url, pg_template, settings, sqlite_template
from tests.integration.helpers import seed
from web.app import create_app
from workflows.commands.accounts import create_api_token, set_password
from workflows.commands.people import NewPerson, add_person
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import App
from workflows.runtime.settings import Settings

PASSWORD = "a long test password"
COORDINATOR = "coordinator@bcsp.test"
DATABASE_FIXTURES = (app, database_url, pg_template, settings, sqlite_template)
"""The integration tier's databases, which every test here runs on."""
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium offline: without these it keeps trying to reach Google's services from this closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Site:
    """The running app, its database, and helpers to act as someone."""

    app: App
    asgi: object
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, address: str = "127.0.0.1") -> httpx.AsyncClient:
        """A client calling from ``address`` (the peer the app sees)."""
        transport = httpx.ASGITransport(app=self.asgi, client=(address, 50123))  # type: ignore[arg-type]
        return httpx.AsyncClient(transport=transport, base_url="http://dhrflow.test")

    async def browser(self, email: str) -> httpx.AsyncClient:
        """A client signed in as ``email`` (the password is set here)."""
        await set_password(email, PASSWORD, uow_factory=self.app.uow, clock=self.app.clock)
        client = self.client()
        await sign_in(client, email, PASSWORD)
        return client

    async def token(self, email: str) -> dict[str, str]:
        """Bearer headers for ``email``."""
        if email not in self.tokens:
            self.tokens[email] = await create_api_token(email, "tests", uow_factory=self.app.uow, clock=self.app.clock)
        return {"Authorization": f"Bearer {self.tokens[email]}"}

    async def person(self, name: str, email: str, role: str, agency: str | None) -> str:
        person = NewPerson(name, email, role, agency)
        await add_person(person, uow_factory=self.app.uow, clock=self.app.clock, actor_email=COORDINATOR)
        return email


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


async def sign_in(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    form = await client.get("/sign-in")
    data = {"email": email, "password": password, "csrf": csrf_of(form.text), "next": "/"}
    return await client.post("/sign-in", data=data)


@pytest.fixture
async def site(settings: Settings, clock: FixedClock, seed_plan: Path) -> AsyncIterator[Site]:
    web = create_app(settings, clock=clock)
    async with LifespanManager(web) as manager:
        app: App = web.state.dhr
        await seed(app, seed_plan)
        yield Site(app, manager.app)


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    """One headless Debian Chromium for the session; each test opens its own page (and context) in it.

    Missing Chromium fails the test, naming it: only ``DHRFLOW_SKIP_BROWSER=1`` skips, and says so.
    """
    if os.environ.get("DHRFLOW_SKIP_BROWSER") == "1":
        pytest.skip("DHRFLOW_SKIP_BROWSER=1: the browser tests are opted out")
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            "Debian's chromium is not installed: `make system-packages` installs it "
            "(DHRFLOW_SKIP_BROWSER=1 opts out of the browser tests)",
            pytrace=False,
        )
    async with async_playwright() as pw:
        launched = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        await launched.close()


async def kept(client: httpx.AsyncClient, answer: httpx.Response) -> str:
    """A refused form's answer: a redirect back to its own page (``#form-...``), which says why on top and
    holds what was typed; the page's HTML."""
    assert answer.status_code == 303, answer.text[:300]
    location = answer.headers["location"]
    assert "#form-" in location, location
    page = await client.get(location.split("#")[0])
    assert "Not saved:" in page.text
    return page.text
