"""Errors raised by the domain; each carries the data its message needs."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the domain raises."""


class InvalidRef(DomainError):
    """A reference that is not a dotted number such as ``3.11.2``."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(f"{text!r} is not a dotted action reference such as 3.1.1")


class TransitionNotAllowed(DomainError):
    """No transition of the lifecycle table leaves ``state`` on ``event``."""

    def __init__(self, action_ref: str, state: str, event: str) -> None:
        self.action_ref = action_ref
        self.state = state
        self.event = event
        super().__init__(f"action {action_ref} is {state}: {event} is not allowed from that state")


class RoleNotAllowed(DomainError):
    """The event is possible from this state, but not for the actor's role."""

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

    def __init__(self, action_ref: str, state: str, event: str, guard: str, reason: str) -> None:
        self.action_ref = action_ref
        self.state = state
        self.event = event
        self.guard = guard
        self.reason = reason
        super().__init__(f"action {action_ref} is {state}: {event} refused: {reason}")


class ThemeRefused(DomainError):
    """A theme that cannot be added or set: unknown, badly named, or already there."""


class BoardDateRefused(DomainError):
    """A board meeting date that cannot be added or removed."""
