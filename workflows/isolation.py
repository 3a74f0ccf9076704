"""One partnership's broken data never stops the work of the others.

The sweep and the board flows run every partnership in one pass. A failure that
belongs to one partnership's data (a stored ladder no longer valid, a date past the
calendar's end) is caught where that partnership's work is done, logged with its
refs, kept in the run's report, and the pass goes on; the run then ends as failed
(``Incomplete``) so that Prefect and the operator see it, after the others ran.
Storage failures are not caught here: a database that is down stops the pass, and
its retries, as before.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from domain.errors import DomainError
from workflows.runtime.observability import get_logger

log = get_logger(__name__)

DATA_ERRORS: tuple[type[Exception], ...] = (DomainError, ArithmeticError, ValueError)
"""What a partnership's own data can raise in its part of a run: a rule it breaks (a stored ladder no longer
valid), or arithmetic past the calendar's end (a date of 31/12/9999). Not storage errors: those stop the run."""

_LONGEST_PROBLEM = 300


@dataclass(frozen=True)
class Failure:
    """Work of one partnership that could not be done: where, and why (the error's type and words)."""

    partnership_id: int
    where: str
    """``review BDHR2011/12-03 action 3.1.1``, or the step of the run (``board cycle``)."""
    problem: str
    partnership: str = ""
    """The partnership's short name, once the run has looked it up."""

    def __str__(self) -> str:
        return f"{self.partnership or f'partnership {self.partnership_id}'}, {self.where}: {self.problem}"


def named(failures: list[Failure], names: dict[int, str]) -> list[Failure]:
    """``failures`` with their partnership's short name (``names``: id to short name)."""
    return [replace(f, partnership=names.get(f.partnership_id, "")) for f in failures]


def failure(partnership_id: int, where: str, error: Exception) -> Failure:
    """``error`` as a failure of the partnership's work at ``where`` (refs and the error's words only)."""
    return Failure(partnership_id, where, f"{type(error).__name__}: {error}"[:_LONGEST_PROBLEM])


def log_failures(event: str, failures: list[Failure]) -> None:
    """Log each failure of a scheduled run (the CLI prints them instead, one line each)."""
    for f in failures:
        log.error(event, partnership=f.partnership or f.partnership_id, where=f.where, problem=f.problem)


class Incomplete(RuntimeError):
    """A run did every partnership's work it could and some could not be done: it ends as failed."""

    def __init__(self, what: str, failures: list[str], total: int) -> None:
        shown = "; ".join(failures[:5]) + (f"; and {total - 5} more" if total > 5 else "")
        super().__init__(f"{what}: {total} item(s) could not be done, the rest were: {shown}")
