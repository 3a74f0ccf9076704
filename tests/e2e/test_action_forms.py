"""Issue 16: every form of the action page, refused, comes back on the action page (not its POST address) with
what was typed kept, the chosen files named, and the error beside its field; a stale one says what the other
person did. And the page tells the story on top: the state in words, the target date as one phrase."""

from __future__ import annotations

import html
import re

import httpx
import pytest

from domain.states import Event
from tests.e2e.conftest import Site
from tests.e2e.test_security import action_id
from tests.integration.helpers import ASSURER, COMMISSIONER, LEAD
from workflows.commands.transitions import TransitionCommand, take_transition
from workflows.context import ActionKey

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
DIRECTOR = "director.wmp@bcsp.test"


async def act(site: Site, who: str, aid: int, event: Event, **text: str) -> None:
    uploads = [("minutes.pdf", b"%PDF-1.4 minutes")] if event is Event.SUBMIT_EVIDENCE else []
    command = TransitionCommand(who, ActionKey.by_id(aid), event, uploads=uploads, **text)
    await take_transition(command, uow_factory=site.app.uow, clock=site.app.clock, store=site.app.store)


def fields_of(page: str, key: str) -> dict[str, str]:
    """The hidden fields of the form ``form-{key}`` on ``page``."""
    form = re.search(rf'<form[^>]*id="form-{re.escape(key)}".*?</form>', page, re.S)
    assert form, f"no form {key}"
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(0)))


def form_html(page: str, key: str) -> str:
    found = re.search(rf'id="form-{re.escape(key)}".*?(</form>|</section>)', page, re.S)
    assert found, f"no form or kept text {key}"
    return html.unescape(found.group(0))


async def refused_back(client: httpx.AsyncClient, aid: int, answer: httpx.Response) -> str:
    """The page a refused form lands on: the action page, by a redirect (POST-redirect-GET)."""
    assert answer.status_code == 303, answer.text[:300]
    location = answer.headers["location"]
    assert location.startswith(f"/actions/{aid}#form-"), location
    page = await client.get(location)
    assert page.status_code == 200 and page.url.path == f"/actions/{aid}"
    assert "dhrflow_draft" not in (await client.get(f"/actions/{aid}")).text  # read once
    return page.text


async def test_a_refused_file_keeps_the_note_and_names_the_file_to_choose_again(site: Site) -> None:
    aid = await action_id(site)
    lead = await site.browser(LEAD)
    page = (await lead.get(f"/actions/{aid}")).text
    data = fields_of(page, "1-submit_evidence") | {"note": "Briefing minutes attached"}
    answer = await lead.post(
        f"/actions/{aid}/transitions", data=data, files=[("files", ("report.exe", b"MZ\x90\x00", "application/x"))]
    )
    back = await refused_back(lead, aid, answer)
    form = form_html(back, "1-submit_evidence")
    assert ">Briefing minutes attached</textarea>" in form
    assert "You chose report.exe; choose it again" in form
    assert "type .exe is not accepted" in form and 'aria-invalid="true"' in form
    again = await lead.get(f"/actions/{aid}")
    assert "Briefing minutes attached" not in again.text  # the draft is shown once


async def test_a_stale_progress_note_is_kept_and_the_page_says_what_changed(site: Site) -> None:
    aid = await action_id(site)
    lead = await site.browser(LEAD)
    page = (await lead.get(f"/actions/{aid}")).text
    data = fields_of(page, "1-record_progress") | {"note": "Training booked for May"}
    await act(site, LEAD, aid, Event.SUBMIT_EVIDENCE, note="Sent from the API meanwhile")
    back = await refused_back(lead, aid, await lead.post(f"/actions/{aid}/transitions", data=data))
    assert "Someone else changed this action" in back and "Evidence submitted by Lead WMP" in back
    assert "Training booked for May" in html.unescape(form_html(back, "1-record_progress"))


async def test_a_stale_verify_keeps_the_comment_and_names_who_moved_it(site: Site) -> None:
    aid = await action_id(site)
    await act(site, LEAD, aid, Event.SUBMIT_EVIDENCE, note="Minutes")
    commissioner = await site.browser(COMMISSIONER)
    page = (await commissioner.get(f"/actions/{aid}")).text
    assert "Comment (optional, kept with the decision)" in form_html(page, "1-verify")
    data = fields_of(page, "1-verify") | {"note": "Checked against the audit"}
    await act(site, COMMISSIONER, aid, Event.REJECT, reason="Figures missing")
    back = await refused_back(commissioner, aid, await commissioner.post(f"/actions/{aid}/transitions", data=data))
    assert "Someone else changed this action" in back
    changed = back[back.index("Someone else changed this action") :]
    assert re.search(r"Returned to the lead officer by [^<]+ \(commissioner\) on 1 Oct 2013", changed)
    assert "Checked against the audit" in html.unescape(back)


async def test_a_return_without_a_reason_is_refused_beside_the_reason(site: Site) -> None:
    aid = await action_id(site)
    await act(site, LEAD, aid, Event.SUBMIT_EVIDENCE, note="Minutes")
    commissioner = await site.browser(COMMISSIONER)
    page = (await commissioner.get(f"/actions/{aid}")).text
    data = fields_of(page, "1-reject") | {"reason": "   "}
    back = await refused_back(commissioner, aid, await commissioner.post(f"/actions/{aid}/transitions", data=data))
    form = form_html(back, "1-reject")
    assert 'class="error field-error" id="err-1-reject-reason"' in form and "reason" in form.lower()
    assert "reject refused" not in back  # the code's words stay off the screen


async def test_assure_and_withdraw_ask_for_a_ticked_box_and_keep_the_text(site: Site) -> None:
    aid = await action_id(site)
    await act(site, LEAD, aid, Event.SUBMIT_EVIDENCE, note="Minutes")
    await act(site, COMMISSIONER, aid, Event.VERIFY)
    assurer = await site.browser(ASSURER)
    page = (await assurer.get(f"/actions/{aid}")).text
    assert "Checked by the commissioner; waiting for the partnership since" in page
    for key, text in (("1-assure", "note"), ("1-withdraw", "reason")):
        data = fields_of(page, key) | {text: f"typed for {key}"}
        back = await refused_back(assurer, aid, await assurer.post(f"/actions/{aid}/transitions", data=data))
        form = form_html(back, key)
        assert f"typed for {key}" in form and "Tick the box" in form
    data = fields_of(page, "1-assure") | {"note": "Good evidence", "confirm": "yes"}
    done = await assurer.post(f"/actions/{aid}/transitions", data=data, follow_redirects=True)
    assert "3.11.1: Assured by the partnership — now assured by the partnership" in done.text
    assert "Assured by the partnership on" in done.text and "Comment: Good evidence" in done.text


async def test_an_extension_asked_with_a_bad_date_keeps_the_reason(site: Site) -> None:
    aid = await action_id(site)
    lead = await site.browser(LEAD)
    page = (await lead.get(f"/actions/{aid}")).text
    data = fields_of(page, "1-extension") | {"to": "2200-01-01", "reason": "Awaiting the IMS release"}
    back = await refused_back(lead, aid, await lead.post(f"/actions/{aid}/extension", data=data))
    form = form_html(back, "1-extension")
    assert ">Awaiting the IMS release</textarea>" in form and "between 1990-01-01 and 2100-12-31" in form
    assert 'id="err-1-extension-to"' in form


async def test_an_extension_decided_meanwhile_keeps_the_directors_text(site: Site) -> None:
    aid = await action_id(site)
    lead = await site.browser(LEAD)
    page = (await lead.get(f"/actions/{aid}")).text
    asked = fields_of(page, "1-extension") | {"to": "2013-12-31", "reason": "IMS release"}
    await lead.post(f"/actions/{aid}/extension", data=asked)
    director = await site.browser(DIRECTOR)
    page = (await director.get(f"/actions/{aid}")).text
    data = fields_of(page, "1-extension-decision")
    refusal = await director.post(f"/actions/{aid}/extension/decision", data=data | {"approve": "0", "reason": ""})
    back = await refused_back(director, aid, refusal)
    assert "a reason is required to refuse" in form_html(back, "1-extension-decision")
    await director.post(f"/actions/{aid}/extension/decision", data=data | {"approve": "1"})
    late = await director.post(
        f"/actions/{aid}/extension/decision", data=data | {"approve": "0", "reason": "Not without the board"}
    )
    back = await refused_back(director, aid, late)
    assert "Your text, kept" in back and "Not without the board" in html.unescape(back)
    assert "Target date: 31 Dec 2013, extended from 30 Jun 2013" in back


async def test_a_returned_action_says_so_on_top_with_its_reason(site: Site) -> None:
    aid = await action_id(site)
    await act(site, LEAD, aid, Event.SUBMIT_EVIDENCE, note="Minutes")
    await act(site, COMMISSIONER, aid, Event.REJECT, reason="No audit figures attached")
    lead = await site.browser(LEAD)
    page = (await lead.get(f"/actions/{aid}")).text
    banner = page.index('class="banner banner-returned"')
    assert banner < page.index("<dl") and "Returned by the commissioner on 1 Oct 2013" in page
    assert "No audit figures attached" in page[banner : banner + 400]
    assert "version 0" not in page and "Route" not in page and "Checks it needs" in page


async def test_a_resubmitted_file_is_shown_once_with_what_changed(site: Site) -> None:
    aid = await action_id(site)
    await act(site, LEAD, aid, Event.SUBMIT_EVIDENCE, note="Minutes")
    await act(site, COMMISSIONER, aid, Event.REJECT, reason="Figures missing")
    extra = [("minutes.pdf", b"%PDF-1.4 minutes"), ("figures.png", b"\x89PNG\r\n\x1a\n figures")]
    command = TransitionCommand(LEAD, ActionKey.by_id(aid), Event.SUBMIT_EVIDENCE, uploads=extra)
    await take_transition(command, uow_factory=site.app.uow, clock=site.app.clock, store=site.app.store)
    lead = await site.browser(LEAD)
    page = (await lead.get(f"/actions/{aid}")).text
    assert page.count(">minutes.pdf</a>") == 1
    assert 'change-unchanged">unchanged' in page and 'change-new">new' in page
    image = re.search(r'<img class="evidence-view" src="([^"]+)"', page)
    assert image and "View minutes.pdf in the page" in page
    shown = await lead.get(image.group(1))
    assert shown.headers["content-type"] == "image/png" and shown.headers["content-disposition"].startswith("inline")
    assert "frame-ancestors 'self'" in shown.headers["content-security-policy"]
    download = await lead.get(image.group(1).split("?")[0])
    assert download.headers["content-disposition"].startswith("attachment")


async def test_an_error_page_offers_the_way_forward(site: Site) -> None:
    lead = await site.browser(LEAD)
    missing = await lead.get("/actions/999999")
    assert missing.status_code == 404 and 'href="/">Back to my tasks' in missing.text
    stranger = await site.client().get("/actions/1/evidence/1")
    assert stranger.status_code in (303, 401)
    aid = await action_id(site)
    forged = await lead.post(f"/actions/{aid}/extension", data={"csrf": "forged", "to": "2013-12-31"})
    assert forged.status_code == 403 and f'href="/actions/{aid}">Back to the action' in forged.text
