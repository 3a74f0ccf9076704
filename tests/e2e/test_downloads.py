"""Documents from the reviews page and the API, behind the access rules."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from documents.importer import read_plan
from tests.e2e.conftest import Site
from tests.integration.helpers import ASSURER, LEAD

REF = "BDHR2011%2F12-03"
LINKED = "BDHR2011/12-03"  # a query value may hold a slash as it is

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


async def test_the_partnership_downloads_every_document_from_the_reviews_page(site: Site, tmp_path: Path) -> None:
    assurer = await site.browser(ASSURER)
    page = (await assurer.get("/reviews")).text
    for link in [
        f"/reviews/export/plan?review={LINKED}&amp;format=docx",
        f"/reviews/export/plan?review={LINKED}&amp;format=pdf&amp;public=true",
        f"/reviews/export/board?review={LINKED}&amp;format=html",
        "/reviews/export/board?review=all&amp;format=pdf",
    ]:
        assert link in page
    assert "/reviews/export/certificate" not in page  # not signed off

    plan = await assurer.get(f"/reviews/export/plan?review={REF}&format=docx")
    assert plan.status_code == 200 and plan.headers["cache-control"] == "no-store"
    assert plan.headers["content-disposition"] == "attachment; filename*=UTF-8''BDHR2011-12-03-plan.docx"
    path = tmp_path / "plan.docx"
    path.write_bytes(plan.content)
    assert len(read_plan(path).actions) == 13
    board = await assurer.get(f"/reviews/export/board?review={REF}&format=html&from=2013-09-01&to=2013-10-01")
    assert board.status_code == 200 and "<svg" in board.text and board.headers["content-type"].startswith("text/html")
    # An HTML document opens in the browser, styled by its own inline style and able to run nothing.
    assert board.headers["content-disposition"].startswith("inline; filename*=UTF-8''")
    policy = board.headers["content-security-policy"]
    assert "style-src 'unsafe-inline'" in policy and "sandbox" in policy and "script-src" not in policy
    pdf = await assurer.get("/reviews/export/board?review=all&format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-disposition"].startswith("attachment;")
    public = await assurer.get(f"/reviews/export/plan?review={REF}&format=csv&public=true")
    assert "evidence_location" not in public.text.splitlines()[0]


async def test_a_lead_officer_gets_their_agencys_plan_and_nothing_that_covers_every_agency(site: Site) -> None:
    lead = await site.browser(LEAD)
    page = (await lead.get("/reviews")).text
    assert "The plan (your agency's actions)" in page and "public=true" not in page and "export/board" not in page
    plan = await lead.get(f"/reviews/export/plan?review={REF}&format=csv")
    assert [row["ref"] for row in csv.DictReader(io.StringIO(plan.text))] == ["3.11.1", "3.11.2"]
    for url in [
        f"/reviews/export/plan?review={REF}&format=pdf&public=true",
        f"/reviews/export/board?review={REF}&format=pdf",
        f"/reviews/export/certificate?review={REF}",
    ]:
        refused = await lead.get(url)
        assert refused.status_code == 403, url


async def test_the_api_exports_a_plan_by_its_reference(site: Site, tmp_path: Path) -> None:
    async with site.client() as client:
        done = await client.get(
            "/api/v1/reviews/BDHR2011/12-03/export", params={"format": "xlsx"}, headers=await site.token(ASSURER)
        )
        assert done.status_code == 200 and done.headers["content-type"].endswith("spreadsheetml.sheet")
        path = tmp_path / "plan.xlsx"
        path.write_bytes(done.content)
        assert len(read_plan(path).actions) == 13
        refused = await client.get(
            "/api/v1/reviews/BDHR2011/12-03/export", params={"public": "true"}, headers=await site.token(LEAD)
        )
        assert refused.status_code == 403 and refused.headers["content-type"] == "application/problem+json"
        unknown = await client.get("/api/v1/reviews/DHR%201999-01/export", headers=await site.token(ASSURER))
        assert unknown.status_code == 422 and "no review 'DHR 1999-01'" in unknown.json()["detail"]


async def test_the_pages_have_an_icon_and_a_browser_asking_for_favicon_ico_finds_it(site: Site) -> None:
    client = site.client()
    sign_in = await client.get("/sign-in")
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in sign_in.text
    icon = await client.get("/favicon.ico")
    assert (icon.status_code, icon.headers["location"]) == (301, "/static/favicon.svg")
    svg = await client.get("/static/favicon.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
