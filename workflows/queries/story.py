"""An action's story in the words of the domain, for the top of its page: where it stands and since when, its
target date as one phrase, its evidence as the last submission changed it, and each decision named as people
say it ("Returned to the lead officer", not ``reject``).

Pure: built from an ``ActionDetail`` already read; the machine names stay in the API's JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.states import Event, State
from workflows.queries.actions import ActionDetail, ActionView, DecisionView
from workflows.runtime.clock import LONDON

DONE_WORDS: dict[str, str] = {
    Event.SUBMIT_EVIDENCE: "Evidence submitted",
    Event.RECORD_PROGRESS: "Progress recorded",
    Event.VERIFY: "Checked by the commissioner",
    Event.REJECT: "Returned to the lead officer",
    Event.ASSURE: "Assured by the partnership",
    Event.WITHDRAW: "Withdrawn by the partnership",
}
"""What each move is called once done: the timeline's words and the line shown after a form."""

STATE_WORDS: dict[str, str] = {
    State.OPEN: "open",
    State.EVIDENCE_SUBMITTED: "evidence submitted",
    State.COMMISSIONER_VERIFIED: "checked by the commissioner",
    State.PARTNERSHIP_ASSURED: "assured by the partnership",
    State.WITHDRAWN: "withdrawn",
}

ROUTE_WORDS: dict[str, str] = {
    "commissioner": "checked by the commissioner, then assured by the partnership",
    "final_audit": "checked by the partnership at the final audit",
}

_CHECKER = {"commissioner": "the commissioner", "partnership_assurer": "the partnership"}


def day(d: date | datetime) -> str:
    """``3 Dec 2026``: a datetime as its day in UK time."""
    if isinstance(d, datetime):
        d = d.astimezone(LONDON).date()
    return f"{d.day} {d.strftime('%b %Y')}"


def uk_time(at: datetime) -> str:
    """``14:02``: the time of day in the UK, where the partnership works."""
    return at.astimezone(LONDON).strftime("%H:%M")


def event_words(event: str) -> str:
    """A decision's event as people say it; an event without words of its own reads as its name spaced."""
    return DONE_WORDS.get(event) or event.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Banner:
    """The first thing on the page: where the action stands, since when, and why."""

    tone: str
    """``returned``, ``waiting``, ``done`` or ``open``: how the banner is drawn."""
    headline: str
    reason: str = ""


@dataclass(frozen=True)
class EvidenceFile:
    id: int
    name: str
    size: int
    sha256: str
    content_type: str
    change: str
    """``new`` or ``unchanged`` since the submission before the last; empty for the first submission."""
    viewable: str
    """``image`` or ``pdf`` when the browser can show it in the page, else empty."""


@dataclass(frozen=True)
class EvidenceStory:
    current: list[EvidenceFile]
    """The files of the last submission, each once."""
    removed: list[EvidenceFile]
    """Files of the submission before that are not in the last one."""
    earlier: list[EvidenceFile]
    """Files of older submissions, each once, in neither of those two."""
    resubmitted: bool


@dataclass(frozen=True)
class Story:
    banner: Banner
    target: str
    route: str
    state: str
    evidence: EvidenceStory


def story_of(detail: ActionDetail) -> Story:
    a = detail.action
    return Story(
        _banner(a, detail.timeline),
        target_phrase(a),
        ROUTE_WORDS.get(a.route, a.route.replace("_", " ")),
        STATE_WORDS.get(a.state, a.state.replace("_", " ")),
        _evidence(detail.evidence),
    )


def target_phrase(a: ActionView) -> str:
    """``18 Dec 2026, extended from 30 Sep 2013``; the plan's own words when it gave no date."""
    if a.target_date is None and a.target_waits:
        return a.target_waits
    if a.target_date is None:
        return f"none set (the plan says {a.target_date_text!r})" if a.target_date_text else "none set"
    if a.original_target_date and a.original_target_date != a.target_date:
        return f"{day(a.target_date)}, extended from {day(a.original_target_date)}"
    return day(a.target_date)


def _moves(timeline: list[DecisionView]) -> list[DecisionView]:
    return [d for d in timeline if d.event in DONE_WORDS]


def _banner(a: ActionView, timeline: list[DecisionView]) -> Banner:
    moves = _moves(timeline)
    last = moves[-1] if moves else None
    since = day(last.at) if last else ""
    if a.state == State.OPEN:
        returned = next((d for d in reversed(moves) if d.event != Event.RECORD_PROGRESS), None)
        if returned is not None and returned.event == Event.REJECT:
            who = _CHECKER.get(returned.role, f"the {returned.role.replace('_', ' ')}")
            return Banner("returned", f"Returned by {who} on {day(returned.at)}", returned.reason)
        return Banner("open", f"Waiting for evidence from the lead officer{f' ({a.lead})' if a.lead else ''}")
    if a.state == State.EVIDENCE_SUBMITTED:
        who = "the commissioner" if a.route == "commissioner" else "the partnership"
        return Banner("waiting", f"Waiting for {who} since {since}")
    if a.state == State.COMMISSIONER_VERIFIED:
        return Banner("waiting", f"Checked by the commissioner; waiting for the partnership since {since}")
    if a.state == State.PARTNERSHIP_ASSURED:
        return Banner("done", f"Assured by the partnership on {since}")
    return Banner("done", f"Withdrawn by the partnership on {since}", last.reason if last else "")


def _file(row: dict[str, Any], change: str) -> EvidenceFile:
    kind = row["content_type"]
    viewable = "image" if kind in ("image/png", "image/jpeg") else "pdf" if kind == "application/pdf" else ""
    return EvidenceFile(row["id"], row["name"], row["size"], row["sha256"], kind, change, viewable)


def _evidence(rows: list[dict[str, Any]]) -> EvidenceStory:
    """The files by submission (their decision), compared by SHA-256: each file shown once."""
    submissions: dict[int, dict[str, dict[str, Any]]] = {}
    for row in rows:
        submissions.setdefault(row["decision_id"], {}).setdefault(row["sha256"], row)
    ordered = [submissions[k] for k in sorted(submissions)]
    if not ordered:
        return EvidenceStory([], [], [], False)
    last = ordered[-1]
    before = ordered[-2] if len(ordered) > 1 else {}
    compared = bool(before)
    current = [_file(r, ("unchanged" if h in before else "new") if compared else "") for h, r in last.items()]
    removed = [_file(r, "removed") for h, r in before.items() if h not in last]
    seen = set(last) | set(before)
    earlier: dict[str, dict[str, Any]] = {}
    for older in ordered[:-2]:
        for h, r in older.items():
            if h not in seen:
                earlier.setdefault(h, r)
    return EvidenceStory(current, removed, [_file(r, "") for r in earlier.values()], compared)
