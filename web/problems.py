"""Errors as HTTP: one table from exception to status, for the pages and the API alike.

403 outside one's role or agency, 404 for what is not in one's partnership, 409
for a stale version or a state that no longer allows the move, 422 for bad input,
503 (with ``Retry-After``) when the database is busy or its connection dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from documents.errors import DocumentError
from domain.acknowledgement import AcknowledgeRefused
from domain.assignment import ReassignRefused
from domain.deputy import DeputyRefused
from domain.errors import DomainError, GuardFailed, RoleNotAllowed, TransitionNotAllowed
from domain.extension import ExtensionRefused
from domain.final_audit import FinalAuditRefused
from domain.lifecycle import Guard
from storage.errors import ConcurrencyConflict, DatabaseBusy
from workflows.accounts import SignInLocked, SignInRefused
from workflows.dead_letters import NoDeadLetter
from workflows.errors import ActionNotFound, NotVisible, UnknownPerson, WorkflowError


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
    409: "Conflict",
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


def problem_for(exc: Exception) -> Problem | None:
    """The HTTP problem an expected error is; ``None`` for a bug."""
    status = _status(exc)
    return Problem(status, _TITLES[status], str(exc)) if status else None


def _status(exc: Exception) -> int | None:
    if isinstance(exc, DatabaseBusy):
        return 503
    if isinstance(exc, ConcurrencyConflict | TransitionNotAllowed):
        return 409
    if isinstance(exc, RoleNotAllowed | NotVisible | ReassignRefused | AcknowledgeRefused):
        return 403
    if isinstance(exc, GuardFailed):
        return 422 if Guard(exc.guard).needs_input else 403
    if isinstance(exc, ExtensionRefused | DeputyRefused):
        return 403 if exc.not_yours else 422
    if isinstance(exc, FinalAuditRefused):
        return 403 if exc.not_yours else 409
    if isinstance(exc, ActionNotFound | NoDeadLetter):
        return 404
    if isinstance(exc, SignInRefused):
        return 401
    if isinstance(exc, SignInLocked):
        return 429
    if isinstance(exc, UnknownPerson | DomainError | WorkflowError | DocumentError):
        return 422
    return None
