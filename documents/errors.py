"""Errors of reading a plan document. Each names where in the file and what is wrong."""

from __future__ import annotations


class DocumentError(Exception):
    """Base of every error raised by ``documents``."""


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


class UnmappedHeaders(PlanImportError):
    """Header cells that no known column matches; the message says how to map them."""

    def __init__(self, source: str, location: str, headers: list[str], fields: list[str]) -> None:
        self.headers = headers
        self.fields = fields
        names = ", ".join(repr(h) for h in headers)
        example = f'--map "{headers[0]}=FIELD"'
        problem = (
            f"cannot place column(s) {names}; map each to a field with {example} "
            f"(fields: {', '.join(fields)}) or to 'extra' to keep it as is"
        )
        super().__init__(source, location, problem)
