"""What the demo's mail sink received (``notifications.sink``), newest first, as the "Sent mail (demo)" page
shows it: when, to whom, the subject and the text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from notifications.sink import SUFFIX

LIMIT = 200
"""The newest messages shown; the folder keeps them all."""


@dataclass(frozen=True)
class SentMail:
    name: str
    at: datetime
    to: str
    subject: str
    text: str


def sent_mail(folder: Path, *, limit: int = LIMIT) -> list[SentMail]:
    """The newest ``limit`` messages in ``folder`` (none when the sink never ran)."""
    if not folder.is_dir():
        return []
    files = sorted((f for f in folder.iterdir() if f.suffix == SUFFIX), key=lambda f: f.name, reverse=True)
    return [_read(f) for f in files[:limit]]


def _read(path: Path) -> SentMail:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(preferencelist=("plain", "html"))
    text = body.get_content() if body is not None else ""
    stamp = path.name.split("-", 1)[0]
    at = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    to = str(message.get("X-Sink-Recipients") or message.get("To") or "")
    return SentMail(path.name, at, to, str(message.get("Subject", "")), str(text))
