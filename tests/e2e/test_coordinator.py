"""The coordinator's pages: import a plan with a preview first, and add people."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tests.e2e.conftest import Site, csrf_of, kept
from tests.integration.helpers import COORDINATOR, LEAD
from workflows.commands.import_plan import mappings

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


async def test_an_upload_is_previewed_with_its_changes_then_imported_on_confirmation(
    site: Site, seed_plan: Path
) -> None:
    changed = seed_plan.read_text(encoding="utf-8").replace("Message of the day", "Message of the week")
    coordinator = await site.browser(COORDINATOR)
    page = await coordinator.get("/import")
    files = {"plan": ("board-copy.txt", changed.encode(), "text/plain")}
    preview = await coordinator.post("/import", data={"csrf": csrf_of(page.text)}, files=files)
    assert preview.status_code == 200, preview.text
    assert "0 to add, 1 to update, 12 unchanged" in preview.text and "3.11.1: action" in preview.text
    shown = await coordinator.get("/actions?review=BDHR2011%2F12-03")
    assert "Message of the week" not in shown.text  # a preview writes nothing
    stored = preview.text.split('name="stored" value="')[1].split('"')[0]
    done = await coordinator.post(
        "/import/confirm",
        data={"csrf": csrf_of(preview.text), "stored": stored, "name": "board-copy.txt"},
        follow_redirects=True,
    )
    assert "1 updated, 12 unchanged" in done.text
    forged = await coordinator.post(
        "/import/confirm", data={"csrf": csrf_of(preview.text), "stored": "../../etc/passwd", "name": "x.txt"}
    )
    assert forged.status_code == 422 and "upload the plan again" in forged.text
    bad = await coordinator.post(
        "/import", data={"csrf": csrf_of(page.text)}, files={"plan": ("plan.exe", b"MZ", "application/x")}
    )
    assert bad.status_code == 422


async def test_a_plan_naming_no_review_is_previewed_and_imported_with_the_review_field(site: Site) -> None:
    plan = (
        b"Appendix B Multi-agency Action Plan\nAction,Lead,Agency,Target Date\nBrief officers,DI Jones,Police,2020/21\n"
    )
    coordinator = await site.browser(COORDINATOR)
    page = await coordinator.get("/import")
    assert 'name="review"' in page.text
    files = {"plan": ("appendix-b.csv", plan, "text/csv")}
    asked = await coordinator.post("/import", data={"csrf": csrf_of(page.text)}, files=files)
    assert asked.status_code == 422 and "Review reference" in asked.text
    preview = await coordinator.post("/import", data={"csrf": csrf_of(page.text), "review": "DHR Sarah"}, files=files)
    assert preview.status_code == 200 and "Review DHR Sarah (new): 1 to add" in preview.text
    stored = preview.text.split('name="stored" value="')[1].split('"')[0]
    done = await coordinator.post(
        "/import/confirm",
        data={"csrf": csrf_of(preview.text), "stored": stored, "name": "appendix-b.csv", "review": "DHR Sarah"},
        follow_redirects=True,
    )
    assert "DHR Sarah: 1 added" in done.text


async def test_the_coordinator_adds_a_person_and_nobody_else_sees_the_page(site: Site) -> None:
    coordinator = await site.browser(COORDINATOR)
    page = await coordinator.get("/people")
    form = {
        "csrf": csrf_of(page.text),
        "name": "New Lead",
        "email": "new.lead@bcsp.test",
        "role": "lead_officer",
        "agency": "West Midlands Police",
    }
    done = await coordinator.post("/people", data=form, follow_redirects=True)
    assert "new.lead@bcsp.test added as lead officer" in done.text
    assert '<td data-label="Name">New Lead</td>' in done.text
    again = await coordinator.post("/people", data=form)
    assert "is already New Lead&#39;s (lead officer) in this partnership" in await kept(coordinator, again)
    lead = await site.browser(LEAD)
    assert (await lead.get("/people")).status_code == 403
    assert (await lead.get("/import")).status_code == 403


async def test_the_api_imports_a_plan_for_the_coordinator_only_with_a_dry_run_first(
    site: Site, seed_plan: Path
) -> None:
    changed = seed_plan.read_text(encoding="utf-8").replace("Message of the day", "Message of the week").encode()
    files = {"plan": ("board-copy.txt", changed, "text/plain")}
    async with site.client() as http:
        headers = await site.token(COORDINATOR)
        preview = await http.post("/api/v1/imports?dry_run=true", files=files, headers=headers)
        assert preview.status_code == 200, preview.text
        body = preview.json()
        assert (body["dry_run"], list(body["updated"]), body["unchanged"]) == (True, ["3.11.1"], 12)
        done = await http.post("/api/v1/imports", files=files, headers=headers)
        assert done.status_code == 200 and done.json()["dry_run"] is False
        again = await http.post("/api/v1/imports", files=files, headers=headers)
        assert again.json()["unchanged"] == 13
        lead = await http.post("/api/v1/imports", files=files, headers=await site.token(LEAD))
        assert lead.status_code == 403 and lead.headers["content-type"] == "application/problem+json"
        rubbish = {"plan": ("plan.docx", b"not a zip", "application/octet-stream")}
        bad = await http.post("/api/v1/imports", files=rubbish, headers=headers)
        assert bad.status_code == 422 and "plan.docx" in bad.json()["detail"]


async def test_the_api_import_takes_a_kind_warns_when_the_title_says_otherwise_and_refuses_an_unknown_one(
    site: Site, seed_plan: Path
) -> None:
    files = {"plan": ("seed.txt", seed_plan.read_bytes(), "text/plain")}
    async with site.client() as http:
        headers = await site.token(COORDINATOR)
        unknown = await http.post("/api/v1/imports?dry_run=true&kind=scr", files=files, headers=headers)
        assert unknown.status_code == 422, unknown.text
        assert unknown.headers["content-type"] == "application/problem+json"
        assert "'scr' is not a review kind; the kinds are: cspr, dardr, sar" in unknown.json()["detail"]
        given = await http.post("/api/v1/imports?kind=sar", files=files, headers=headers)
        assert given.status_code == 200, given.text
        body = given.json()
        assert body["kind"] == {"key": "sar", "name": "Safeguarding Adults Review", "abbreviation": "SAR"}
        assert any("imported as a Safeguarding Adults Review, the kind given (sar)" in w for w in body["warnings"])
        plain = await http.post("/api/v1/imports?dry_run=true", files=files, headers=headers)
        assert plain.json()["kind"]["key"] == "dardr"  # as the document says: "Domestic Homicide Review"


async def test_the_coordinator_sees_agencies_adds_one_and_a_director_fills_the_gap(site: Site) -> None:
    coordinator = await site.browser(COORDINATOR)
    page = await coordinator.get("/agencies")
    assert page.status_code == 200 and "West Midlands Police" in page.text
    assert "no director: escalations reach nobody" in page.text  # the seed's other agencies have none
    added = await coordinator.post(
        "/agencies", data={"csrf": csrf_of(page.text), "name": "  Solihull   Council "}, follow_redirects=True
    )
    assert "Solihull Council added" in added.text
    twice = await coordinator.post("/agencies", data={"csrf": csrf_of(page.text), "name": "solihull council"})
    assert "already" in await kept(coordinator, twice)
    await site.person("Director Solihull", "director.sol@bcsp.test", "director", "Solihull Council")
    row = (await coordinator.get("/agencies")).text.split("Solihull Council</th>")[1].split("</tr>")[0]
    assert "director.sol@bcsp.test" in row
    lead = await site.browser(LEAD)
    assert (await lead.get("/agencies")).status_code == 403
    assert (await lead.get("/ladders")).status_code == 403


async def test_the_coordinator_edits_a_ladder_as_a_new_version_and_bad_steps_are_one_clear_line(site: Site) -> None:
    coordinator = await site.browser(COORDINATOR)
    page = await coordinator.get("/ladders")
    assert "reminder:-10:reminder:lead_officer\ndirector" not in page.text  # the overdue step is in between
    assert "overdue:0:overdue:lead_officer" in page.text and "Save as version 2" in page.text
    steps = "reminder:-5:reminder:lead_officer\ndirector:3:escalation:director+partnership_assurer"
    form = {"csrf": csrf_of(page.text), "name": "lead_officer", "steps": steps}
    saved = await coordinator.post("/ladders", data=form, follow_redirects=True)
    assert "lead_officer is now version 2" in saved.text and "director, partnership assurer" in saved.text
    bad = await coordinator.post("/ladders", data=form | {"steps": "late:2:nag:director"})
    said = await kept(coordinator, bad)
    assert "nag" in said and "is not one of reminder, overdue, escalation" in said
    rule = await coordinator.post(
        "/ladders/catch-up", data={"csrf": csrf_of(page.text), "rule": "all"}, follow_redirects=True
    )
    assert "catch-up is now all" in rule.text
    async with site.app.reader() as uow:
        events = await uow.run(lambda tx: [d.event for d in tx.decisions.page(1, 0, 100)])
    assert events[-2:] == ["ladder_set", "catch_up_set"]


UNPLACED = (
    b"DHR 2022-07 Action Plan\n"
    b"Ref,Action,Owner,Agency,Target Date,Agency response\n"
    b"1.1,Brief officers on coercive control,DI Jones,Police,Mar-23,Briefings booked\n"
)
"""A plan whose lead column is headed "Owner" (no synonym) and whose progress is "Agency response"."""


def _stored(page: str) -> str:
    return page.split('name="stored" value="')[1].split('"')[0]


def _columns(page: str) -> dict[str, list[str]]:
    """The preview form's column fields as a browser would post them: each header, how the importer read it,
    how the preview showed it, and the select box's choice (as shown)."""
    hidden = {name: re.findall(rf'name="{name}" value="([^"]*)"', page) for name in ("header", "auto", "shown")}
    hidden = {name: [html.unescape(v) for v in values] for name, values in hidden.items()}
    return hidden | {"field": list(hidden["shown"])}


def _choose(columns: dict[str, list[str]], header: str, field: str) -> dict[str, list[str]]:
    chosen = {name: list(values) for name, values in columns.items()}
    chosen["field"][chosen["header"].index(header)] = field
    return chosen


async def test_the_preview_places_a_column_by_select_box_and_the_partnership_remembers_it(site: Site) -> None:
    coordinator = await site.browser(COORDINATOR)
    page = await coordinator.get("/import")
    files = {"plan": ("dhr-2022-07.csv", UNPLACED, "text/csv")}
    first = await coordinator.post("/import", data={"csrf": csrf_of(page.text)}, files=files)
    assert first.status_code == 200
    assert "column &#39;Owner&#39; is not one dhrflow knows" in first.text
    assert '<option value="extra" selected>' in first.text  # Owner: kept as written until placed
    form = {"csrf": csrf_of(first.text), "stored": _stored(first.text), "name": "dhr-2022-07.csv"}
    columns = _choose(_columns(first.text), "Owner", "lead")
    unseen = await coordinator.post("/import/confirm", data=form | columns)  # changed after the preview
    assert unseen.status_code == 200 and "a column was set otherwise after the preview" in unseen.text
    again = await coordinator.post("/import/preview", data=form | columns)
    assert again.status_code == 200
    assert "is not one dhrflow knows" not in again.text
    assert "column &#39;Owner&#39; remembered as lead" in again.text
    assert "Agency" not in [h for h in re.findall(r"column &#39;([^&]*)&#39; remembered", again.text)]
    done = await coordinator.post("/import/confirm", data=form | _columns(again.text), follow_redirects=True)
    assert "DHR 2022-07: 1 added" in done.text

    later = await coordinator.post(  # the next plan in that layout: placed without asking
        "/import",
        data={"csrf": csrf_of(page.text)},
        files={"plan": ("dhr-2023-01.csv", UNPLACED.replace(b"2022-07", b"2023-01"), "text/csv")},
    )
    assert "is not one dhrflow knows" not in later.text
    assert '<option value="lead" selected>' in later.text


async def test_a_plan_the_importer_cannot_read_is_shown_with_a_way_to_place_its_columns(site: Site) -> None:
    plan = b"DHR 2022-08 Action Plan\nRef,Action,Actions,Lead\n1.1,Brief officers,Twice a year,DI Jones\n"
    coordinator = await site.browser(COORDINATOR)
    page = await coordinator.get("/import")
    refused = await coordinator.post(
        "/import", data={"csrf": csrf_of(page.text)}, files={"plan": ("p.csv", plan, "text/csv")}
    )
    assert refused.status_code == 422
    assert "columns &#39;Action&#39; and &#39;Actions&#39; both read as action" in refused.text
    assert refused.text.count('<select name="field"') == 4  # every header cell, to place
    form = {"csrf": csrf_of(refused.text), "stored": _stored(refused.text), "name": "p.csv"}
    placed = await coordinator.post(
        "/import/preview", data=form | {"place_header": "Actions", "place_field": "monitoring"}
    )
    assert placed.status_code == 200 and "Review DHR 2022-08 (new): 1 to add" in placed.text
    forged = await coordinator.post(
        "/import/preview", data=form | {"header": ["Ref"], "auto": ["ref"], "shown": ["ref"], "field": ["password"]}
    )
    assert forged.status_code == 422 and "is not a field a column can be read as" in forged.text


@pytest.mark.parametrize("layout", ["txt", "csv", "xlsx", "docx"])
async def test_a_plan_in_the_home_office_layout_imports_from_the_web_without_placing_anything(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layout: str
) -> None:
    from tests.unit.documents import test_import_layouts_golden as golden

    monkeypatch.setattr(golden, "TITLE", ["Birmingham Community Safety Partnership", *golden.TITLE[1:]])
    path = golden.WRITERS[layout](tmp_path / "sarah")
    coordinator = await site.browser(COORDINATOR)
    page = await coordinator.get("/import")
    files = {"plan": (path.name, path.read_bytes(), "application/octet-stream")}
    preview = await coordinator.post("/import", data={"csrf": csrf_of(page.text)}, files=files)
    assert preview.status_code == 200
    assert "Review Domestic Homicide Review &#39;Sarah&#39; (new): 4 to add" in preview.text
    assert "reported complete on 31/10/2021" in preview.text
    form = {"csrf": csrf_of(preview.text), "stored": _stored(preview.text), "name": path.name}
    done = await coordinator.post("/import/confirm", data=form | _columns(preview.text), follow_redirects=True)
    assert "Domestic Homicide Review &#39;Sarah&#39;: 4 added" in done.text
    assert await mappings(site.app.reader, "BCSP") == []  # "Lead Agency" read as the agency is no choice to keep
    reviews = await coordinator.get("/reviews")
    assert "1 reported complete in the plan" not in reviews.text and "2 reported complete in the plan" in reviews.text
    assert "Responsible agencies: Police; NHS Trust; Children&#39;s Services" in reviews.text
