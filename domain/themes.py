"""Themes on actions: a starter vocabulary, suggestions from an action's text, and the tally across reviews.

A suggestion is explainable: each theme comes with the words of the text that
matched one of its phrases. A phrase matches whole words, case and spacing
ignored, with a plural or possessive ending (``carer`` matches "carers'", ``dash``
does not match "dashboard"); a phrase ending in ``*`` is a stem and matches any
word it starts (``prescri*`` matches "prescribing"). A partnership's
coordinator adds themes of their own; the starter ones cannot be changed, so a
report means the same thing in every partnership.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from domain.errors import ThemeRefused
from domain.states import State


@dataclass(frozen=True)
class Theme:
    key: str
    label: str
    phrases: tuple[str, ...]


STARTER: tuple[Theme, ...] = (
    Theme("carers_assessment", "Carers' assessments", ("carer", "carers assessment", "caring role", "young carer")),
    Theme(
        "medication_compliance",
        "Medication compliance",
        ("medication", "prescri*", "compliance with medic*", "depot", "non-compliance", "non compliance"),
    ),
    Theme(
        "record_keeping", "Record keeping", ("record keeping", "recording", "case record", "records", "documentation")
    ),
    Theme(
        "information_sharing",
        "Information sharing",
        ("information sharing", "share information", "sharing of information", "disclos*", "communicat*"),
    ),
    Theme(
        "mha_s136",
        "Mental Health Act s136",
        ("s136", "s.136", "sec.136", "sec 136", "section 136", "mental health act", "place of safety"),
    ),
    Theme(
        "risk_assessment", "Risk assessment (DASH/MARAC)", ("risk assessment", "dash", "marac", "risk identification")
    ),
    Theme("training", "Training and awareness", ("training", "awareness", "briefing", "learning event", "e-learning")),
    Theme("safeguarding_referral", "Safeguarding referrals", ("safeguarding", "referral", "refer", "referred")),
    Theme(
        "substance_misuse", "Substance misuse", ("alcohol", "substance misuse", "substance use", "drug", "addiction")
    ),
    Theme("housing", "Housing", ("housing", "homeless*", "tenan*", "accommodation", "landlord")),
    Theme("mental_health", "Mental health services", ("mental health", "psychiatr*", "crisis team", "care coordinat*")),
    Theme("policy_procedure", "Policy and procedure", ("policy", "procedure", "protocol", "guidance")),
    Theme("domestic_abuse_routine_enquiry", "Routine enquiry about domestic abuse", ("routine enquiry", "ask about")),
)
"""The vocabulary every partnership starts with (keep it data: tests and the README are made from it)."""

THEME_CONFIRMED = "theme_confirmed"
THEME_REMOVED = "theme_removed"
"""The decisions a coordinator takes on an action's themes."""

_KEY = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


@dataclass(frozen=True)
class Suggestion:
    theme: str
    matched: tuple[str, ...]
    """The words of the text that matched, as written there: why the theme is suggested."""


def _pattern(phrase: str) -> re.Pattern[str]:
    stem = phrase.strip().endswith("*")
    words = [re.escape(w) for w in phrase.strip().rstrip("*").lower().split()]
    ending = r"\w*" if stem else r"(?:'s|s'|es|s|')?(?!\w)"
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + ending, re.IGNORECASE)


def suggest(text: str, vocabulary: Iterable[Theme]) -> list[Suggestion]:
    """The themes whose phrases occur in ``text``, in vocabulary order, each with the words that matched."""
    found: list[Suggestion] = []
    for theme in vocabulary:
        matched: list[str] = []
        for phrase in theme.phrases:
            for m in _pattern(phrase).finditer(text):
                word = " ".join(m.group(0).split())
                if word.lower() not in (w.lower() for w in matched):
                    matched.append(word)
        if matched:
            found.append(Suggestion(theme.key, tuple(matched)))
    return found


def check_new_theme(key: str, label: str, phrases: Sequence[str], vocabulary: Iterable[Theme]) -> Theme:
    """A theme a coordinator adds, once it is well formed and new.

    Raises:
        ThemeRefused: a key that is not lower_snake_case (2-40), no label, no phrase, or a key taken.
    """
    if not _KEY.match(key):
        raise ThemeRefused(f"theme key {key!r}: use lower_snake_case letters and digits, 2 to 40 of them")
    if not label.strip() or len(label) > 100:
        raise ThemeRefused("give the theme a label of at most 100 characters")
    cleaned = tuple(p.strip().lower() for p in phrases if p.strip())
    if not cleaned:
        raise ThemeRefused("give at least one phrase that suggests the theme")
    if any(t.key == key for t in vocabulary):
        raise ThemeRefused(f"theme {key!r} is already in the vocabulary")
    return Theme(key, label.strip(), cleaned)


def theme_named(name: str, vocabulary: Iterable[Theme]) -> Theme:
    """The theme whose key or label is ``name`` (case ignored).

    Raises:
        ThemeRefused: no such theme.
    """
    wanted = name.strip().lower()
    themes = list(vocabulary)
    for theme in themes:
        if wanted in (theme.key, theme.label.lower()):
            return theme
    raise ThemeRefused(f"no theme {name!r}: one of {', '.join(t.key for t in themes)}")


OUTCOMES = ("assured", "withdrawn", "overdue", "open")


def outcome(state: State, target_date: date | None, today: date) -> str:
    """Where an action ended up, for the report: assured, withdrawn, overdue (past its date, not done), open."""
    if state is State.PARTNERSHIP_ASSURED:
        return "assured"
    if state is State.WITHDRAWN:
        return "withdrawn"
    if target_date is not None and target_date < today:
        return "overdue"
    return "open"


@dataclass
class ThemeTally:
    """One theme across the reviews a report covers."""

    theme: str
    label: str
    actions: int = 0
    reviews: set[tuple[str, str]] = field(default_factory=set)
    """(partnership, review ref) pairs."""
    partnerships: set[str] = field(default_factory=set)
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))

    @property
    def recurs(self) -> bool:
        """Whether the lesson came back: the theme is on actions of more than one review."""
        return len(self.reviews) > 1


@dataclass(frozen=True)
class ThemedAction:
    partnership: str
    review_ref: str
    theme: str
    state: State
    target_date: date | None


def tally(rows: Iterable[ThemedAction], labels: dict[str, str], today: date) -> list[ThemeTally]:
    """Per theme, its actions, reviews, partnerships and outcomes; recurring first, then by reviews and actions."""
    by_theme: dict[str, ThemeTally] = {}
    for row in rows:
        t = by_theme.setdefault(row.theme, ThemeTally(row.theme, labels.get(row.theme, row.theme)))
        t.actions += 1
        t.reviews.add((row.partnership, row.review_ref))
        t.partnerships.add(row.partnership)
        t.outcomes[outcome(row.state, row.target_date, today)] += 1
    return sorted(by_theme.values(), key=lambda t: (-len(t.reviews), -t.actions, t.label))
