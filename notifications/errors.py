"""Errors of the notifications package."""

from __future__ import annotations


class NotificationError(Exception):
    """Base of every error raised by ``notifications``."""


class UnknownKind(NotificationError):
    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(f"no template for notifications of kind {kind!r}")


class TemplateFailed(NotificationError):
    """A template exists but could not render (a bug in it, or a value it did not expect)."""

    def __init__(self, kind: str, problem: str) -> None:
        self.kind = kind
        super().__init__(f"the {kind} template failed: {problem}")
