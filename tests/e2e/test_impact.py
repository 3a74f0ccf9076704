"""The impact check on the action page and through the API: the form beside the plan's success measure, a refusal
back beside its field with the text kept, an answer with a file shown with its evidence, and My tasks."""

from __future__ import annotations

import base64
import html
import re

import pytest

from domain.states import Event
from tests.e2e.conftest import Site, csrf_of
from tests.e2e.test_security import action_id
from tests.integration.helpers import ASSURER, COMMISSIONER, LEAD
from workflows.commands.transitions import TransitionCommand, take_transition
from workflows.context import ActionKey

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


async def _assured(site: Site, ref: str = "3.11.1") -> int:
    aid = await action_id(site, ref)
    for who, event in [(LEAD, Event.SUBMIT_EVIDENCE), (COMMISSIONER, Event.VERIFY), (ASSURER, Event.ASSURE)]:
        note = "briefing sent" if event is Event.SUBMIT_EVIDENCE else ""
        command = TransitionCommand(who, ActionKey.by_id(aid), event, note=note)
        await take_transition(command, uow_factory=site.app.uow, clock=site.app.clock, store=site.app.store)
    return aid


async def test_the_assurer_records_impact_on_the_action_page_beside_the_success_measure(site: Site) -> None:
    aid = await _assured(site)
    lead = await site.browser(LEAD)
    assert 'id="form-impact"' not in (await lead.get(f"/actions/{aid}")).text  # shown, not offered
    assurer = await site.browser(ASSURER)
    page = (await assurer.get(f"/actions/{aid}")).text
    assert "Impact check" in page and "Quarterly review of data to ensure medical records match" in page
    assert 'id="form-impact"' in page
    refused = await assurer.post(
        f"/actions/{aid}/impact", data={"csrf": csrf_of(page), "outcome": "impact_not_shown", "note": "looked at Q1"}
    )
    assert refused.status_code == 303 and refused.headers["location"] == f"/actions/{aid}#form-impact"
    back = html.unescape((await assurer.get(refused.headers["location"])).text)
    assert "impact not shown needs a reason" in back and ">looked at Q1</textarea>" in back
    answer = await assurer.post(
        f"/actions/{aid}/impact",
        data={"csrf": csrf_of(page), "outcome": "impact_confirmed", "note": "records now match"},
        files=[("files", ("re-audit.txt", b"Q1 re-audit: all match", "text/plain"))],
    )
    assert answer.status_code == 303, answer.text[:300]
    shown = html.unescape((await assurer.get(f"/actions/{aid}")).text)
    assert "Impact confirmed on" in shown and "re-audit.txt" in shown and 'id="form-impact"' not in shown


async def test_the_api_records_impact_and_lists_the_checks_due(site: Site) -> None:
    aid = await _assured(site)
    headers = await site.token(ASSURER)
    async with site.client() as client:
        due = await client.get("/api/v1/impact-checks?all=true", headers=headers)
        assert [d["action_ref"] for d in due.json()] == ["3.11.1"]
        bad = await client.post(f"/api/v1/actions/{aid}/impact", headers=headers, json={"outcome": "impact_not_shown"})
        assert bad.status_code == 422 and "needs a reason" in bad.json()["detail"]
        evidence = [{"name": "audit.txt", "content_base64": base64.b64encode(b"audit").decode()}]
        body = {"outcome": "impact_confirmed", "evidence": evidence}
        done = await client.post(f"/api/v1/actions/{aid}/impact", headers=headers, json=body)
        assert done.status_code == 200 and done.json()["outcome"] == "impact_confirmed"
        again = await client.post(f"/api/v1/actions/{aid}/impact", headers=headers, json=body)
        assert again.status_code == 409 and "answered already" in again.json()["detail"]
        detail = await client.get(f"/api/v1/actions/{aid}", headers=headers)
        assert detail.json()["impact_check"]["outcome"] == "impact_confirmed"


async def test_my_tasks_lists_the_impact_checks_due(site: Site) -> None:
    await _assured(site)
    site.app.clock.at = site.app.clock.at.replace(year=2014, month=4, day=2)  # type: ignore[attr-defined]
    assurer = await site.browser(ASSURER)
    page = html.unescape((await assurer.get("/")).text)
    assert re.search(r"Impact checks due</a>: 1", page) and "did practice change?" in page
