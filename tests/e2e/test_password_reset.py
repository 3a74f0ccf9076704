"""A password reset by an emailed one-time link, against a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.e2e.conftest import PASSWORD, Site, csrf_of, sign_in
from tests.integration.helpers import LEAD
from tests.integration.smtp_server import Inbox, free_port, smtp_server
from workflows.commands.calendar_feed import create_calendar_feed

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    mail, port = Inbox(), free_port()
    for name, value in {
        "DHRFLOW_SMTP_HOST": "127.0.0.1",
        "DHRFLOW_SMTP_PORT": str(port),
        "DHRFLOW_SMTP_SECURITY": "plain",
        "DHRFLOW_MAIL_FROM": "dhrflow@bcsp.test",
        "DHRFLOW_BASE_URL": "https://dhrflow.bcsp.test",
    }.items():
        monkeypatch.setenv(name, value)
    with smtp_server(mail, port):
        yield mail


async def test_a_person_sets_a_new_password_from_the_emailed_link_once(site: Site, inbox: Inbox) -> None:
    old = await site.browser(LEAD)  # signed in with the old password
    token = {"Authorization": f"Bearer {(await site.token(LEAD))['Authorization'].split()[1]}"}
    feed = await create_calendar_feed(LEAD, uow_factory=site.app.uow, clock=site.app.clock)
    assert (await site.client().get(f"/calendar/{feed}.ics")).status_code == 200
    client = site.client()
    form = await client.get("/password-reset")
    sent = await client.post("/password-reset", data={"email": LEAD, "csrf": csrf_of(form.text)})
    assert sent.status_code == 200 and "a link to set a new password is on its way" in sent.text
    [mail] = inbox.to(LEAD)
    text = mail.get_payload()[0].get_payload(decode=True).decode()
    link = re.search(r"https://dhrflow\.bcsp\.test(/password-reset/[\w-]+)", text)
    assert link, text
    assert (await client.post("/password-reset", data={"email": LEAD, "csrf": csrf_of(form.text)})).status_code == 200
    assert len(inbox.to(LEAD)) == 1  # a second request moments later sends nothing more

    page = await client.get(link.group(1))
    data = {"password": "a brand new passphrase", "again": "a brand new passphrase", "csrf": csrf_of(page.text)}
    done = await client.post(link.group(1), data=data)
    assert done.status_code == 303 and done.headers["location"] == "/sign-in?done=password-set"
    assert "your API tokens were revoked" in (await client.get(done.headers["location"])).text
    assert (await client.post(link.group(1), data=data)).status_code == 422  # once only
    assert (await old.get("/")).status_code == 303  # the sessions before the reset have ended
    assert (await client.get("/api/v1/me", headers=token)).status_code == 401  # and the API tokens
    assert (await client.get(f"/calendar/{feed}.ics")).status_code == 404  # and the calendar feed
    forged = await client.get("/sign-in?done=Call+0800+000+000+to+confirm+your+password")
    assert "0800" not in forged.text  # the page says only what the app means it to
    assert (await sign_in(site.client(), LEAD, PASSWORD)).status_code == 401
    assert (await sign_in(site.client(), LEAD, "a brand new passphrase")).status_code == 303


async def test_an_unknown_address_gets_the_same_answer_and_no_mail(site: Site, inbox: Inbox) -> None:
    client = site.client()
    form = await client.get("/password-reset")
    answer = await client.post("/password-reset", data={"email": "nobody@bcsp.test", "csrf": csrf_of(form.text)})
    assert answer.status_code == 200 and "a link to set a new password is on its way" in answer.text
    assert inbox.received == []


async def test_the_emailed_link_is_on_the_configured_address_whatever_the_host_header(site: Site, inbox: Inbox) -> None:
    client = site.client()
    evil = {"Host": "evil.example"}
    form = await client.get("/password-reset", headers=evil)
    await client.post("/password-reset", data={"email": LEAD, "csrf": csrf_of(form.text)}, headers=evil)
    [mail] = inbox.to(LEAD)
    text = mail.get_payload()[0].get_payload(decode=True).decode()
    assert "https://dhrflow.bcsp.test/password-reset/" in text and "evil.example" not in text
