"""Mail about a person's own account (a password reset link), sent at once rather than through the outbox.

A reset link is for the person who asked, now: it is not a notification about an
action, is worth nothing once it expires, and its token must not be stored where
a later send could read it. So it goes straight to the mail server while the
person waits; should that fail, they are told to try again.
"""

from __future__ import annotations

import html
from datetime import datetime

import structlog

from notifications.message_id import message_id
from notifications.sender import Outgoing, SmtpSender, Verdict
from notifications.settings import NotifySettings

log = structlog.get_logger(__name__)


async def send_reset_link(
    to: str, name: str, token: str, expires_at: datetime, settings: NotifySettings, key: str
) -> bool:
    """Send the link; ``True`` once the server accepted it."""
    link = f"{settings.base_url.rstrip('/')}/password-reset/{token}"
    until = expires_at.strftime("%H:%M UTC")
    text = (
        f"Dear {name},\n\nSomeone (we hope you) asked to set a new dhrflow password for {to}.\n"
        f"Open this link before {until} to choose one; it works once:\n\n{link}\n\n"
        "If it was not you, ignore this email: your password stays as it is.\n"
    )
    body = html.escape(text).replace(html.escape(link), f'<a href="{html.escape(link)}">{html.escape(link)}</a>')
    domain = settings.mail_from.rpartition("@")[2] or "dhrflow.invalid"
    outgoing = Outgoing(key, message_id(key, domain), to, "Set a new dhrflow password", text, f"<pre>{body}</pre>")
    outcome = (await SmtpSender(settings).send_batch([outgoing]))[key]
    accepted = outcome.verdict is Verdict.ACCEPTED
    log.info("password_reset_mail", accepted=accepted, reply=outcome.reply[:80])  # the reply, never the link
    return accepted
