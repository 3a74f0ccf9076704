"""Errors raised by the domain; each carries the data its message needs, and its ``kind``.

Every error dhrflow expects (of the domain, the use cases, storage and documents)
says what kind of refusal it is; each entry point maps the kinds once: the web
to HTTP statuses (``web.problems``), the CLI to exit codes (``cli.runner.run``).
"""

from __future__ import annotations

from enum import StrEnum


class ErrorKind(StrEnum):
    """What a refusal means to whoever asked, whatever raised it."""

    BAD_INPUT = "bad_input"
    """What was given cannot be accepted: the message says what to change (HTTP 422, exit 1)."""
    NOT_YOURS = "not_yours"
    """Not the person's to do: their role, their agency, their own work (HTTP 403, exit 1)."""
    NOT_FOUND = "not_found"
    """Nothing of that name where the person may look (HTTP 404, exit 1)."""
    CONFLICT = "conflict"
    """The thing moved on since it was read: reload and decide again (HTTP 409, exit 3)."""
    NOT_NOW = "not_now"
    """Its state does not allow this (an action already assured, a final audit already started): trying again
    will not help (HTTP 409, exit 1)."""
    BUSY = "busy"
    """The database was busy or dropped the connection; nothing was saved; try again (HTTP 503, exit 1)."""
    BROKEN_LOG = "broken_log"
    """The decision log does not verify (exit 4)."""
    NOT_SIGNED_IN = "not_signed_in"
    """The email or password is wrong (HTTP 401)."""
    TOO_MANY = "too_many"
    """Too many attempts: wait (HTTP 429)."""


class DhrflowError(Exception):
    """Base of every error dhrflow expects: the domain's, the use cases', storage's and the documents'.

    The entry points catch this one class and map its ``kind``. ``kind`` None: the installation, not the
    request, is at fault (no database, a bad DATABASE_URL): the CLI says so in one line, the web app
    answers 500 and logs it.
    """

    kind: ErrorKind | None = ErrorKind.BAD_INPUT


class DomainError(DhrflowError):
    """Base of every error the domain raises."""

    kind: ErrorKind = ErrorKind.BAD_INPUT


class InvalidRef(DomainError):
    """A reference that is not a dotted number such as ``3.11.2``."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(f"{text!r} is not a dotted action reference such as 3.1.1")


class TransitionNotAllowed(DomainError):
    """No transition of the lifecycle table leaves ``state`` on ``event``."""

    kind = ErrorKind.NOT_NOW

    def __init__(self, action_ref: str, state: str, event: str) -> None:
        self.action_ref = action_ref
        self.state = state
        self.event = event
        super().__init__(f"action {action_ref} is {state}: {event} is not allowed from that state")


class RoleNotAllowed(DomainError):
    """The event is possible from this state, but not for the actor's role."""

    kind = ErrorKind.NOT_YOURS

    def __init__(self, action_ref: str, state: str, event: str, role: str, allowed: list[str]) -> None:
        self.action_ref = action_ref
        self.state = state
        self.event = event
        self.role = role
        self.allowed = allowed
        who = " or ".join(allowed)
        super().__init__(f"action {action_ref} is {state}: {event} is for the {who}, not the {role}")


class GuardFailed(DomainError):
    """A guard of the transition refused it; ``guard`` names which one."""

    def __init__(
        self, action_ref: str, state: str, event: str, guard: str, reason: str, *, input_missing: bool = False
    ) -> None:
        self.action_ref = action_ref
        self.state = state
        self.event = event
        self.guard = guard
        self.reason = reason
        self.kind = ErrorKind.BAD_INPUT if input_missing else ErrorKind.NOT_YOURS
        """Something to type (a reason, evidence) is missing, or the person may not do this at all."""
        super().__init__(f"action {action_ref} is {state}: {event} refused: {reason}")


class ThemeRefused(DomainError):
    """A theme that cannot be added or set: unknown, badly named, or already there."""


class BoardDateRefused(DomainError):
    """A board meeting date that cannot be added or removed."""
