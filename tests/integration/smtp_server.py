"""A real SMTP server for the tests: aiosmtpd, in-process, on 127.0.0.1 (its own thread and loop)."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Inbox:
    """The aiosmtpd handler: keeps what it accepts; ``refuse`` maps an address to the reply it gets."""

    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    tls_used: list[bool] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:  # noqa: N802 (aiosmtpd's hook name)
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append((list(envelope.rcpt_tos), parsed))
        self.tls_used.append(session.ssl is not None)
        return "250 2.0.0 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        return [str(m["Message-ID"]) for _, m in self.received]

    def to(self, address: str) -> list[EmailMessage]:
        return [m for rcpt, m in self.received if address in rcpt]


@contextmanager
def smtp_server(inbox: Inbox, port: int, tls_context: ssl.SSLContext | None = None) -> Iterator[Controller]:
    kwargs: dict[str, Any] = {}
    if tls_context is not None:
        kwargs = {"tls_context": tls_context, "require_starttls": True}
    controller = Controller(inbox, hostname="127.0.0.1", port=port, ready_timeout=30, **kwargs)
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()
