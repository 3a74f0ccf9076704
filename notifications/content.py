"""What a notification says: the facts of one outbox row, and the template context made of them.

Only references travel: the review's and the action's, the recipient's own name,
the name of the staff member who leads an action, dates, and the reason a checker
or a lead officer gave. Never the plan's text, evidence notes or evidence files,
and never anything about the people a review concerns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

KINDS = (
    "evidence_submitted",
    "evidence_returned",
    "evidence_verified",
    "action_assured",
    "action_withdrawn",
    "reminder",
    "overdue",
    "escalation",
    "extension_requested",
    "extension_decided",
    "lead_officer_assigned",
    "final_audit_ready",
    "progress_request",
    "progress_reminder",
    "board_pack",
)
"""Every kind of row the use cases write to the outbox, each with its template."""

_ROLE_LABELS = {
    "lead_officer": "lead officer",
    "commissioner": "commissioner",
    "director": "director",
    "partnership_assurer": "partnership assurer",
    "coordinator": "coordinator",
    "viewer": "viewer",
}


@dataclass(frozen=True)
class Notice:
    """One outbox row with what its message needs, read when it is sent."""

    kind: str
    recipient_name: str
    recipient_role: str
    review_ref: str
    review_id: int | None
    action_ref: str
    action_id: int | None
    decided_on: date
    """The day of the decision that caused the row (England and Wales)."""
    event: str = ""
    reason: str = ""
    payload: dict[str, Any] = field(default_factory=dict)
    target_date: date | None = None
    lead_name: str = ""
    review_kind: str = ""
    """The abbreviation of the review's kind ("DARDR", "SAR"): the message names the review "DARDR BDHR2011/12-03"."""

    @property
    def review_label(self) -> str:
        """The review as the message names it: its ref with its kind's abbreviation (the ref alone for none)."""
        return f"{self.review_kind} {self.review_ref}" if self.review_kind and self.review_ref else self.review_ref


def action_url(base_url: str, notice: Notice) -> str:
    base = base_url.rstrip("/")
    if notice.action_id is None:
        return f"{base}/reviews/{notice.review_id}" if notice.review_id is not None else f"{base}/"  # the inbox
    return f"{base}/actions/{notice.action_id}"


def _date(value: object) -> str:
    if isinstance(value, str) and value:
        try:
            return f"{date.fromisoformat(value):%-d %B %Y}"
        except ValueError:
            return value
    return f"{value:%-d %B %Y}" if isinstance(value, date) else ""


def _facts(n: Notice) -> list[tuple[str, str]]:
    """(label, value) lines shown under the message, per kind."""
    facts: list[tuple[str, str]] = [("Review", n.review_label)]
    if n.action_ref:
        facts.append(("Action", n.action_ref))
    p = n.payload
    if n.kind in ("reminder", "overdue", "escalation"):
        anchor = p.get("anchor_date")
        anchored = date.fromisoformat(anchor) if isinstance(anchor, str) else None
        if p.get("ladder") == "report_submission":
            facts.append(("Plan imported", _date(anchor)))
            facts.append(("Report due", _date(p.get("milestone_due_on"))))
        elif p.get("ladder") == "impact_check":
            facts.append(("Impact check due", _date(anchor)))
        elif p.get("ladder") == "lead_officer":
            facts.append(("Target date", _date(anchor)))
            if anchored is not None and n.decided_on > anchored:
                facts.append(("Days late", str((n.decided_on - anchored).days)))
        else:
            facts.append(("Evidence waiting since", _date(anchor)))
            if anchored is not None:
                facts.append(("Days waiting", str((n.decided_on - anchored).days)))
        if n.lead_name:
            facts.append(("Led by", n.lead_name))
        if passed_over := p.get("passed_over"):
            steps = ", ".join(str(k).replace("_", " ") for k in passed_over)
            facts.append(
                (
                    "Caught up",
                    f"earlier steps ({steps}) fell due before a sweep could send them; "
                    "this one message stands for them",
                )
            )
    elif n.kind in ("progress_request", "progress_reminder"):
        facts.append(("Board meets", _date(p.get("meets_on"))))
        facts.append(("Your open actions", ", ".join(str(a) for a in p.get("actions", []))))
    elif n.kind == "board_pack":
        facts.append(("Period", f"{_date(p.get('from'))} to {_date(p.get('to'))}"))
        facts.append(("Decision log head", str(p.get("log_head", ""))))
    elif n.kind == "extension_requested":
        facts.append(("Target date", _date(p.get("from"))))
        facts.append(("Date asked for", _date(p.get("to"))))
    elif n.kind == "extension_decided":
        if n.event == "extension_approved":
            facts.append(("New target date", _date(p.get("to"))))
            facts.append(("Previous target date", _date(p.get("from"))))
        else:
            facts.append(("Target date (unchanged)", _date(p.get("from"))))
            facts.append(("Date asked for", _date(p.get("to"))))
    elif n.target_date is not None:
        facts.append(("Target date", _date(n.target_date)))
    if n.kind in ("action_withdrawn", "extension_requested", "extension_decided") and n.lead_name:
        facts.append(("Led by", n.lead_name))
    return [(label, value) for label, value in facts if value]


def _pack_url(base_url: str, payload: dict[str, Any]) -> str:
    """Where a board pack notice's pack downloads (behind sign-in), for the period it names."""
    if "from" not in payload or "to" not in payload or payload.get("review") != "all":
        return ""
    return (
        f"{base_url.rstrip('/')}/reviews/export/board?review=all&format=pdf&from={payload['from']}&to={payload['to']}"
    )


def context(notice: Notice, base_url: str) -> dict[str, Any]:
    """The variables every template may use."""
    return {
        "kind": notice.kind,
        "recipient_name": notice.recipient_name,
        "recipient_role": _ROLE_LABELS.get(notice.recipient_role, notice.recipient_role),
        "review_ref": notice.review_ref,
        "review_label": notice.review_label,
        "action_ref": notice.action_ref,
        "action_url": action_url(base_url, notice),
        "reason": notice.reason,
        "event": notice.event,
        "approved": notice.event == "extension_approved",
        "step": str(notice.payload.get("step", "")),
        "ladder": str(notice.payload.get("ladder", "")),
        "milestone": str(notice.payload.get("milestone_label", "")),
        "milestone_key": str(notice.payload.get("milestone", "")),
        "milestone_due": _date(notice.payload.get("milestone_due_on")),
        "facts": _facts(notice),
        "meets_on": _date(notice.payload.get("meets_on")),
        "pack_url": _pack_url(base_url, notice.payload),
        "log_head": str(notice.payload.get("log_head", "")),
        "period": f"{_date(notice.payload.get('from'))} to {_date(notice.payload.get('to'))}",
        "base_url": base_url.rstrip("/"),
    }
