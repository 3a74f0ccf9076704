"""The public version of a plan: people's names replaced by their role and agency, internal text left out.

What goes: every name (and email address) of a person the tracker holds,
wherever it appears in the plan's text, becomes "[role, agency]"; the Written
Evidence/ Location column (where the evidence is kept is internal); the
progress notes recorded in the tracker (the lead officers' internal notes; the
plan's own Outcome/Progress text stays); columns kept beyond the plan's own;
the names of who verified and assured (their role and agency stay). The
version says so at its top. Names typed into the plan of people the tracker
does not hold cannot be known: whoever publishes reads it first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

from documents.plan_out import COLUMNS, Check, Plan, PlanAction
from domain.model import ActionColumns

EVIDENCE_COLUMN = "evidence_location"


@dataclass(frozen=True)
class Named:
    """A person the tracker holds, and how the public version names them instead."""

    name: str
    email: str
    role: str
    agency: str
    """Their agency's name, or the partnership's short name for its own staff."""

    @property
    def label(self) -> str:
        return f"[{self.role}, {self.agency}]"


class Redactor:
    """Replaces the names and emails of ``people`` in any text (case and spacing ignored, whole words only)."""

    def __init__(self, people: Sequence[Named]) -> None:
        labels: dict[str, str] = {}
        for person in people:
            for text in (person.name, person.email):
                if text.strip():
                    labels.setdefault(" ".join(text.split()).casefold(), person.label)
        self._labels = labels
        # Longest first: "Jo Anne Smith" is replaced before a "Jo Anne" could take part of it.
        names = sorted(labels, key=len, reverse=True)
        parts = [r"\s+".join(re.escape(word) for word in name.split()) for name in names]
        self._pattern = re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE) if parts else None

    def __call__(self, text: str) -> str:
        if self._pattern is None or not text:
            return text
        return self._pattern.sub(lambda m: self._labels[" ".join(m.group(0).split()).casefold()], text)


def public_version(plan: Plan, people: Sequence[Named]) -> Plan:
    """``plan`` fit to publish, with a statement of what was removed."""
    redact = Redactor(people)
    extras = any(a.columns.extra for a in plan.actions)
    removed = [
        "the names of people recorded in the tracker, each replaced by their role and agency",
        "the Written Evidence/ Location column",
        "progress notes recorded in the tracker (the Outcome/Progress text is the plan's own)",
        "who verified and assured each action (their role and agency are kept)",
    ]
    if extras:
        removed.append("columns beyond the plan's own")
    if plan.notes:
        assurer = plan.kind.quality_assurer if plan.kind else ""
        removed.append(f"the plan's notes (such as {assurer}'s queries)" if assurer else "the plan's notes")
    return replace(
        plan,
        partnership=redact(plan.partnership),
        title=redact(plan.title),
        actions=tuple(_public_action(a, redact) for a in plan.actions),
        removed=tuple(removed),
        notes=(),
        columns=tuple((header, name) for header, name in COLUMNS if name != EVIDENCE_COLUMN),
    )


def _public_action(action: PlanAction, redact: Redactor) -> PlanAction:
    columns = ActionColumns()  # extra columns left out
    for f in fields(ActionColumns):
        if f.name not in ("extra", EVIDENCE_COLUMN):
            setattr(columns, f.name, redact(getattr(action.columns, f.name)))
    return replace(
        action,
        agency=redact(action.agency),
        recommendation=redact(action.recommendation),
        columns=columns,
        progress=None,
        checks=tuple(Check(c.verb, "", c.role, redact(c.agency), c.on) for c in action.checks),
    )
