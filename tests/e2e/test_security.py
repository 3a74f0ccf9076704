"""The web app's defences, over HTTP on real databases."""

from __future__ import annotations

import asyncio
import base64
import io
import re
import secrets
import zipfile
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, update

from storage.tables import ActionRow, EvidenceAccessRow
from tests.e2e.conftest import PASSWORD, Site, csrf_of, kept, sign_in
from tests.integration.helpers import COORDINATOR, LEAD, LEAD_BSMHFT
from tests.integration.storage.test_private_files import not_private
from workflows.commands.accounts import FREE_ATTEMPTS, LOCK_AFTER, set_password
from workflows.runtime.clock import FixedClock

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


async def action_id(site: Site, ref: str = "3.11.1") -> int:
    async with site.app.reader() as uow:
        found = await uow.connection.execute(select(ActionRow.id).where(ActionRow.ref == ref))  # type: ignore[arg-type]
        return int(found.scalar_one())


async def submit(client: httpx.AsyncClient, aid: int, files: list[tuple[str, bytes]], **fields: str) -> httpx.Response:
    page = await client.get(f"/actions/{aid}")
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version, page.text[:500]
    data = {"csrf": csrf_of(page.text), "event": "submit_evidence", "version": version.group(1)} | fields
    upload = [("files", (name, content, "application/octet-stream")) for name, content in files]
    return await client.post(f"/actions/{aid}/transitions", data=data, files=upload or None)


async def shown(client: httpx.AsyncClient, aid: int, refused: httpx.Response) -> httpx.Response:
    """A refused form's answer: a redirect to the action page, which then says why (issue 16)."""
    assert refused.status_code == 303 and refused.headers["location"].startswith(f"/actions/{aid}#"), refused.text[:300]
    return await client.get(refused.headers["location"])


async def test_a_form_without_its_csrf_token_is_refused(site: Site) -> None:
    lead = await site.browser(LEAD)
    aid = await action_id(site)
    page = await lead.get(f"/actions/{aid}")
    for token in ("", "forged"):
        data = {"csrf": token, "event": "record_progress", "note": "x", "version": "0"}
        refused = await lead.post(f"/actions/{aid}/transitions", data=data)
        assert refused.status_code == 403 and "security token" in refused.text
    assert 'name="version" value="0"' in (await lead.get(f"/actions/{aid}")).text  # nothing happened
    fresh = site.client()
    no_cookie = await fresh.post("/sign-in", data={"email": LEAD, "password": PASSWORD, "csrf": csrf_of(page.text)})
    assert no_cookie.status_code == 403


async def test_the_session_id_changes_at_sign_in_and_dies_at_sign_out(site: Site) -> None:
    client = await site.browser(LEAD)
    first = client.cookies["dhrflow_session"]
    await sign_in(client, LEAD, PASSWORD)
    second = client.cookies["dhrflow_session"]
    assert first != second
    stale = site.client()
    stale.cookies.set("dhrflow_session", first)
    assert (await stale.get("/")).status_code == 303  # the old session ended with the new sign-in
    home = await client.get("/")
    assert home.status_code == 200
    out = await client.post("/sign-out", data={"csrf": csrf_of(home.text)})
    assert out.status_code == 303
    replay = site.client()
    replay.cookies.set("dhrflow_session", second)
    assert (await replay.get("/")).status_code == 303


async def test_the_cookie_is_httponly_and_samesite_lax(site: Site) -> None:
    await set_password(LEAD, PASSWORD, uow_factory=site.app.uow, clock=site.app.clock)
    client = site.client()
    done = await sign_in(client, LEAD, PASSWORD)
    cookie = next(c for c in done.headers.get_list("set-cookie") if c.startswith("dhrflow_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie  # plain HTTP in tests
    assert (
        done.headers["x-frame-options"] == "DENY"
        and "frame-ancestors 'none'" in done.headers["content-security-policy"]
    )


async def test_upload_names_with_dot_dot_are_harmless(site: Site, tmp_path: Path) -> None:
    lead = await site.browser(LEAD)
    aid = await action_id(site)
    done = await submit(lead, aid, [("../../../../escaped.txt", b"minutes of the meeting")])
    assert done.status_code == 303, done.text
    page = await lead.get(f"/actions/{aid}")
    assert ">escaped.txt</a>" in page.text and "../" not in page.text.split("Evidence</h2>")[1].split("Timeline")[0]
    stored = [p for p in site.app.store.root.rglob("*") if p.is_file()]
    assert len(stored) == 1 and stored[0].is_relative_to(site.app.store.root)
    assert not (site.app.store.root.parent.parent / "escaped.txt").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "type .exe is not accepted"),
        ("report.pdf", b"<html>not a pdf</html>", "is not a PDF"),
        ("photo.png", b"\xff\xd8\xffjpeg", "is not a PNG image"),
        ("notes.txt", b"text\x00with a NUL", "holds binary data"),
    ],
)
async def test_uploads_are_checked_by_content_as_well_as_name(
    site: Site, name: str, content: bytes, message: str
) -> None:
    lead = await site.browser(LEAD)
    aid = await action_id(site)
    refused = await shown(lead, aid, await submit(lead, aid, [(name, content)]))
    assert message in refused.text and f"You chose {name}" in refused.text
    assert not [p for p in site.app.store.root.rglob("*") if p.is_file()]


async def test_an_evidence_upload_named_to_show_another_extension_is_refused_and_nothing_is_kept(site: Site) -> None:
    """Issue 14: ``invoice\\u202efdp.txt`` shows as "invoicetxt.pdf"; the answer names the character."""
    lead = await site.browser(LEAD)
    aid = await action_id(site)
    refused = await shown(lead, aid, await submit(lead, aid, [("invoice\u202efdp.txt", b"minutes of the meeting")]))
    assert (
        "evidence file &#39;invoice\\u202efdp.txt&#39;: control or bidi character U+202E is not allowed" in refused.text
    )
    assert "\u202e" not in refused.text
    assert not [p for p in site.app.store.root.rglob("*") if p.is_file()]


async def test_a_plan_upload_named_to_show_another_extension_is_refused(site: Site) -> None:
    headers = await site.token(COORDINATOR)
    files = {"plan": ("plan\u202excod.txt", b"Ref\tAction\n1.1\tBrief officers\n", "text/plain")}
    async with site.client() as http:
        refused = await http.post("/api/v1/imports?dry_run=true", files=files, headers=headers)
    assert refused.status_code == 422
    assert (
        refused.json()["detail"] == "plan file 'plan\\u202excod.txt': control or bidi character U+202E is not allowed"
    )


async def test_the_people_page_refuses_a_name_that_would_split_the_lines_of_an_email(site: Site) -> None:
    coordinator = await site.browser(COORDINATOR)
    page = await coordinator.get("/people")
    form = {"csrf": csrf_of(page.text), "name": "Jane\r\nBcc: everyone", "email": "jane@bcsp.test", "role": "viewer"}
    refused = await coordinator.post("/people", data=form)
    assert "control or bidi character U+000D is not allowed" in await kept(coordinator, refused)
    assert "jane@bcsp.test" not in (await coordinator.get("/people")).text


async def test_a_zip_bomb_dressed_as_a_workbook_is_refused(site: Site) -> None:
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", b"0" * 50_000_000)
    lead = await site.browser(LEAD)
    aid = await action_id(site)
    refused = await shown(lead, aid, await submit(lead, aid, [("figures.xlsx", packed.getvalue())]))
    assert "zip bomb" in refused.text


async def test_action_text_holding_a_script_is_shown_escaped(site: Site) -> None:
    aid = await action_id(site)
    async with site.app.uow() as uow:
        stmt = update(ActionRow).where(ActionRow.id == aid).values(action="<script>alert('x')</script> Brief staff")  # type: ignore[arg-type]
        await uow.connection.execute(stmt)
        await uow.commit()
    page = await (await site.browser(LEAD)).get(f"/actions/{aid}")
    assert "<script>alert" not in page.text and "&lt;script&gt;alert(" in page.text


async def test_another_agencys_lead_cannot_fetch_evidence_by_guessing_its_url(site: Site) -> None:
    lead = await site.browser(LEAD)
    aid = await action_id(site)
    assert (await submit(lead, aid, [("minutes.pdf", b"%PDF-1.4 minutes")], note="Minutes")).status_code == 303
    url = f"/actions/{aid}/evidence/1"
    mine = await lead.get(url)
    assert mine.status_code == 200 and mine.content == b"%PDF-1.4 minutes"
    assert mine.headers["content-type"] == "application/pdf" and "attachment" in mine.headers["content-disposition"]
    other = await site.browser(LEAD_BSMHFT)
    assert (await other.get(url)).status_code == 403
    assert (await other.get(f"/actions/{aid}")).status_code == 403
    api = await site.client().get(f"/api/v1{url}", headers=await site.token(LEAD_BSMHFT))
    assert api.status_code == 403
    async with site.app.reader() as uow:
        logged = await uow.connection.execute(select(func.count(EvidenceAccessRow.id)))  # type: ignore[arg-type]
        assert logged.scalar_one() == 1  # the one download that happened


async def test_wrong_passwords_slow_down_then_lock(site: Site) -> None:
    await set_password(LEAD, PASSWORD, uow_factory=site.app.uow, clock=site.app.clock)
    client = site.client()
    for _ in range(4):
        wrong = await sign_in(client, LEAD, "not the password")
        assert wrong.status_code == 401 and "email or the password is wrong" in wrong.text
    locked = await sign_in(client, LEAD, PASSWORD)
    assert locked.status_code == 429 and "try again in 2 s" in locked.text
    assert isinstance(site.app.clock, FixedClock)
    site.app.clock.at += timedelta(seconds=3)
    assert (await sign_in(client, LEAD, PASSWORD)).status_code == 303
    # An address with no account answers exactly the same: refused four times, then made to wait.
    nobody = f"nobody.{secrets.token_hex(4)}@bcsp.test"
    for _ in range(4):
        unknown = await sign_in(site.client(), nobody, PASSWORD)
        assert unknown.status_code == 401 and "email or the password is wrong" in unknown.text
    waits = await sign_in(site.client(), nobody, PASSWORD)
    assert waits.status_code == 429 and "try again in 2 s" in waits.text


async def test_a_burst_of_wrong_passwords_sent_at_once_checks_no_more_than_the_throttle_allows(site: Site) -> None:
    await set_password(LEAD, PASSWORD, uow_factory=site.app.uow, clock=site.app.clock)
    client = site.client()
    guesses = [sign_in(client, LEAD, f"guess {n}") for n in range(40)] + [sign_in(client, LEAD, PASSWORD)]
    answers = [a.status_code for a in await asyncio.gather(*guesses)]
    checked = [code for code in answers if code in (401, 303)]
    assert len(checked) <= FREE_ATTEMPTS + 1  # the rest waited (429) without their password being checked
    assert answers.count(429) >= 41 - FREE_ATTEMPTS - 1


async def test_a_stranger_s_failures_slow_the_stranger_not_the_owner(site: Site) -> None:
    await set_password(LEAD, PASSWORD, uow_factory=site.app.uow, clock=site.app.clock)
    stranger = site.client("203.0.113.9")
    answers = await asyncio.gather(*(sign_in(stranger, LEAD, "not the password") for _ in range(12)))
    assert {a.status_code for a in answers} <= {401, 429}
    assert (await sign_in(stranger, LEAD, PASSWORD)).status_code == 429  # the stranger waits
    assert (await sign_in(site.client("127.0.0.1"), LEAD, PASSWORD)).status_code == 303  # the owner does not


async def test_the_count_starts_again_once_a_lock_has_run_out(site: Site) -> None:
    await set_password(LEAD, PASSWORD, uow_factory=site.app.uow, clock=site.app.clock)
    assert isinstance(site.app.clock, FixedClock)
    client = site.client()
    for _ in range(LOCK_AFTER):
        assert (await sign_in(client, LEAD, "not the password")).status_code == 401
        site.app.clock.at += timedelta(minutes=2)  # past each doubling wait
    assert (await sign_in(client, LEAD, PASSWORD)).status_code == 429  # locked for 15 minutes
    site.app.clock.at += timedelta(minutes=16)
    assert (await sign_in(client, LEAD, "one slip")).status_code == 401  # counted from 1 again, not locked anew
    assert (await sign_in(client, LEAD, PASSWORD)).status_code == 303


async def test_an_oversized_body_is_refused_before_it_is_read_whoever_sends_it(site: Site) -> None:
    async with site.client() as http:
        big = {"deputy": "x" * (2 * 1024 * 1024), "starts_on": "2013-10-01", "ends_on": "2013-10-01", "reason": "r"}
        anonymous = await http.post("/api/v1/deputies", json=big)
        assert anonymous.status_code == 413 and anonymous.headers["content-type"] == "application/problem+json"
        assert "larger than 1 MB" in anonymous.json()["detail"]

        async def chunks() -> AsyncIterator[bytes]:  # streamed, no Content-Length: counted as it comes
            for _ in range(20):
                yield b"a" * 65536

        streamed = await http.post("/api/v1/deputies", content=chunks(), headers={"Content-Type": "application/json"})
        assert streamed.status_code == 413
    lead = await site.browser(LEAD)
    page = await lead.get(f"/actions/{await action_id(site)}")
    many = [("files", (f"f{i}.txt", b"minutes", "text/plain")) for i in range(21)]
    form = {"csrf": csrf_of(page.text), "event": "submit_evidence", "note": "n"}
    refused = await lead.post(
        f"/actions/{await action_id(site)}/transitions", data=form, files=many, follow_redirects=True
    )
    assert refused.url.path == f"/actions/{await action_id(site)}" and "at most 20 files" in refused.text


async def test_a_done_line_shows_only_if_the_app_wrote_it(site: Site) -> None:
    lead = await site.browser(LEAD)
    forged = await lead.get("/?done=Your+account+is+locked:+call+0800+000+000")
    assert "0800" not in forged.text
    page = await lead.get("/tokens")
    done = await lead.post("/tokens/999/revoke", data={"csrf": csrf_of(page.text)})  # no such token: refused
    assert done.status_code == 422
    made = await lead.post("/tokens", data={"csrf": csrf_of(page.text), "name": "script"})
    token_id = re.search(r'action="/tokens/(\d+)/revoke"', made.text)
    assert token_id is not None
    revoked = await lead.post(f"/tokens/{token_id.group(1)}/revoke", data={"csrf": csrf_of(page.text)})
    assert "&sig=" in revoked.headers["location"]
    assert "token revoked" in (await lead.get(revoked.headers["location"])).text


class Streamed:
    """A request body sent part by part, counting the bytes the app has taken: a refusal that comes before
    the body is read takes at most the first part."""

    def __init__(self, head: bytes, chunk: bytes, chunks: int, tail: bytes) -> None:
        self.parts = [head, *[chunk] * chunks, tail]
        self.head = len(head)
        self.size = sum(len(p) for p in self.parts)
        self.taken = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for part in self.parts:
            self.taken += len(part)
            yield part

    @property
    def headers(self) -> dict[str, str]:
        return {"Content-Length": str(self.size)}


BOUNDARY = "dhrflow-test-boundary"


def streamed_form(fields: dict[str, str], file_field: str, filename: str, chunk: bytes, chunks: int) -> Streamed:
    """A multipart form whose one file is ``chunks`` times ``chunk``."""
    head = "".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    )
    head += f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n\r\n'
    return Streamed(head.encode(), chunk, chunks, f"\r\n--{BOUNDARY}--\r\n".encode())


FORM = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
MB_OF_PDF = b"%PDF-1.4 " + b"x" * (1024 * 1024 - 9)


async def test_a_viewers_upload_to_a_transition_is_refused_before_its_body_is_read(site: Site) -> None:
    """61 MB (within the 64 MB a transition may carry) from one who may never move an action: refused from the
    session and the path, with the body's first chunk at most taken, not spooled and parsed."""
    viewer = await site.browser(await site.person("Board Member", "board@bcsp.test", "viewer", None))
    aid = await action_id(site)
    page = await viewer.get(f"/actions/{aid}")
    assert page.status_code == 200 and "Submit evidence</button>" not in page.text
    fields = {"csrf": csrf_of(page.text), "event": "submit_evidence", "note": "n"}
    body = streamed_form(fields, "files", "big.pdf", MB_OF_PDF, 61)
    refused = await viewer.post(f"/actions/{aid}/transitions", content=body, headers=FORM | body.headers)
    assert refused.status_code == 403 and "a viewer takes no step on an action" in refused.text
    assert body.taken <= body.head, f"{body.taken} of {body.size} bytes were read"

    lead = await site.browser(LEAD)  # the same form from one who may: read and taken
    page = await lead.get(f"/actions/{aid}")
    form = {"csrf": csrf_of(page.text), "event": "submit_evidence", "note": "n", "version": "99999999999"}
    stale = await lead.post(f"/actions/{aid}/transitions", data=form, files=[("files", ("m.pdf", b"%PDF-1.4 m"))])
    assert stale.status_code == 303 and "no such version" in (await lead.get(stale.headers["location"])).text
    done = await submit(lead, aid, [("m.pdf", b"%PDF-1.4 m")], note="Minutes")
    assert done.status_code == 303, done.text


async def test_an_api_transition_from_a_viewer_or_an_unknown_token_is_refused_before_its_body_is_read(
    site: Site,
) -> None:
    """61 MB of base64 evidence (a valid body) to ``POST /api/v1/actions/{id}/transitions``: the viewer's 403 and
    the unknown token's 401, as problem+json, come from the headers and the path, the JSON neither read nor
    decoded."""
    viewer = await site.token(await site.person("Board Member", "board@bcsp.test", "viewer", None))
    aid = await action_id(site)
    url = f"/api/v1/actions/{aid}/transitions"
    pdf = b'{"name": "e.pdf", "content_base64": "' + base64.b64encode(b"%PDF-1.4 " + b"x" * 2_300_000) + b'"}'
    head = b'{"event": "submit_evidence", "expected_version": 0, "evidence": ['
    json = {"Content-Type": "application/json"}
    async with site.client() as http:
        for caller, status, detail in (
            (viewer, 403, "a viewer takes no step on an action"),
            ({"Authorization": "Bearer dhr_nobodys"}, 401, "send an API token"),
            ({}, 401, "send an API token"),
        ):
            body = Streamed(head, pdf + b", ", 19, pdf + b"]}")  # 20 files, 61 MB
            refused = await http.post(url, content=body, headers=caller | json | body.headers)
            assert refused.status_code == status, refused.text
            assert body.taken <= body.head, f"{body.taken} of {body.size} bytes were read"
            assert detail in refused.json()["detail"]
            assert refused.headers["content-type"] == "application/problem+json"
        assert "WWW-Authenticate" in refused.headers

        lead = await site.token(LEAD)  # one who may: the body is read, the evidence kept
        version = (await http.get(f"/api/v1/actions/{aid}", headers=lead)).json()["version"]
        evidence = [{"name": "m.pdf", "content_base64": base64.b64encode(b"%PDF-1.4 m").decode()}]
        sent = {"event": "submit_evidence", "expected_version": version, "note": "Minutes", "evidence": evidence}
        done = await http.post(url, json=sent, headers=lead)
    assert done.status_code == 200, done.text
    assert done.json()["event"] == "submit_evidence" and [e["name"] for e in done.json()["evidence"]] == ["m.pdf"]


async def test_a_plan_upload_from_anyone_but_the_coordinator_is_refused_before_it_is_read(
    site: Site, seed_plan: Path
) -> None:
    """10 MB (within the 11 MB a plan may be) to the import page from a lead officer: the 403 comes from the
    session; from nobody signed in, the way to the sign-in form. Neither reads the plan."""
    lead = await site.browser(LEAD)
    for client, status in ((lead, 403), (site.client(), 303)):
        fields = {"csrf": csrf_of((await lead.get("/")).text), "review": ""}
        body = streamed_form(fields, "plan", "big.txt", b"x" * 1024 * 1024, 10)
        refused = await client.post("/import", content=body, headers=FORM | body.headers)
        assert refused.status_code == status, refused.text
        assert body.taken <= body.head, f"{body.taken} of {body.size} bytes were read"
    assert "this page is the partnership&#39;s coordinator&#39;s" in (await lead.get("/import")).text

    coordinator = await site.browser(COORDINATOR)
    page = await coordinator.get("/import")
    plan = {"plan": ("plan.txt", seed_plan.read_bytes(), "text/plain")}
    preview = await coordinator.post("/import", data={"csrf": csrf_of(page.text)}, files=plan)
    assert preview.status_code == 200 and "13 unchanged" in preview.text, preview.text
    missing = await coordinator.post("/import", data={"csrf": csrf_of(page.text)})
    assert missing.status_code == 422 and "choose the plan file" in missing.text
    forged = await coordinator.post("/import", data={"csrf": "forged"}, files=plan)
    assert forged.status_code == 403 and "security token" in forged.text


async def test_an_api_import_from_anyone_but_the_coordinator_is_refused_before_it_is_read(
    site: Site, seed_plan: Path
) -> None:
    """10 MB to ``POST /api/v1/imports`` from a lead officer (403) or an unknown token (401): problem+json,
    the plan unread."""
    async with site.client() as http:
        for caller, status, detail in (
            (await site.token(LEAD), 403, "importing a plan is the partnership's coordinator's"),
            ({"Authorization": "Bearer dhr_nobodys"}, 401, "send an API token"),
        ):
            body = streamed_form({}, "plan", "big.txt", b"x" * 1024 * 1024, 10)
            refused = await http.post("/api/v1/imports", content=body, headers=caller | FORM | body.headers)
            assert refused.status_code == status, refused.text
            assert body.taken <= body.head, f"{body.taken} of {body.size} bytes were read"
            assert refused.json()["detail"].startswith(detail)
            assert refused.headers["content-type"] == "application/problem+json"

        plan = {"plan": ("plan.txt", seed_plan.read_bytes(), "text/plain")}
        done = await http.post("/api/v1/imports?dry_run=true", files=plan, headers=await site.token(COORDINATOR))
    assert done.status_code == 200, done.text
    assert done.json()["dry_run"] is True and done.json()["unchanged"] == 13


async def test_no_link_or_redirect_is_built_from_the_host_header(site: Site) -> None:
    """``Host: evil.example`` puts evil.example nowhere: not in a page (the stylesheet was an absolute URL from
    the Host), not in a redirect (Starlette sent "/actions/" to http://evil.example/actions)."""
    evil = {"Host": "evil.example"}
    lead = await site.browser(LEAD)
    for path in (
        "/",
        "/actions",
        f"/actions/{await action_id(site)}",
        "/calendar",
        "/actions/",
        "/static",
        "/sign-in/",
    ):
        answer = await lead.get(path, headers=evil)
        assert "evil.example" not in answer.text + answer.headers.get("location", ""), (path, answer.status_code)
    assert (await site.client().get("/sign-in", headers=evil)).status_code == 200


@pytest.mark.usefixtures("open_umask")
async def test_an_uploaded_plan_and_evidence_sent_from_the_web_are_private(site: Site, seed_plan: Path) -> None:
    coordinator = await site.browser(COORDINATOR)
    page = await coordinator.get("/import")
    plan = {"plan": ("plan.txt", seed_plan.read_bytes(), "text/plain")}
    assert (await coordinator.post("/import", data={"csrf": csrf_of(page.text)}, files=plan)).status_code == 200
    lead = await site.browser(LEAD)
    assert (await submit(lead, await action_id(site), [("m.pdf", b"%PDF-1.4 m")], note="Minutes")).status_code == 303
    data = site.app.settings.data_dir
    assert {p.name for p in data.iterdir()} == {"uploads", "evidence"}
    assert not_private(data) == {}
