"""Errors of the use cases. Each is one line a person can act on, and says its kind (``domain.errors``)."""

from __future__ import annotations

from domain.errors import DhrflowError, ErrorKind


class WorkflowError(DhrflowError):
    """Base of every error raised by ``workflows``."""

    kind: ErrorKind = ErrorKind.BAD_INPUT


class UnknownPerson(WorkflowError):
    def __init__(self, email: str) -> None:
        self.email = email
        super().__init__(f"no person with email {email!r}; add them with `dhrflow people add`")


class ActionNotFound(WorkflowError):
    kind = ErrorKind.NOT_FOUND

    def __init__(self, ref: str, review_ref: str | None) -> None:
        self.ref = ref
        where = f" in review {review_ref}" if review_ref else ""
        super().__init__(f"no action {ref}{where}")


class AmbiguousAction(WorkflowError):
    def __init__(self, ref: str, review_refs: list[str]) -> None:
        self.ref = ref
        self.review_refs = review_refs
        super().__init__(
            f"action {ref} is in {len(review_refs)} reviews ({', '.join(review_refs)}): name one with --review"
        )


class EvidenceFileError(WorkflowError):
    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        super().__init__(f"evidence file {path}: {problem}")


class NotVisible(WorkflowError):
    """The thing exists in the person's partnership but is not theirs to see (another agency's)."""

    kind = ErrorKind.NOT_YOURS


class NotSetUp(WorkflowError):
    """Nothing to act on yet: no partnership, review or person."""


class InvalidInput(WorkflowError):
    """A value the person gave is not acceptable; the message names the field."""


class BackupError(WorkflowError):
    """A backup that cannot be made or a restore refused; the message says why and what to do."""


class ReviewNotFound(WorkflowError):
    """No review of that ref in the person's partnership."""

    kind = ErrorKind.NOT_FOUND

    def __init__(self, review_ref: str) -> None:
        self.review_ref = review_ref
        super().__init__(f"no review {review_ref!r}")
