"""Errors of reading a plan document. Each names where in the file and what is wrong."""

from __future__ import annotations

from domain.errors import DhrflowError, ErrorKind


class DocumentError(DhrflowError):
    """Base of every error raised by ``documents``: a file that cannot be read as asked (bad input)."""

    kind: ErrorKind = ErrorKind.BAD_INPUT


class PlanImportError(DocumentError):
    """The file cannot be imported; nothing is written.

    ``location`` is the place in the file ("line 17", "table 1, row 3"); the
    message is one line a coordinator can act on.
    """

    def __init__(self, source: str, location: str, problem: str) -> None:
        self.source = source
        self.location = location
        self.problem = problem
        where = f"{source}, {location}" if location else source
        super().__init__(f"{where}: {problem}")
