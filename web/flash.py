"""The line a page shows after a form has done its work ("3.11.1: verify done, now verified").

It travels in the redirect's query string, signed, so a link made elsewhere cannot put its own words in
the app's voice ("call this number to confirm your password"). The key is the process's own unless
``DHRFLOW_FLASH_KEY`` gives one all web workers share; a line signed by another key is simply not shown.
"""

from __future__ import annotations

from urllib.parse import quote

from web import kept
from web.security import same_secret

_sign = kept.sign


def done_url(path: str, message: str) -> str:
    """``path`` with ``message`` to show on arrival."""
    return f"{path}{'&' if '?' in path else '?'}done={quote(message)}&sig={_sign(message)}"


def checked(message: str, signature: str) -> str:
    """``message`` if this app signed it, else nothing."""
    return message if message and same_secret(_sign(message), signature) else ""
