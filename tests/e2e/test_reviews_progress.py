"""Progress at a glance on the reviews page (issue 16): the seed plan on 11 October 2013 (the tasks scenario),
with 3.11.2 assured and 3.5.2 withdrawn, shows each agency's share assured, overdue count and longest delay,
the RAG chart as labelled inline SVG, and what is still to be assured month by month."""

from __future__ import annotations

import html
import re

import pytest

from domain.states import Event
from tests.e2e.conftest import Site
from tests.integration.helpers import ASSURER, LEAD, POLICE
from tests.integration.tasks_scenario import build
from workflows.commands.transitions import TransitionCommand, take_transition
from workflows.context import ActionKey

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)

COUNCIL = "Birmingham City Council Adult Social Care"
_TAG = re.compile(r"<[^>]+>")


def text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def table(page: str, caption: str) -> dict[str, dict[str, str]]:
    """The rows of the table captioned ``caption``: each row's header, then its cells by their data-label."""
    body = page.split(f"<caption>{caption}", 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        header = re.search(r'<th scope="row">(.*?)</th>', row, re.S)
        if header:
            cells = re.findall(r'<td data-label="([^"]*)"[^>]*>(.*?)</td>', row, re.S)
            rows[text(header.group(1))] = {label: text(value) for label, value in cells}
    return rows


async def under_way(site: Site) -> None:
    app = site.app
    await build(app)
    for ref, step, reason in [("3.11.2", Event.ASSURE, ""), ("3.5.2", Event.WITHDRAW, "Superseded")]:
        command = TransitionCommand(actor_email=ASSURER, action=ActionKey(ref), event=step, reason=reason)
        await take_transition(command, uow_factory=app.uow, clock=app.clock, store=app.store)


async def test_the_reviews_page_shows_each_agencys_progress_the_chart_and_the_months(site: Site) -> None:
    await under_way(site)
    page = (await (await site.browser(LEAD)).get("/reviews")).text

    assert "8% assured</strong> (1 of the 12 actions not withdrawn)" in page
    assert "3 overdue</strong>, the longest by 253 days" in page
    agencies = table(page, "Progress and RAG by agency")
    assert agencies[POLICE] == {
        "Assured": "50% (1 of 2)",
        "Overdue": "1",
        "Longest overdue": "103 days",
        "red": "1",
        "amber": "0",
        "green": "0",
        "blue": "1",
        "grey": "0",
    }
    assert agencies[COUNCIL]["Assured"] == "0% (0 of 2)" and agencies[COUNCIL]["grey"] == "1"
    assert agencies["NHS"]["Longest overdue"] == "—"
    assert agencies["All agencies"]["Longest overdue"] == "253 days" and agencies["All agencies"]["green"] == "7"

    chart = page.split('<svg class="rag-chart"', 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in chart and "<script" not in page
    assert "RAG of the 13 actions of BDHR2011/12-03: 3 red, 1 amber, 7 green, 1 blue, 1 grey</title>" in chart
    assert [text(t) for t in re.findall(r"<text [^>]*>(.*?)</text>", chart)] == [
        "Red", "3", "Amber", "1", "Green", "7", "Blue", "1", "Grey", "1",
    ]  # fmt: skip
    assert 'class="bar bar-green" x="70" y="64" width="230.0"' in chart  # the longest bar, scaled to the most

    months = table(page, "Still to be assured, by target month")
    assert {m: (c["Still to be assured"], c["Of them overdue"]) for m, c in months.items()} == {
        "Jan 2013": ("1", "1"),
        "Jun 2013": ("1", "1"),
        "Sep 2013": ("1", "1"),
        "Nov 2013": ("1", "0"),
        "Dec 2013": ("4", "0"),
        "Apr 2014": ("3", "0"),
    }
    # The page keeps what it had: the downloads, the ladder positions and the overdue list.
    for kept in ("/reviews/export/plan?review=", "Where each running action stands on its ladder", "<h2>Overdue</h2>"):
        assert kept in page
