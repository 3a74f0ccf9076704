"""Errors of the storage layer, each with its kind (``domain.errors``)."""

from __future__ import annotations

from domain.errors import DhrflowError, ErrorKind


class StorageError(DhrflowError):
    """Base of every error raised by ``storage``; by default the installation, not the request, is at fault
    (``kind`` None)."""

    kind: ErrorKind | None = None


class ConcurrencyConflict(StorageError):
    """Someone changed the action since the caller read it; nothing was written."""

    kind = ErrorKind.CONFLICT

    def __init__(self, action_ref: str, expected: int, actual: int | None) -> None:
        self.action_ref = action_ref
        self.expected = expected
        self.actual = actual
        now = f"version {actual}" if actual is not None else "a newer version"
        super().__init__(
            f"action {action_ref} was changed by someone else (you had version {expected}, it is now {now}); "
            "reload it and decide again"
        )


class DatabaseNotReady(StorageError):
    """The database is missing or not migrated to this release's schema."""


class InvalidDatabaseUrl(StorageError):
    def __init__(self, problem: str) -> None:
        super().__init__(f"DATABASE_URL {problem}")


class DatabaseBusy(StorageError):
    """Another writer held the database longer than dhrflow waits; nothing was written."""

    kind = ErrorKind.BUSY


class MigrationBrokeKeys(StorageError):
    def __init__(self, count: int, table: str) -> None:
        super().__init__(f"the upgrade would leave {count} broken reference(s), first in {table}; nothing was changed")


class LogKeyMismatch(StorageError):
    """This process would append to a sealed decision log without its key (``DHRFLOW_LOG_KEY``)."""
