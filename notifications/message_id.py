"""Message-IDs derived from the outbox's idempotency keys: a re-send carries the same one."""

from __future__ import annotations

import hashlib


def message_id(idempotency_key: str, domain: str) -> str:
    """``<hash@domain>``, the same for the same key every time (RFC 5322 msg-id).

    A receiving system (and a person) can tell a re-sent message from a new one:
    a crash between the server's acceptance and the row's marking sends it again
    under the same Message-ID.
    """
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]
    return f"<{digest}.dhrflow@{domain}>"
