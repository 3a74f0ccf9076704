"""A short-lived cookie that carries what one page hands the next: signed, bound to a person and a page,
read once. A refused form's text (``web.drafts``) and a bulk move's summary (``web.bulk_sheets``) travel so;
``web.flash`` signs its lines with the same key.

The key is ``DHRFLOW_FLASH_KEY`` when web workers share one, else one made for this process (a cookie signed
by another worker is then simply not read).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import zlib
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from web.security import same_secret, secure

_KEY = os.environ.get("DHRFLOW_FLASH_KEY", "").encode() or secrets.token_bytes(32)
MAX_COOKIE_BYTES = 3800
"""Browsers keep a cookie of 4096 bytes, name and attributes included."""
LIFETIME_S = 120


def sign(message: str) -> str:
    return hmac.new(_KEY, message.encode(), hashlib.sha256).hexdigest()[:32]


def keep(
    response: Response, request: Request, name: str, page: str, person_id: int, data: Any, *, compress: bool = False
) -> bool:
    """Put ``data`` (JSON) on ``response`` for the person's next view of ``page``; ``False`` when too big."""
    raw = json.dumps(data, ensure_ascii=False).encode()
    body = base64.urlsafe_b64encode(zlib.compress(raw, 9) if compress else raw).decode()
    value = f"{body}.{sign(f'{person_id}:{page}:{body}')}"
    if len(value) > MAX_COOKIE_BYTES:
        return False
    response.set_cookie(
        name, value, max_age=LIFETIME_S, httponly=True, samesite="lax", secure=secure(request), path=page
    )
    return True


def taken(request: Request, name: str, page: str, person_id: int, *, compress: bool = False) -> Any:
    """What this person's last visit left for ``page`` under ``name``, if signed here for them; else None."""
    body, _, signature = request.cookies.get(name, "").rpartition(".")
    if not body or not same_secret(sign(f"{person_id}:{page}:{body}"), signature):
        return None
    try:
        raw = base64.urlsafe_b64decode(body.encode())
        return json.loads(zlib.decompress(raw) if compress else raw)
    except (ValueError, zlib.error):  # binascii.Error is a ValueError
        return None


def forget(response: Response, name: str, page: str) -> None:
    """Read once: the page that showed it drops it."""
    response.delete_cookie(name, path=page)
