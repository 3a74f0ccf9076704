"""Lists that cost what a screen shows (issue 17): the actions list a page at a time with its total, sorted by its
column headers, searched and filtered, everything in its address so a link can be shared; the API's list
operations a slice at a time, the next one named in the ``Link`` header; the access rule applied before the cut,
so a lead officer's pages are full and their total theirs."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import pytest

from bench.volume import seed_volume
from domain.states import Event
from tests.e2e.conftest import Site, csrf_of
from tests.e2e.test_bulk import act, ticks
from tests.integration.helpers import ASSURER, COMMISSIONER, COORDINATOR, LEAD, LEAD_BSMHFT, POLICE

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)

ROW = re.compile(r'<a href="/actions/(\d+)">DARDR BDHR2011/12-03 ([\d.]+)</a>')  # the review with its kind


def refs(html: str) -> list[str]:
    """The refs the list shows, top to bottom."""
    return [ref for _, ref in ROW.findall(html.split("<tbody>", 1)[-1])]


def pager(html: str) -> dict[str, str]:
    """The pager's links (the first of the page's two pagers): label to address."""
    nav = html.split('aria-label="Pages of the list"', 1)[1].split("</nav>", 1)[0]
    found = re.findall(r'<a href="([^"]+)"[^>]*>(?:<span class="visually-hidden">Page </span>)?([^<]+)', nav)
    return {label.strip(): address.replace("&amp;", "&") for address, label in found}


async def every_ref(site: Site, email: str) -> list[str]:
    """What the API lists for ``email`` in one slice: the truth the pages are checked against."""
    async with site.client() as api:
        answer = await api.get("/api/v1/actions", params={"limit": 1000}, headers=await site.token(email))
    return [a["ref"] for a in answer.json()]


async def test_the_list_comes_a_page_at_a_time_with_its_total(site: Site) -> None:
    coordinator = await site.browser(COORDINATOR)
    everything = await every_ref(site, COORDINATOR)
    assert len(everything) == 13
    first = await coordinator.get("/actions?size=5")
    assert "Actions 1–5 of 13 (page 1 of 3)." in first.text
    assert refs(first.text) == everything[:5]
    links = pager(first.text)
    assert links["2"] == "/actions?size=5&page=2" and links["Next"] == links["2"] and "Previous" not in links
    last = await coordinator.get(links["3"])
    assert "Actions 11–13 of 13 (page 3 of 3)." in last.text and refs(last.text) == everything[10:]
    assert 'aria-current="page"><span class="visually-hidden">Page </span>3</a>' in last.text
    assert "Next" not in pager(last.text)
    beyond = await coordinator.get("/actions?size=5&page=99")  # past the last: the last page, saying so
    assert "(page 3 of 3)" in beyond.text and refs(beyond.text) == everything[10:]
    pages = [refs((await coordinator.get(f"/actions?size=5&page={n}")).text) for n in (1, 2, 3)]
    assert [r for page in pages for r in page] == everything  # no action twice, none missed
    whole = await coordinator.get("/actions")  # 50 a page by default: one page, no pager
    assert "Actions 1–13 of 13." in whole.text and 'aria-label="Pages of the list"' not in whole.text


async def test_the_column_headers_sort_the_list_and_say_how(site: Site) -> None:
    coordinator = await site.browser(COORDINATOR)
    plain = await coordinator.get("/actions")
    assert '<th scope="col" aria-sort="ascending"><a href="/actions?sort=ref&amp;order=desc">Action' not in plain.text
    header = re.search(r'<th scope="col" aria-sort="(\w+)"><a href="([^"]+)">Target', plain.text)
    assert header and header.group(1) == "none"
    by_date = await coordinator.get(header.group(2).replace("&amp;", "&"))
    assert re.search(r'aria-sort="ascending"><a href="/actions\?sort=target&amp;order=desc">Target', by_date.text)
    async with site.client() as api:
        listed = await api.get(
            "/api/v1/actions", params={"sort": "target", "limit": 1000}, headers=await site.token(COORDINATOR)
        )
    dates = [a["target_date"] for a in listed.json()]
    dated = [d for d in dates if d]
    assert dates == sorted(dated) + [None] * (len(dates) - len(dated))  # no readable date: after every date
    assert refs(by_date.text) == [a["ref"] for a in listed.json()]
    backwards = await coordinator.get("/actions?sort=target&order=desc")
    assert refs(backwards.text) == list(reversed(refs(by_date.text)))
    assert 'aria-sort="descending"' in backwards.text
    by_agency = await coordinator.get("/actions?sort=agency")
    agencies = re.findall(r'<td data-label="Agency">([^<]*)</td>', by_agency.text)
    assert agencies == sorted(agencies) and len(set(agencies)) > 1
    by_rag = await coordinator.get("/actions?sort=rag")
    colours = re.findall(r'<td data-label="RAG"><span class="rag rag-(\w+)">', by_rag.text)
    order = ["red", "amber", "green", "blue", "grey"]
    assert [order.index(c) for c in colours] == sorted(order.index(c) for c in colours)
    nonsense = await coordinator.get("/actions?sort=nonsense&order=sideways")  # ignored, as the form would
    assert refs(nonsense.text) == refs(plain.text)


async def test_search_finds_refs_and_words_of_the_action_in_any_case(site: Site) -> None:
    coordinator = await site.browser(COORDINATOR)
    by_ref = await coordinator.get("/actions", params={"q": "3.11"})
    assert refs(by_ref.text) == ["3.11.1", "3.11.2"] and "holding “3.11”" in by_ref.text
    everything = await every_ref(site, COORDINATOR)
    async with site.client() as api:
        texts = await api.get("/api/v1/actions", params={"limit": 1000}, headers=await site.token(COORDINATOR))
    word = texts.json()[0]["action"].split()[2]
    expected = [a["ref"] for a in texts.json() if word.lower() in (a["action"] + a["ref"]).lower()]
    found = await coordinator.get("/actions", params={"q": word.upper()})
    assert refs(found.text) == expected and 0 < len(expected) <= len(everything)
    for literal in ("%", "_", "\\", "' OR 1=1 --"):  # wildcards and quotes are text, not SQL
        page = await coordinator.get("/actions", params={"q": literal})
        assert page.status_code == 200 and "No action matches." in page.text, literal
    assert 'value="3.11"' in by_ref.text  # the box keeps what was searched


async def test_filters_sort_and_page_stay_in_the_address_and_every_link_keeps_them(site: Site) -> None:
    assurer = await site.browser(ASSURER)
    address = f"/actions?agency={POLICE}&state=open&q=3.&sort=target&order=desc&size=1"
    page = await assurer.get(address)
    assert "Actions 1–1 of 2 (page 1 of 2)" in page.text
    following = pager(page.text)["2"]
    kept = parse_qs(urlsplit(following).query)
    assert kept == {
        "agency": [POLICE],
        "state": ["open"],
        "q": ["3."],
        "sort": ["target"],
        "order": ["desc"],
        "size": ["1"],
        "page": ["2"],
    }
    second = await assurer.get(following)
    assert refs(second.text) != refs(page.text) and len(refs(second.text)) == 1
    assert f'<option value="{POLICE}" selected>' in second.text and 'value="target" selected' in second.text
    headers = re.findall(r'aria-sort="\w+"><a href="([^"]+)"', second.text)
    for link in headers:  # a header sorts the same filtered list, from its first page
        query = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
        assert query["agency"] == [POLICE] and query["q"] == ["3."] and "page" not in query


async def test_a_lead_officers_pages_are_full_and_their_total_is_their_agencys(site: Site) -> None:
    """The access rule is applied in the database before the page is cut: filtered afterwards, a page of five
    would show the police's share of five and the total would count every agency's."""
    theirs = await every_ref(site, LEAD)
    everyone = await every_ref(site, COORDINATOR)
    assert 0 < len(theirs) < len(everyone)
    lead = await site.browser(LEAD)
    first = await lead.get("/actions?size=1")
    assert f"Actions 1–1 of {len(theirs)} (page 1 of {len(theirs)})" in first.text
    shown = [refs((await lead.get(f"/actions?size=1&page={n}")).text) for n in range(1, len(theirs) + 1)]
    assert [r for [r] in shown] == theirs
    other = await lead.get(f"/actions?lead={LEAD_BSMHFT}")  # another agency's lead officer: nothing of theirs
    assert "No action matches." in other.text
    mine = await lead.get(f"/actions?lead={LEAD}")
    assert refs(mine.text) == theirs  # none named yet: a lead officer leads every action of their agency
    unknown = await lead.get("/actions?lead=nobody@bcsp.test")
    assert unknown.status_code == 422 and "lead officers" in unknown.text


async def test_a_filter_holding_a_nul_is_refused_in_one_line_on_either_database(site: Site) -> None:
    """PostgreSQL holds no text with a NUL in it: asked to compare with one, it fails the statement (a 500)."""
    coordinator = await site.browser(COORDINATOR)
    headers = await site.token(COORDINATOR)
    async with site.client() as api:
        for name in ("review", "agency", "lead", "q"):
            page = await coordinator.get("/actions", params={name: "a\x00b"})
            assert page.status_code == 422 and "NUL" in page.text, name
            listed = await api.get("/api/v1/actions", params={name: "a\x00b"}, headers=headers)
            assert listed.status_code == 422 and "NUL" in listed.json()["detail"], name
    odd = await coordinator.get("/actions?size=abc&page=-1")  # not numbers: the defaults
    assert "Actions 1–13 of 13." in odd.text


async def test_the_rag_and_overdue_filters_are_the_colours_the_list_shows(site: Site) -> None:
    coordinator = await site.browser(COORDINATOR)
    for colour in ("red", "amber", "green", "blue", "grey"):
        page = await coordinator.get(f"/actions?rag={colour}")
        shown = re.findall(r'<td data-label="RAG"><span class="rag rag-(\w+)">', page.text)
        assert set(shown) <= {colour}, colour
    red = await coordinator.get("/actions?rag=red")
    overdue = await coordinator.get("/actions?overdue=1")
    assert refs(red.text) == refs(overdue.text) and refs(red.text)


async def test_the_bulk_form_works_on_the_page_shown_and_comes_back_to_it(site: Site) -> None:
    for ref in ("3.11.1", "3.11.2"):
        await act(site, LEAD, ref, Event.SUBMIT_EVIDENCE, note="Minutes")
    commissioner = await site.browser(COMMISSIONER)
    address = "/actions?state=evidence_submitted&size=1&page=2"
    page = await commissioner.get(address)
    boxes = ticks(page.text)
    assert list(boxes) == ["3.11.2"]  # only the page shown is ticked: the other is on page 1
    for name, value in (("size", "1"), ("page", "2"), ("state", "evidence_submitted")):
        assert f'<input type="hidden" name="{name}" value="{value}">' in page.text
    all_ticked = await commissioner.get(address + "&tick=all")
    assert len(ticks(all_ticked.text)) == 1 and all_ticked.text.count('" checked><label') == 1
    form = {
        "csrf": csrf_of(page.text),
        "state": "evidence_submitted",
        "size": "1",
        "page": "2",
        "move": "verify",
        "pick": list(boxes.values()),
    }
    answer = await commissioner.post("/actions/bulk", data=form)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/actions?state=evidence_submitted&page=2&size=1#bulk"
    shown = await commissioner.get(answer.headers["location"])
    assert "1 verified." in shown.text
    assert "Actions 1–1 of 1." in shown.text  # one left, on page 1: the page asked for is past the last


async def _slices(api: httpx.AsyncClient, address: str, headers: dict[str, str]) -> list[list[dict[str, object]]]:
    """Every slice of a list operation, following ``rel="next"`` to the end."""
    slices = []
    following: str | None = address
    while following is not None:
        answer = await api.get(following, headers=headers)
        assert answer.status_code == 200, answer.text
        slices.append(answer.json())
        link = answer.headers.get("link")
        following = re.fullmatch(r'<([^>]+)>; rel="next"', link).group(1) if link else None  # type: ignore[union-attr]
        assert len(slices) < 50
    return slices


async def test_the_api_lists_a_slice_at_a_time_and_names_the_next(site: Site) -> None:
    headers = await site.token(COORDINATOR)
    async with site.client() as api:
        default = await api.get("/api/v1/actions", headers=headers)
        assert len(default.json()) == 13 and "link" not in default.headers  # 100 by default: all of the seed
        slices = await _slices(api, "/api/v1/actions?limit=5&sort=rag", headers)
        assert [len(s) for s in slices] == [5, 5, 3]
        whole = (await api.get("/api/v1/actions?limit=1000&sort=rag", headers=headers)).json()
        assert [a["id"] for s in slices for a in s] == [a["id"] for a in whole]
        first = await api.get("/api/v1/actions?limit=5&sort=rag", headers=headers)
        cursor = parse_qs(urlsplit(first.headers["link"][1:].split(">")[0]).query)["cursor"][0]
        other_order = await api.get("/api/v1/actions", params={"limit": 5, "cursor": cursor}, headers=headers)
        assert other_order.status_code == 422 and "cursor" in other_order.json()["detail"]
        for bad in ("x", "e30", "WyJhY3Rpb25zIl0", "W10", "%00"):
            refused = await api.get("/api/v1/actions", params={"cursor": bad}, headers=headers)
            assert refused.status_code == 422, bad
        too_many = await api.get("/api/v1/actions", params={"limit": 1001}, headers=headers)
        assert too_many.status_code == 422
        lead = await _slices(api, "/api/v1/actions?limit=1", await site.token(LEAD))
        assert [a["ref"] for [a] in lead] == await every_ref(site, LEAD)
        found = await api.get("/api/v1/actions", params={"q": "3.11", "lead": LEAD}, headers=headers)
        assert [a["ref"] for a in found.json()] == ["3.11.1", "3.11.2"]


async def test_the_other_list_operations_take_a_limit_and_a_cursor_too(site: Site) -> None:
    for ref in ("3.11.1", "3.11.2"):
        await act(site, LEAD, ref, Event.SUBMIT_EVIDENCE, note="Minutes")
    async with site.client() as api:
        reviews = await _slices(api, "/api/v1/reviews?limit=1", await site.token(COORDINATOR))
        assert [[r["review_ref"] for r in s] for s in reviews] == [["BDHR2011/12-03"]]
        headers = await site.token(COMMISSIONER)
        whole = (await api.get("/api/v1/tasks", headers=headers)).json()
        assert whole["count"] >= 2 and whole["next"] is None
        first = (await api.get("/api/v1/tasks", params={"limit": 1}, headers=headers)).json()
        assert first["count"] == whole["count"] and first["items"] == whole["items"][:1] and first["next"]
        rest = (await api.get("/api/v1/tasks", params={"limit": 100, "cursor": first["next"]}, headers=headers)).json()
        assert rest["items"] == whole["items"][1:] and rest["next"] is None
        for operation in ("/api/v1/escalations", "/api/v1/deputies", "/api/v1/tasks", "/api/v1/reviews"):
            refused = await api.get(operation, params={"cursor": "not-a-cursor"}, headers=headers)
            assert refused.status_code == 422, operation


async def test_the_reviews_page_pages_and_a_review_s_link_and_forms_come_back_to_its_page(site: Site) -> None:
    """A partnership of 12 reviews (the bench's generator): ten a page, by ref."""
    volume = await seed_volume(site.app.engine, partnerships=2, actions=600, largest=300, today=site.app.clock.today())
    assurer = await site.browser(volume.assurer)
    first = await assurer.get("/reviews")
    assert "Reviews 1–10 of 12, by reference." in first.text
    assert first.text.count('<section class="card" id="review-') == 10
    second = await assurer.get("/reviews?page=2")
    assert "Reviews 11–12 of 12, by reference." in second.text
    shown = re.findall(r'<section class="card" id="review-([^"]+)">', second.text)
    assert len(shown) == 2
    async with site.app.reader() as uow:
        found = await uow.run(lambda tx: tx.reviews.by_ref(volume.largest_id, unquote(shown[-1])))
    assert found is not None
    link = await assurer.get(f"/reviews/{found.id}")
    assert link.status_code == 303 and link.headers["location"] == f"/reviews?page=2#review-{shown[-1]}"
    form = {"csrf": csrf_of(second.text), "review": found.ref, "step": "start", "page": "2"}
    started = await assurer.post("/reviews/final-audit", data=form)
    assert started.status_code == 303 and started.headers["location"].startswith("/reviews?page=2&done=")
    back = await assurer.get(started.headers["location"])
    assert "final audit started" in back.text and f'value="{found.ref}"' in back.text
    overdue = re.search(r'<a href="([^"]+)">All ([\d,]+) overdue actions</a>', back.text)
    assert overdue and overdue.group(1) == "/actions?overdue=1&amp;sort=target"
    listed = await assurer.get("/actions?overdue=1&sort=target")
    assert f"of {overdue.group(2)} " in listed.text or f"of {overdue.group(2)}." in listed.text
