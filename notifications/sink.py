"""The demo's mail sink: a local SMTP server (aiosmtpd) that keeps every message it accepts as a file.

``dhrflow serve`` on a development machine with no mail server configured starts one, points the
dispatcher at it, and the web app's "Sent mail (demo)" page reads the files back: in the demo, the
reminders and escalations go somewhere a person can see, and dispatch runs succeed as they would with a
real relay. It listens on 127.0.0.1 only and keeps files 0600 in the data folder.
"""

from __future__ import annotations

import itertools
import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from storage.private_files import private_folder, write_private

SUFFIX = ".eml"


class MailSink:
    """The aiosmtpd handler: each message accepted becomes ``<folder>/<UTC time>-<n>.eml``, as received."""

    def __init__(self, folder: Path) -> None:
        self.folder = private_folder(folder)
        self._numbers = itertools.count(1)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's hook name)
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        recipients = ", ".join(envelope.rcpt_tos)
        content = f"X-Sink-Recipients: {recipients}\r\n".encode() + bytes(envelope.original_content or envelope.content)
        write_private(self.folder / f"{stamp}-{next(self._numbers):06d}{SUFFIX}", content)
        return "250 2.0.0 Kept by the demo's mail sink"


def start_sink(folder: Path, port: int) -> Controller:
    """Listen on 127.0.0.1:``port`` until the controller is stopped (``controller.stop()``)."""
    controller = Controller(MailSink(folder), hostname="127.0.0.1", port=port, ready_timeout=30)
    controller.start()
    return controller
