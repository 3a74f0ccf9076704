"""Errors as HTTP: one table from exception to status, for the pages and the API alike.

403 outside one's role or agency, 404 for what is not in one's partnership, 409
for a stale version or a state that no longer allows the move, 422 for bad input,
503 (with ``Retry-After``) when the database is busy or its connection dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import DhrflowError, ErrorKind


@dataclass(frozen=True)
class Problem:
    status: int
    title: str
    detail: str

    def to_json(self) -> dict[str, object]:
        return {"type": "about:blank", "title": self.title, "status": self.status, "detail": self.detail}


_TITLES = {
    401: "Sign in first",
    403: "Not yours to do",
    404: "Not found",
    409: "Someone else changed this",
    422: "Cannot accept this",
    429: "Too many attempts",
    503: "Try again shortly",
}

RETRY_AFTER_S = 5
"""The ``Retry-After`` of a 503: the database was busy or its connection dropped; nothing was saved."""

DATABASE_LOST = (
    "the connection to the database was lost before the change was confirmed; reload and, "
    "if the change is not there, make it again"
)


def way_back(path: str) -> str:
    """Where a person who met an error on ``path`` goes on from: the action or the list they were on."""
    parts = path.strip("/").split("/")
    if len(parts) >= 2 and parts[0] == "actions" and parts[1].isdigit():
        return f"/actions/{parts[1]}"
    first = parts[0] if parts and parts[0] else ""
    return f"/{first}" if first in _PAGES else "/"


_PAGES = frozenset({"actions", "reviews", "escalations", "deputies", "tokens", "calendar", "import", "people"})
"""The pages a form posts back under (``/reviews/final-audit``): the way back is the page itself."""


def problem_for(exc: Exception) -> Problem | None:
    """The HTTP problem an expected error is; ``None`` for a bug."""
    status = _status(exc)
    return Problem(status, _TITLES[status], str(exc)) if status else None


STATUS: dict[ErrorKind, int] = {
    ErrorKind.BAD_INPUT: 422,
    ErrorKind.NOT_YOURS: 403,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.CONFLICT: 409,
    ErrorKind.NOT_NOW: 409,
    ErrorKind.BUSY: 503,
    ErrorKind.NOT_SIGNED_IN: 401,
    ErrorKind.TOO_MANY: 429,
}
"""Each kind of refusal as an HTTP status: the one place the web maps errors (a broken log is no request's)."""


def _status(exc: Exception) -> int | None:
    if not isinstance(exc, DhrflowError):
        return None  # not an error dhrflow expects: a bug, answered 500 and logged
    kind = exc.kind
    return STATUS.get(kind) if kind is not None else None
