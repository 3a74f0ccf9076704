"""Notifications delivered to a real SMTP server (aiosmtpd on 127.0.0.1), on SQLite and PostgreSQL.

The dispatcher resolves each role row to the people holding the role when it
sends, marks a row sent only after the server's 250, retries temporary failures
later and keeps permanent ones as dead letters with the server's reply.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import ssl
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from bench.tls import self_signed_certificate
from domain.events import DomainEvent, Recipient
from domain.roles import Role
from domain.states import Event
from notifications.message_id import message_id
from notifications.sender import SmtpSender
from notifications.settings import NotifySettings
from storage.repositories import outbox_rows
from storage.tables import AgencyRow, OutboxRow, PersonRow, ReviewRow
from tests.cli import CliForker
from tests.integration.helpers import ASSURER, COMMISSIONER, LEAD, report_sent, seed
from tests.integration.smtp_server import Inbox, free_port, smtp_server
from workflows.commands.dispatch import DispatchReport, dispatch
from workflows.commands.people import NewPerson, add_person
from workflows.commands.sweep import sweep
from workflows.commands.transitions import TransitionCommand, take_transition
from workflows.context import ActionKey
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import App
from workflows.runtime.working_days import england_and_wales

BASE_URL = "https://dhrflow.bcsp.test"
DIRECTOR = "director.wmp@bcsp.test"
REF = "3.11.1"  # West Midlands Police, verified by commissioners


@pytest.fixture
def inbox() -> Inbox:
    return Inbox()


@pytest.fixture
def smtp_port(inbox: Inbox) -> Iterator[int]:
    port = free_port()
    with smtp_server(inbox, port):
        yield port


def mail_settings(port: int, **kw: Any) -> NotifySettings:
    values: dict[str, Any] = {
        "smtp_port": port,
        "smtp_security": "plain",
        "smtp_timeout": 10,
        "mail_from": "dhrflow@bcsp.test",
        "base_url": BASE_URL,
        "notify_retry_base_s": 60,
        "notify_retry_max_s": 600,
    }
    return NotifySettings(_env_file=None, **(values | kw))  # type: ignore[call-arg]


async def send_due(app: App, settings: NotifySettings) -> DispatchReport:
    return await dispatch(settings, uow_factory=app.uow, clock=app.clock, sender=SmtpSender(settings))


async def outbox(app: App, *where: Any) -> list[dict[str, Any]]:
    async with app.reader() as uow:
        stmt = select(OutboxRow).where(*where).order_by(OutboxRow.id)  # type: ignore[arg-type]
        return [dict(r) for r in (await uow.connection.execute(stmt)).mappings()]


async def deliveries(app: App) -> list[dict[str, Any]]:
    return await outbox(app, OutboxRow.parent_id.is_not(None))  # type: ignore[union-attr]


async def submit(app: App, ref: str = REF) -> None:
    command = TransitionCommand(LEAD, ActionKey(ref), Event.SUBMIT_EVIDENCE, note="Briefing minutes attached")
    await take_transition(command, uow_factory=app.uow, clock=app.clock, store=app.store)


def clock_of(app: App) -> FixedClock:
    assert isinstance(app.clock, FixedClock)
    return app.clock


async def test_submitted_evidence_reaches_the_commissioner_once_with_its_headers_and_link(
    app: App, seed_plan: Path, inbox: Inbox, smtp_port: int
) -> None:
    await seed(app, seed_plan)
    await submit(app)
    settings = mail_settings(smtp_port)

    report = await send_due(app, settings)

    assert (report.resolved, report.sent, report.dead) == (1, 1, 0)
    [(rcpt, mail)] = inbox.received
    # The police commissioner may not verify police evidence, so only the health commissioner is told.
    assert rcpt == [COMMISSIONER]
    [row] = await deliveries(app)
    assert mail["Message-ID"] == row["message_id"] == message_id(row["idempotency_key"], "bcsp.test")
    assert mail["From"] == "dhrflow@bcsp.test" and mail["To"] == COMMISSIONER
    assert mail["Subject"] == "Evidence to check: action 3.11.1 (DARDR BDHR2011/12-03)"
    assert mail["Auto-Submitted"] == "auto-generated"
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    link = f"{BASE_URL}/actions/{row['action_id']}"
    assert link in text and f'href="{link}"' in html
    assert "verify it or return it" in text
    assert "Briefing minutes" not in text + html  # the evidence note never travels
    assert row["status"] == "sent" and row["last_reply"].startswith("250") and row["sent_at"] is not None
    assert row["recipient_email"] == COMMISSIONER and row["attempts"] == 1

    again = await send_due(app, settings)
    assert (again.sent, len(inbox.received)) == (0, 1)


async def test_a_mail_names_the_review_by_its_kind_as_the_table_words_it_when_sent(
    app: App, seed_plan: Path, inbox: Inbox, smtp_port: int
) -> None:
    """The kind is read when the mail is composed, from ``review_kind``: a review that is a SAR is named so."""
    await seed(app, seed_plan)
    async with app.uow() as uow:
        await uow.connection.execute(update(ReviewRow).values(kind="sar"))  # type: ignore[arg-type]
        await uow.commit()
    await submit(app)
    await send_due(app, mail_settings(smtp_port))
    [(_, mail)] = inbox.received
    assert mail["Subject"] == "Evidence to check: action 3.11.1 (SAR BDHR2011/12-03)"
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "action 3.11.1 of review SAR BDHR2011/12-03" in text and "Review: SAR BDHR2011/12-03" in text


async def test_starttls_with_a_generated_certificate_encrypts_the_delivery(
    app: App, seed_plan: Path, inbox: Inbox, tmp_path: Path
) -> None:
    cert, key = self_signed_certificate(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    await seed(app, seed_plan)
    await submit(app)
    port = free_port()
    with smtp_server(inbox, port, tls_context=server_tls):
        report = await send_due(app, mail_settings(port, smtp_security="starttls", smtp_ca_file=cert))
    assert report.sent == 1 and inbox.tls_used == [True]
    assert [rcpt for rcpt, _ in inbox.received] == [[COMMISSIONER]]


async def test_a_server_without_starttls_gets_nothing_in_clear(app: App, seed_plan: Path, inbox: Inbox) -> None:
    """STARTTLS is required, not opportunistic: a server that does not offer it is a temporary failure."""
    await seed(app, seed_plan)
    await submit(app)
    port = free_port()
    with smtp_server(inbox, port):
        report = await send_due(app, mail_settings(port, smtp_security="starttls"))
    assert (report.sent, report.retrying, inbox.received) == (0, 1, [])


FAR_OVERDUE = date(2026, 11, 26)
"""A Thursday on which every seed action is long overdue: 13 escalations to the partnership, each told to
its agency's director too (the catch-up passed the director's step over). Only West Midlands Police has a
director in the seed (2 actions): the other 11 are dead letters naming the agency that has none."""
CAUGHT_UP = Counter({ASSURER: 13, DIRECTOR: 2})


async def escalate_everything(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    await report_sent(app)  # the actions' mail only: the review's own ladder is test_milestone_ladder's
    clock_of(app).at = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    await sweep(FAR_OVERDUE, uow_factory=app.uow, clock=app.clock, calendar=england_and_wales())


async def test_server_down_then_up_loses_nothing_and_sends_no_message_id_twice(
    app: App, seed_plan: Path, inbox: Inbox
) -> None:
    await escalate_everything(app, seed_plan)
    port = free_port()  # nothing listens yet: connections are refused
    settings = mail_settings(port, notify_batch_size=5)

    down = await send_due(app, settings)
    assert (down.resolved, down.sent, down.retrying, down.dead) == (15, 0, 15, 11)
    rows = [r for r in await deliveries(app) if r["status"] != "dead"]
    assert {r["status"] for r in rows} == {"pending"} and {r["attempts"] for r in rows} == {1}
    assert all("Connect" in r["last_reply"] or "refused" in r["last_reply"].lower() for r in rows)
    assert min(r["next_attempt_at"] for r in rows) > app.clock.now()  # backed off, not hammered

    with smtp_server(inbox, port):
        assert (await send_due(app, settings)).sent == 0  # still backing off
        clock_of(app).at += timedelta(seconds=settings.notify_retry_base_s)
        up = await send_due(app, settings)
        assert up.sent == 15
        assert (await send_due(app, settings)).sent == 0
    ids = inbox.message_ids()
    assert len(ids) == 15 and len(set(ids)) == 15
    assert {r["status"] for r in await deliveries(app) if r["status"] != "dead"} == {"sent"}
    assert Counter(rcpt[0] for rcpt, _ in inbox.received) == CAUGHT_UP


class CrashAfterSending(SmtpSender):
    """The dispatcher dies after the server accepted the batch and before the rows are marked."""

    async def send_batch(self, messages: Any, date_header: str | None = None) -> Any:
        await super().send_batch(messages, date_header)
        raise SystemExit("killed")


async def test_a_crash_between_send_and_mark_resends_under_the_same_message_id(
    app: App, seed_plan: Path, inbox: Inbox, smtp_port: int
) -> None:
    await seed(app, seed_plan)
    await submit(app)
    settings = mail_settings(smtp_port)
    with pytest.raises(SystemExit):
        await dispatch(settings, uow_factory=app.uow, clock=app.clock, sender=CrashAfterSending(settings))
    assert len(inbox.received) == 1 and [r["status"] for r in await deliveries(app)] == ["pending"]

    assert (await send_due(app, settings)).sent == 0  # the claim's lease holds it
    clock_of(app).at += timedelta(seconds=settings.notify_lease_s)
    assert (await send_due(app, settings)).sent == 1
    first, second = inbox.message_ids()
    assert first == second  # the receiver can tell it is the same message
    assert [r["status"] for r in await deliveries(app)] == ["sent"]


async def test_a_550_becomes_a_dead_letter_with_the_reply_and_a_4xx_is_retried(
    app: App, seed_plan: Path, inbox: Inbox, smtp_port: int
) -> None:
    await seed(app, seed_plan)
    await submit(app)
    inbox.refuse[COMMISSIONER] = "550 5.1.1 Mailbox unavailable"
    report = await send_due(app, mail_settings(smtp_port))
    assert (report.sent, report.dead) == (0, 1)
    [row] = await deliveries(app)
    assert (row["status"], row["last_reply"]) == ("dead", "550 5.1.1 Mailbox unavailable")

    inbox.refuse[LEAD] = "451 4.3.0 Try again later"
    command = TransitionCommand(COMMISSIONER, ActionKey(REF), Event.REJECT, reason="No audit figures")
    await take_transition(command, uow_factory=app.uow, clock=app.clock, store=app.store)
    report = await send_due(app, mail_settings(smtp_port))
    assert (report.sent, report.retrying, report.dead) == (0, 1, 0)
    returned = [r for r in await deliveries(app) if r["kind"] == "evidence_returned"]
    assert [(r["status"], r["last_reply"]) for r in returned] == [("pending", "451 4.3.0 Try again later")]


async def test_a_new_director_gets_the_escalations_fired_before_they_started(
    app: App, seed_plan: Path, inbox: Inbox, smtp_port: int
) -> None:
    clock_of(app).at = datetime(2013, 7, 10, 7, 0, tzinfo=UTC)
    await seed(app, seed_plan)
    await sweep(date(2013, 7, 10), uow_factory=app.uow, clock=app.clock, calendar=england_and_wales())
    async with app.reader() as uow:
        named = select(AgencyRow.id).where(AgencyRow.name == "West Midlands Police")  # type: ignore[arg-type]
        police = (await uow.connection.execute(named)).scalar_one()
    # Only the police director's: an action of another agency caught up and told its director (it has none).
    to_director = await outbox(app, OutboxRow.recipient_role == "director", OutboxRow.recipient_agency_id == police)
    assert to_director, "the sweep escalated to the police director"
    new = NewPerson("Director Two", "director2.wmp@bcsp.test", "director", "West Midlands Police")
    await add_person(new, uow_factory=app.uow, clock=app.clock, actor_email="coordinator@bcsp.test")

    await send_due(app, mail_settings(smtp_port))
    assert inbox.to("director.wmp@bcsp.test") == []
    assert len(inbox.to("director2.wmp@bcsp.test")) == len(to_director)


async def test_a_role_nobody_holds_is_a_visible_dead_letter_until_someone_does(
    app: App, seed_plan: Path, inbox: Inbox, smtp_port: int
) -> None:
    await seed(app, seed_plan)
    async with app.uow() as uow:  # the partnership loses its only assurer
        await uow.connection.execute(update(PersonRow).where(PersonRow.email == ASSURER).values(role="viewer"))  # type: ignore[arg-type]
        await uow.commit()
    await escalate_everything_again(app)
    settings = mail_settings(smtp_port)
    report = await send_due(app, settings)
    assert (report.resolved, report.dead, report.sent) == (2, 24, 2)  # 13 to nobody, 11 directors missing (FAR_OVERDUE)
    dead = await outbox(app, OutboxRow.status == "dead", OutboxRow.recipient_role == "partnership_assurer")
    assert len(dead) == 13 and all("partnership assurer" in r["last_reply"] for r in dead)


async def escalate_everything_again(app: App) -> None:
    await report_sent(app)  # the actions' mail only, as ``escalate_everything``
    clock_of(app).at = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    await sweep(FAR_OVERDUE, uow_factory=app.uow, clock=app.clock, calendar=england_and_wales())


async def test_a_daily_digest_groups_the_days_notifications_into_one_email(
    app: App, seed_plan: Path, inbox: Inbox, smtp_port: int
) -> None:
    await seed(app, seed_plan)
    daily = update(PersonRow).where(PersonRow.email.in_([ASSURER, DIRECTOR])).values(notify="daily")  # type: ignore[attr-defined]
    async with app.uow() as uow:
        await uow.connection.execute(daily)
        await uow.commit()
    await escalate_everything_again(app)  # 07:00 UTC: before the 16:00 digest
    settings = mail_settings(smtp_port)

    morning = await send_due(app, settings)
    assert (morning.resolved, morning.sent, inbox.received) == (15, 0, [])
    assert {r["digest_on"] for r in await deliveries(app) if r["status"] != "dead"} == {FAR_OVERDUE}

    clock_of(app).at = datetime(2026, 11, 26, 16, 0, tzinfo=UTC)  # 16:00 in London in November
    evening = await send_due(app, settings)
    assert (evening.sent, evening.emails) == (15, 2)  # one digest each
    mail = inbox.to(ASSURER)[0]
    assert [rcpt for rcpt, _ in inbox.received].count([ASSURER]) == 1 and "13 notifications" in str(mail["Subject"])
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert text.count("Escalation: action") == 13
    rows = [r for r in await deliveries(app) if r["recipient_email"] == ASSURER]
    assert {r["status"] for r in rows} == {"sent"} and {r["message_id"] for r in rows} == {mail["Message-ID"]}


DHRFLOW = str(Path(sys.executable).parent / "dhrflow")


def dhrflow(
    env: dict[str, str], cwd: Path, *args: str, ok: bool = True, forker: CliForker | None = None
) -> subprocess.CompletedProcess[str]:
    """``dhrflow ARGS``: the console script, or a child of ``forker`` (the same entry point, started faster)."""
    if forker is not None:
        done = forker.run(list(args), env, cwd, timeout=120)
    else:
        done = subprocess.run([DHRFLOW, *args], env=env, capture_output=True, text=True, timeout=120, cwd=cwd)
    if ok:
        assert done.returncode == 0, f"dhrflow {' '.join(args)}: {done.stderr}"
    else:
        assert done.returncode != 0 and "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    return done


async def test_notify_failed_lists_a_550_and_retry_requeues_it_for_the_next_dispatch(
    app: App, seed_plan: Path, inbox: Inbox, smtp_port: int, database_url: str, tmp_path: Path, cli_forker: CliForker
) -> None:
    await seed(app, seed_plan)
    await submit(app)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DHRFLOW_")} | {
        "DATABASE_URL": database_url,
        "DHRFLOW_DATA_DIR": str(tmp_path / "data"),
        "DHRFLOW_SMTP_PORT": str(smtp_port),
        "DHRFLOW_SMTP_SECURITY": "plain",
        "DHRFLOW_MAIL_FROM": "dhrflow@bcsp.test",
        "DHRFLOW_BASE_URL": BASE_URL,
        "COLUMNS": "200",
    }
    inbox.refuse[COMMISSIONER] = "550 5.1.1 Mailbox unavailable"

    run = functools.partial(dhrflow, env, tmp_path, forker=cli_forker)
    out = run("notify", "dispatch").stdout
    assert "sent 0 notification(s)" in out and "1 failed" in out and "550 5.1.1 Mailbox unavailable" in out
    listed = json.loads(run("notify", "failed", "--json").stdout)
    assert [(d["kind"], d["action_ref"], d["reply"]) for d in listed] == [
        ("evidence_submitted", REF, "550 5.1.1 Mailbox unavailable")
    ]
    assert "Mailbox unavailable" in run("notify", "failed").stdout

    bad = run("notify", "retry", "99999", ok=False)
    assert "no dead letter with id 99999" in bad.stderr
    del inbox.refuse[COMMISSIONER]  # the mailbox is fixed
    assert "requeued 1" in run("notify", "retry", str(listed[0]["id"])).stdout
    assert "sent 1 notification(s) in 1 email(s)" in run("notify", "dispatch").stdout
    assert [rcpt for rcpt, _ in inbox.received] == [[COMMISSIONER]]
    assert "no failed notifications" in run("notify", "failed").stdout
    assert "requeued 0" in run("notify", "retry", "--all").stdout

    run("notify", "prefer", ASSURER.upper(), "daily")
    assert "give immediate or daily" in run("notify", "prefer", ASSURER, "weekly", ok=False).stderr
    assert "sent" in run("notify", "list").stdout


def test_bad_mail_settings_are_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DHRFLOW_")} | {
        "DHRFLOW_DATA_DIR": str(tmp_path / "data"),
        "DHRFLOW_SMTP_SECURITY": "plain",
        "DHRFLOW_SMTP_HOST": "mail.example.org",
        "DHRFLOW_SMTP_USERNAME": "dhrflow",
        "DHRFLOW_SMTP_PASSWORD": "secret-value",
    }
    dhrflow(env, tmp_path, "init")
    done = dhrflow(env, tmp_path, "notify", "dispatch", ok=False)
    assert "plain with a password is refused" in done.stderr and "secret-value" not in done.stderr


async def test_two_dispatchers_at_once_share_the_work_and_send_nothing_twice(
    app: App, seed_plan: Path, inbox: Inbox, smtp_port: int
) -> None:
    """Claims lock rows (SKIP LOCKED on PostgreSQL, the write lock on SQLite) and lease them before sending."""
    await escalate_everything(app, seed_plan)
    settings = mail_settings(smtp_port, notify_batch_size=3)
    first, second = await asyncio.gather(send_due(app, settings), send_due(app, settings))
    assert first.sent + second.sent == 15  # FAR_OVERDUE: 13 to the partnership, 2 to the police director
    ids = inbox.message_ids()
    assert len(ids) == 15 and len(set(ids)) == 15


async def test_a_kind_without_a_template_is_a_dead_letter_not_a_stuck_queue(
    app: App, seed_plan: Path, inbox: Inbox, smtp_port: int
) -> None:
    await seed(app, seed_plan)
    event = DomainEvent("mystery", 1, "3.1.1", (Recipient(Role.PARTNERSHIP_ASSURER),))
    rows = outbox_rows(1, 1, None, [event], app.clock.now())  # type: ignore[arg-type]
    async with app.uow() as uow:
        await uow.run_and_commit(lambda tx: tx.outbox.add_rows(rows))
    report = await send_due(app, mail_settings(smtp_port))
    assert (report.sent, report.dead, inbox.received) == (0, 1, [])
    [row] = await deliveries(app)
    assert (row["status"], row["last_reply"]) == ("dead", "no template for notifications of kind 'mystery'")


async def test_a_person_without_an_address_is_a_visible_dead_letter(
    app: App, seed_plan: Path, inbox: Inbox, smtp_port: int
) -> None:
    await seed(app, seed_plan)
    await submit(app)
    async with app.uow() as uow:
        await uow.connection.execute(update(PersonRow).where(PersonRow.email == COMMISSIONER).values(email=""))  # type: ignore[arg-type]
        await uow.commit()
    report = await send_due(app, mail_settings(smtp_port))
    assert (report.resolved, report.sent, report.dead, inbox.received) == (1, 0, 1, [])
    [row] = await deliveries(app)
    assert row["status"] == "dead" and row["last_reply"].endswith("has no email address: add one, then retry")


async def test_a_deputy_in_force_hears_what_the_person_they_stand_in_for_hears(
    app: App, seed_plan: Path, inbox: Inbox, smtp_port: int
) -> None:
    from workflows.commands.deputies import name_deputy

    await seed(app, seed_plan)
    today = clock_of(app).today()
    deputy = "lead.bsmhft@bcsp.test"  # told of nothing police-related in their own right
    await name_deputy(COMMISSIONER, COMMISSIONER, deputy, today, today, "Leave", uow_factory=app.uow, clock=app.clock)
    await submit(app)
    report = await send_due(app, mail_settings(smtp_port))
    assert report.sent == 2 and sorted(r for r, _ in inbox.received) == [[COMMISSIONER], [deputy]]
    [mail] = inbox.to(deputy)
    assert mail["Subject"] == "Evidence to check: action 3.11.1 (DARDR BDHR2011/12-03)"

    clock_of(app).at += timedelta(days=1)  # the period is over: the commissioner alone is told
    await submit(app, "3.11.2")
    await send_due(app, mail_settings(smtp_port))
    assert len(inbox.to(deputy)) == 1 and len(inbox.to(COMMISSIONER)) == 2
