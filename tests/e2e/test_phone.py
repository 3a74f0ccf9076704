"""Every page on a phone (issue 16): each role signs in to real headless Chromium at 390x844 and opens every
HTML page the web app serves that it may see, the HTML documents included; no page may scroll sideways, and
every table shows its rows as cards whose cells are labelled with their column's header.

The pages come from the app's own routes (every GET outside ``/api``), not from a list, so a new page is
opened here the day it is added; a route that answers a file rather than a page must be named in
``FILES``. The roles come from ``domain.roles.Role``, each played by a person of the seeded partnership.
The data is the tasks scenario (submitted, returned, verified and escalated actions, an extension waiting, a
board date, a deputy), an assured action, a second plan withdrawn and signed off (its 64-character SHA-256
on the reviews page), the outbox sent to the demo's mail sink, dead letters, and an API token for each.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args, get_origin
from urllib.parse import quote, urlencode, urlsplit

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from playwright.async_api import Browser, BrowserContext, Page, Route, expect

from documents.importer import read_plan
from domain.roles import Role
from domain.states import Event
from notifications.sender import SmtpSender
from notifications.sink import start_sink
from tests.e2e.conftest import PASSWORD
from tests.e2e.test_journey import _free_port, _Server, sign_in_as
from tests.integration.helpers import ASSURER, COORDINATOR, LEAD_BSMHFT, seed
from tests.integration.tasks_scenario import build
from tests.integration.workflows.commands.test_dispatch import mail_settings
from tests.paths import FIXTURES
from web.app import create_app
from workflows.commands.accounts import create_api_token, request_password_reset, set_password
from workflows.commands.dispatch import dispatch
from workflows.commands.final_audit import sign_off, start_final_audit
from workflows.commands.import_plan import import_plan
from workflows.commands.people import NewPerson, add_person
from workflows.commands.themes import set_theme
from workflows.commands.transitions import TransitionCommand, take_transition
from workflows.context import ActionKey
from workflows.queries.actions import ActionQuery, list_actions
from workflows.queries.people import people
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import App
from workflows.runtime.settings import Settings

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

PHONE = {"width": 390, "height": 844}
SIGNED_OFF = "Domestic Homicide Review 7"
FILES = {
    "evidence_download": "an evidence file, as uploaded",
    "calendar_ics": "an iCalendar feed",
    "favicon": "the icon, a redirect to the SVG",
}
"""Routes outside ``/api`` that answer a file, not a page; a route whose ``format`` offers ``html`` is opened
as HTML (the board pack, the themes report, the certificate) and one that offers none is a file too."""


@dataclass
class Seeded:
    base: str
    people: dict[Role, str]
    """A person of each role, by email."""
    path_values: dict[str, list[str]]
    """Real values for each path parameter of the app's pages."""
    query_values: dict[str, list[str]]
    """Real values for the query parameters a page needs (those without a default)."""


@pytest.fixture
async def seeded(settings: Settings, clock: FixedClock, seed_plan: Path, tmp_path: Path) -> AsyncIterator[Seeded]:
    sink_dir = tmp_path / "sent-mail"
    web = create_app(settings.model_copy(update={"mail_sink_dir": sink_dir}), clock=clock)
    port = _free_port()
    server = _Server(uvicorn.Config(web, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "the server did not start"
        await asyncio.sleep(0.05)
    try:
        yield await _fill(web.state.dhr, seed_plan, sink_dir, f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        await task


async def _fill(app: App, plan: Path, sink_dir: Path, base: str) -> Seeded:
    """The partnership as the module says, and real values for the pages' parameters."""
    kw: dict[str, Any] = {"uow_factory": app.uow, "clock": app.clock}
    await seed(app, plan)
    await build(app)
    await add_person(NewPerson("Board Member", "board.member@bcsp.test", "viewer"), actor_email=COORDINATOR, **kw)
    await _act(app, "3.11.2", Event.ASSURE)
    evidence = TransitionCommand(  # a long file name, a long address and its SHA-256 on the action page
        LEAD_BSMHFT,
        ActionKey("3.8.1"),
        Event.SUBMIT_EVIDENCE,
        note="Filed at https://intranet.bcsp.test/safeguarding/acute-care-forum/2013-10/audit-of-s136-detentions",
        uploads=[("Acute-Care-Forum-audit-of-s136-detentions-October-2013-final.pdf", b"%PDF-1.4 the audit")],
    )
    await take_transition(evidence, uow_factory=app.uow, clock=app.clock, store=app.store)
    second = read_plan(FIXTURES / "real" / "tower-hamlets-dhr7.txt", partnership_short_name="BCSP")
    await import_plan(second, actor_email=COORDINATOR, **kw)
    for key in (ActionKey("3.11.1"), ActionKey("1", SIGNED_OFF)):  # a theme recurring across the two reviews
        await set_theme(COORDINATOR, key, "record_keeping", uow_factory=app.uow, at=app.clock.now())
    for ref in ("1", "2", "3"):
        await _act(app, ref, Event.WITHDRAW, review=SIGNED_OFF, reason="Completed before dhrflow tracked it")
    await start_final_audit(ASSURER, SIGNED_OFF, **kw)
    await sign_off(ASSURER, SIGNED_OFF, **kw)

    sink = start_sink(sink_dir, sink_port := _free_port())
    try:
        mail = mail_settings(sink_port, base_url=base)
        await dispatch(mail, sender=SmtpSender(mail), **kw)
    finally:
        sink.stop()
    assert list(sink_dir.iterdir()), "the sink kept no mail: the sent mail page would be empty"

    by_role: dict[Role, str] = {}
    for person, _agency in await people(app.reader):
        by_role.setdefault(person.role, person.email)
        partnership = person.partnership_id
    for email in by_role.values():
        await set_password(email, PASSWORD, **kw)
        await create_api_token(email, f"Reporting script of {email}", **kw)
    reset = await request_password_reset(by_role[Role.VIEWER], **kw)
    assert reset is not None
    async with app.reader() as uow:
        review_ids = await uow.run(lambda tx: [r.id for r in tx.reviews.in_partnership(partnership)])
    actions = {
        v.ref: v.id
        for v in await list_actions(app.reader, ActionQuery(), today=app.clock.today(), policy=app.rag_policy)
    }
    return Seeded(
        base=base,
        people=by_role,
        path_values={
            # returned (with its reason), assured, escalated with an extension waiting, evidence with a checker
            "action_id": [str(actions[ref]) for ref in ("3.2.4", "3.11.2", "3.11.1", "3.8.1")],
            "review_id": [str(i) for i in review_ids],
            "token": [reset.token],
        },
        query_values={"review": ["all", SIGNED_OFF]},
    )


async def _act(app: App, ref: str, event: Event, review: str | None = None, reason: str = "") -> None:
    command = TransitionCommand(actor_email=ASSURER, action=ActionKey(ref, review), event=event, reason=reason)
    await take_transition(command, uow_factory=app.uow, clock=app.clock, store=app.store)


def html_format(route: APIRoute) -> bool | None:
    """Whether the route's ``format`` offers ``html``; None when it takes no format."""
    for p in route.dependant.query_params:
        if p.name == "format":
            annotation = p.field_info.annotation
            return get_origin(annotation) is Literal and "html" in get_args(annotation)
    return None


def page_urls(app: FastAPI, seeded: Seeded) -> tuple[dict[str, list[str]], list[str]]:
    """Each HTML page route of the app (by path) with the URLs that open it, and the routes left out as files."""
    pages: dict[str, list[str]] = {}
    files = []
    for served in iter_route_contexts(app.routes):
        route, path = served.original_route, served.path_format or ""
        if not isinstance(route, APIRoute) or "GET" not in (route.methods or ()) or path.startswith("/api/"):
            continue
        offers_html = html_format(route)
        if route.endpoint.__name__ in FILES or offers_html is False:
            files.append(path)
            continue
        names = [p.name for p in route.dependant.path_params]
        needed = [p.name for p in route.dependant.query_params if p.field_info.is_required()]
        unknown = [n for n in names + needed if n not in seeded.path_values and n not in seeded.query_values]
        assert not unknown, f"{path} takes {unknown}: give this test real values for them (or list it in FILES)"
        values = [seeded.path_values.get(n) or seeded.query_values[n] for n in names + needed]
        urls = []
        for combination in itertools.product(*values):
            filled = dict(zip(names + needed, combination, strict=True))
            url = path.format(**{n: quote(filled[n], safe="") for n in names})
            query = [(n, filled[n]) for n in needed] + ([("format", "html")] if offers_html else [])
            urls.append(url + ("?" + urlencode(query) if query else ""))
        pages[path] = urls
    return pages, files


_CHECK = """() => {
  const said = [];
  let labelled = 0;
  const words = el => el.textContent.replace(/\\s+/g, ' ').trim();
  for (const table of document.querySelectorAll('table')) {
    const head = table.tHead && table.tHead.rows[0];
    if (!head) continue;  // a table of row headers only (the certificate): each row's header is its label
    if (getComputedStyle(table.tHead).display !== 'none') said.push('a table still shows its header row');
    const columns = [];
    for (const th of head.cells) {
      const hidden = th.querySelector('.visually-hidden');
      for (let i = 0; i < th.colSpan; i++)
        columns.push({text: words(th), hidden: !!hidden && words(hidden) === words(th)});
    }
    const rows = [...table.tBodies].flatMap(b => [...b.rows]).concat(table.tFoot ? [...table.tFoot.rows] : []);
    for (const row of rows) {
      let at = 0;
      for (const cell of row.cells) {
        const column = columns[at] || {text: '?', hidden: false};
        at += cell.colSpan;
        if (cell.tagName !== 'TD' || cell.colSpan > 1) continue;
        const label = cell.getAttribute('data-label');
        if (label === null) { said.push(`a cell under "${column.text}" has no data-label`); continue; }
        if (label !== column.text && !(label === '' && column.hidden)) {
          said.push(`a cell under "${column.text}" is labelled "${label}"`); continue;
        }
        if (!label || !cell.getClientRects().length) continue;
        const before = getComputedStyle(cell, '::before');
        if (before.display === 'none' || !before.content.includes(label) || before.visibility === 'hidden')
          said.push(`the label "${label}" is not shown on its card`);
        else labelled++;
      }
    }
  }
  return {said: [...new Set(said)], labelled};
}"""


async def _as_saved(route: Route) -> None:
    """The HTML documents come as downloads: here each opens as the saved file does, its bytes alone (without
    the app's headers, whose Content-Security-Policy would refuse the document's own inline styles)."""
    answer = await route.fetch(max_redirects=0)
    if not answer.ok:  # a refusal or the way to the sign-in form, as the app answered it
        await route.fulfill(response=answer)
        return
    await route.fulfill(status=answer.status, body=await answer.body(), content_type=answer.headers["content-type"])


async def _visit(page: Page, base: str, url: str) -> tuple[bool, list[str], int]:
    """Open ``url``: whether the person may see it, what is wrong with it on the phone, and its labelled cells."""
    answer = await page.goto(base + url)
    assert answer is not None, url
    reached = answer.ok and answer.headers.get("content-type", "").startswith("text/html")
    if not reached or (urlsplit(page.url).path == "/sign-in" and not url.startswith("/sign-in")):
        return False, [], 0
    problems = []
    wide = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if wide > 0:
        problems.append(f"scrolls sideways by {wide}px")
    found = await page.evaluate(_CHECK)
    return True, problems + found["said"], found["labelled"]


async def _open_all(context: BrowserContext, seeded: Seeded, urls: dict[str, list[str]], who: str) -> dict[str, Any]:
    page = await context.new_page()
    await context.route("**/reviews/export/**", _as_saved)
    reached, problems, labelled = set(), [], 0
    try:
        if who != "anonymous":
            await sign_in_as(page, seeded.base, seeded.people[Role(who)])
        for path, each in urls.items():
            for url in each:
                ok, wrong, cells = await _visit(page, seeded.base, url)
                if ok:
                    reached.add(path)
                    labelled += cells
                    problems += [f"{url} as {who.replace('_', ' ')}: {w}" for w in wrong]
    finally:
        await page.close()
    return {"reached": reached, "problems": problems, "labelled": labelled}


async def _import_preview(browser: Browser, seeded: Seeded) -> list[str]:
    """The import page's preview (a POST's answer, so no route of its own): its columns and actions tables."""
    context = await browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    try:
        page = await context.new_page()
        await sign_in_as(page, seeded.base, seeded.people[Role.COORDINATOR])
        await page.goto(f"{seeded.base}/import")
        await page.get_by_label("Action plan").set_input_files(FIXTURES / "real" / "brent-dhr-appendix3.xlsx")
        await page.locator("#review").fill("Brent DHR")
        await page.get_by_role("button", name="Preview").click()
        await expect(page.get_by_role("heading", name="Columns, and what each is read as")).to_be_visible()
        wide = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        found = await page.evaluate(_CHECK)
        problems = [f"the import preview as coordinator: {w}" for w in found["said"]]
        if not found["labelled"]:
            problems.append("the import preview as coordinator: no labelled table cell showed")
        return problems + ([f"the import preview as coordinator: scrolls sideways by {wide}px"] if wide > 0 else [])
    finally:
        await context.close()


async def test_every_page_fits_a_phone_for_every_role_and_tables_read_as_labelled_cards(
    browser: Browser, seeded: Seeded, settings: Settings
) -> None:
    urls, files = page_urls(create_app(settings), seeded)
    assert "/reviews/export/board" in urls and "/actions/{action_id}" in urls  # the walk found the app's pages
    assert sorted(files) == [
        "/actions/{action_id}/evidence/{evidence_id}",
        "/calendar/{token}.ics",
        "/favicon.ico",
        "/recommendations/export/national",
        "/reviews/export/plan",
    ]
    missing = [r for r in Role if r not in seeded.people]
    assert not missing, f"no seeded person holds {missing}: every role is tried"

    problems: list[str] = []
    reached: dict[str, set[str]] = {}
    for who in ["anonymous", *(str(r) for r in Role)]:
        context = await browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
        try:
            found = await _open_all(context, seeded, urls, who)
        finally:
            await context.close()
        problems += found["problems"]
        reached[who] = found["reached"]
        if who != "anonymous" and not found["labelled"]:
            problems.append(f"no labelled table cell showed on any page as {who.replace('_', ' ')}")
    problems += await _import_preview(browser, seeded)
    assert not problems, "\n".join(problems)
    never = set(urls) - set().union(*reached.values())
    assert not never, f"no role could open {sorted(never)}: the seeded data or the path values miss them"
    assert {"/reviews", "/actions/{action_id}", "/"} <= reached[str(Role.VIEWER)]
