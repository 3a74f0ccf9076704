"""What a bulk move on the actions list did, or why its form was refused, kept for the list it returns to.

The form posts to ``/actions/bulk`` and is answered with a redirect to the list with its filters
(POST-redirect-GET). The summary (each action done or refused, and why) or the refused form (the error, the
ticks, the comment) travels in a short-lived cookie, compressed, signed and bound to the person, read once by
the next view of the list: a reload shows the list, not the summary again, and re-sends nothing. A sheet too big
for a cookie is not kept this way: the caller answers with the list itself instead (as ``web.drafts`` does).
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass

from fastapi import Request
from fastapi.responses import Response

from web import kept
from workflows.commands.bulk import BulkItem, BulkMove, BulkReport

COOKIE = "dhrflow_bulk"
PATH = "/actions"

MOVES: dict[BulkMove, tuple[str, str]] = {
    BulkMove.VERIFY: ("Verify the evidence", "verified"),
    BulkMove.ASSURE: ("Assure", "assured"),
    BulkMove.ACKNOWLEDGE: ("Acknowledge their escalations", "acknowledged"),
    BulkMove.REASSIGN: ("Hand to another lead officer", "reassigned"),
}
"""Each move as the form offers it, and as the summary says it was done."""

CONFIRM = "To assure, tick the box to confirm you have checked the evidence of every ticked action"

STALE = "Someone else changed it after the list was shown, so nothing was done to it: open it to see what they did"


@dataclass(frozen=True)
class Line:
    """One action in the summary: a link to it, and what was done or why not."""

    action_id: int | None
    label: str
    words: str


@dataclass(frozen=True)
class Sheet:
    """What the list shows after the bulk form: the summary of a move, or the form refused as a whole."""

    move: str = ""
    done: list[Line] = dataclasses.field(default_factory=list)
    refused: list[Line] = dataclasses.field(default_factory=list)
    error: str = ""
    """Why the form as a whole was refused (nothing was done); empty after a move."""
    field: str = ""
    """The field the error is about (``pick``, ``move``, ``confirm``, ``to``, ``comment``), or empty."""
    picked: list[int] = dataclasses.field(default_factory=list)
    """The actions ticked, ticked again on a refused form."""
    comment: str = ""
    to: str = ""

    @property
    def summary(self) -> str:
        """ "2 verified, 1 refused"."""
        done = MOVES[BulkMove(self.move)][1] if self.move in set(BulkMove) else "done"
        parts = [f"{len(self.done)} {done}"] + ([f"{len(self.refused)} refused"] if self.refused else [])
        return ", ".join(parts)


def of_report(report: BulkReport) -> Sheet:
    """The summary of ``report`` as the list shows it."""
    return Sheet(
        move=str(report.move),
        done=[_line(i, i.detail) for i in report.done],
        refused=[_line(i, STALE if i.kind == "conflict" else i.detail) for i in report.refused],
    )


def _line(item: BulkItem, words: str) -> Line:
    return Line(item.action_id, f"{item.review_ref} {item.action_ref}".strip(), words)


def keep(response: Response, request: Request, person_id: int, sheet: Sheet) -> bool:
    """Put ``sheet`` on ``response`` for the next view of the list; ``False`` when it is too big."""
    return kept.keep(response, request, COOKIE, PATH, person_id, asdict(sheet), compress=True)


def taken(request: Request, person_id: int) -> Sheet | None:
    """The sheet this person's last bulk form left, if it is theirs and signed here."""
    data = kept.taken(request, COOKIE, PATH, person_id, compress=True)
    if not isinstance(data, dict):
        return None
    try:
        done = [Line(**line) for line in data.pop("done")]
        refused = [Line(**line) for line in data.pop("refused")]
        return Sheet(**data, done=done, refused=refused)
    except (TypeError, KeyError):
        return None


def forget(response: Response) -> None:
    """Read once: the list that showed the sheet drops it."""
    kept.forget(response, COOKIE, PATH)
