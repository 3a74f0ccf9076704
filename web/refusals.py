"""A refused form on the action page, said as people say it and placed beside the field it is about.

``draft_for`` turns the error a use case raised into a ``web.drafts.Draft``: the words for the page, the field
the error belongs beside, and whether someone else changed the action meanwhile (then the page shows what
they did). The API keeps the errors' own words.
"""

from __future__ import annotations

from domain.errors import DhrflowError, ErrorKind, GuardFailed
from domain.evidence import EvidenceRefused
from web.drafts import Draft
from web.problems import problem_for
from workflows.errors import EvidenceFileError

_GUARD_FIELDS = {"reason_given": "reason", "note_given": "note", "evidence_given": "note"}

STALE = (
    "Someone else changed this action since you opened it, so nothing of yours was saved. "
    "What they did is shown here; your text is kept below: check it and send it again if it still applies."
)


def draft_for(exc: Exception, form: str, fields: dict[str, str], files: list[str], seen: int) -> Draft | None:
    """The draft a refusal leaves; ``None`` for a bug (the caller re-raises)."""
    problem = problem_for(exc)
    if problem is None:
        return None
    kind = exc.kind if isinstance(exc, DhrflowError) else None
    if kind in (ErrorKind.CONFLICT, ErrorKind.NOT_NOW):
        return Draft(form, STALE, "", fields, files, stale=True, seen=seen)
    if isinstance(exc, GuardFailed):
        words = exc.reason[:1].upper() + exc.reason[1:]
        return Draft(form, words, _GUARD_FIELDS.get(exc.guard, ""), fields, files, seen=seen)
    if isinstance(exc, EvidenceRefused | EvidenceFileError):
        return Draft(form, str(exc), "files", fields, files, seen=seen)
    return Draft(form, problem.detail, _field_named(problem.detail, fields), fields, files, seen=seen)


def _field_named(detail: str, fields: dict[str, str]) -> str:
    """The field a plain message is about, when it names one the form has (``reason``, ``date``)."""
    lowered = detail.lower()
    if "date" in lowered and "to" in fields:
        return "to"
    return next((name for name in ("reason", "note") if name in lowered and name in fields), "")
