"""Review kinds: a Domestic Abuse Related Death Review, a Safeguarding Adults Review, a Child Safeguarding Practice
Review. The same shape (recommendations, actions, evidence, assurance) serves them all; what differs is words:
the kind's name, who quality-assures its report, what its documents call it. Those are data (table
``review_kind``), so a new kind, or a body renamed, needs no release.

A document says what it is in its title ("Domestic Homicide Review Action Plan", "Safeguarding Adults Review
'Adult B' - Action Plan"); ``kind_named_in`` reads it by the kinds' names and aliases, the longest match first, a
short alias ("SAR", "DHR") only as a word of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from domain.errors import DomainError

DEFAULT_KIND = "dardr"
"""The kind of a review that says nothing else: a Domestic Abuse Related Death Review (a DHR until 2024)."""


class UnknownReviewKind(DomainError):
    """A kind named that is not among the kinds; the message lists the known ones."""

    def __init__(self, key: str, known: Iterable[str]) -> None:
        self.key = key
        super().__init__(f"--kind {key!r} is not a review kind; the kinds are: {', '.join(known)}")


@dataclass(frozen=True)
class ReviewKind:
    key: str
    """``dardr``, ``sar``, ``cspr``: what a review row stores."""
    name: str
    """"Domestic Abuse Related Death Review"."""
    abbreviation: str
    """"DARDR", shown in labels."""
    quality_assurer: str
    """Who quality-assures the report before publication: "the Home Office quality-assurance panel"."""
    aliases: tuple[str, ...] = ()
    """Other names documents use: "Domestic Homicide Review", "DHR"."""
    vocabulary: Mapping[str, str] = field(default_factory=dict)
    """Further words by key: ``submitted_to`` (the body the report goes to), ``former_name``."""

    def word(self, key: str, default: str = "") -> str:
        """The kind's word for ``key`` (``submitted_to``, ``former_name``), or ``default``."""
        return self.vocabulary.get(key, default)

    def label(self, ref: str) -> str:
        """A review's label: "DARDR BDHR2011/12-03"."""
        return f"{self.abbreviation} {ref}"

    def to_json(self) -> dict[str, str]:
        return {"key": self.key, "name": self.name, "abbreviation": self.abbreviation}


def names_of(kind: ReviewKind) -> tuple[str, ...]:
    """Every name ``kind`` goes by, its own first."""
    return (kind.name, *kind.aliases)


def kind_named_in(text: str, kinds: Iterable[ReviewKind]) -> tuple[ReviewKind, str] | None:
    """The kind ``text`` (a title or heading) calls itself, and the name it used; ``None`` when it names none.

    The longest name found wins ("Local Child Safeguarding Practice Review" over "Child Safeguarding Practice
    Review"), in any case; a name is matched as whole words, so "SAR" is not read in "SARAH" nor "DHR" in "BDHR".
    """
    best: tuple[int, ReviewKind, str] | None = None
    for kind in kinds:
        for name in names_of(kind):
            if not name.strip():
                continue
            pattern = r"(?<![A-Za-z0-9])" + re.escape(name.strip()) + r"(?![A-Za-z0-9])"
            found = re.search(pattern, text, flags=re.IGNORECASE)
            if found and (best is None or len(name) > best[0]):
                best = (len(name), kind, found.group(0))
    return (best[1], best[2]) if best else None


def former_name_used(kind: ReviewKind, used: str) -> str:
    """The name a document used for its kind, when it is not the kind's own (an older plan's "Domestic Homicide
    Review"): shown beside the kind's name in exports. Empty for the kind's own name or an abbreviation."""
    if used.strip().lower() in {kind.name.lower(), kind.abbreviation.lower()}:
        return ""
    return used if " " in used.strip() else ""


def former_name_of(kind: ReviewKind, used: str) -> str:
    """The former name ``used`` (``former_name_used``'s answer) as the kind's vocabulary words it, where it does
    ("Domestic Homicide Review (until 2024)"), else as the document wrote it; "" for none."""
    if not used.strip():
        return ""
    worded = kind.word("former_name")
    return worded if worded.casefold().startswith(used.strip().casefold()) else used.strip()


def described(kind: ReviewKind, former: str = "") -> str:
    """The kind as an export states it: "Safeguarding Adults Review (SAR)"; with the former name a plan used,
    "Domestic Abuse Related Death Review (DARDR), formerly Domestic Homicide Review (until 2024)"."""
    said = f"{kind.name} ({kind.abbreviation})"
    shown = former_name_of(kind, former)
    return f"{said}, formerly {shown}" if shown else said


def kind_by_key(key: str, kinds: Iterable[ReviewKind]) -> ReviewKind:
    """The kind ``key`` names (in any case).

    Raises:
        UnknownReviewKind: no kind has that key; the message lists those there are.
    """
    listed = list(kinds)
    wanted = key.strip().lower()
    for kind in listed:
        if kind.key == wanted:
            return kind
    raise UnknownReviewKind(key, [k.key for k in listed])
