"""The demo's mail sink on real databases: what the dispatcher sends reaches it, is kept privately, and is
read back for the "Sent mail (demo)" page (issue 16: in the demo no mail went anywhere)."""

from __future__ import annotations

from pathlib import Path

from notifications.sink import start_sink
from tests.integration.smtp_server import free_port
from tests.integration.workflows.commands.test_dispatch import escalate_everything, mail_settings, send_due
from workflows.queries.sent_mail import sent_mail
from workflows.runtime.container import App


async def test_what_the_dispatcher_sends_to_the_sink_is_kept_and_read_back_newest_first(
    app: App, seed_plan: Path, tmp_path: Path
) -> None:
    await escalate_everything(app, seed_plan)
    folder = tmp_path / "sent-mail"
    port = free_port()
    sink = start_sink(folder, port)
    try:
        report = await send_due(app, mail_settings(port))
    finally:
        sink.stop()
    assert (report.sent, report.dead, report.retrying) == (15, 11, 0)  # see FAR_OVERDUE: 11 agencies lack a director

    mails = sent_mail(folder)
    assert len(mails) == report.emails
    assert all(m.subject and m.to and m.text for m in mails)
    assert [m.name for m in mails] == sorted((m.name for m in mails), reverse=True)
    assert any("overdue" in m.subject.lower() or "escalat" in m.subject.lower() for m in mails), [
        m.subject for m in mails
    ]
    assert folder.stat().st_mode & 0o777 == 0o700
    assert all((folder / m.name).stat().st_mode & 0o777 == 0o600 for m in mails)


def test_no_sink_folder_reads_as_no_mail(tmp_path: Path) -> None:
    assert sent_mail(tmp_path / "never-made") == []
