"""The review's own timeline: the dated steps of a review as a whole, after its plan is written.

The statutory guidance has the partnership send the report to the quality assurer (for a DARDR the Home
Office panel), answer the panel's letter, tell the family, publish (and keep the report online), and in the
end take it down. Each step is a milestone, recorded once as a decision with the day it happened. A step
needs the ones before it (``NEEDS``): a report is published after it was submitted, and taken down after it
was published; each on or after the day of the step it needs, and never on a day still to come.

Decided: ``published`` needs the submission but not the panel's letter. The letter is what the guidance
publishes with the report, but a SAR or a CSPR has no such letter (their assurers answer otherwise), and a
partnership entering a review published years ago often no longer has the letter's date: refusing the
publication would leave its targets counted from publication without a date for ever.

The words are the review kind's (``review_kind``): "Report submitted to the Home Office" for a DARDR, "...
to the Safeguarding Adults Board" for a SAR. The keys stay the same for every kind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Protocol
from urllib.parse import urlsplit

from domain.errors import DomainError, ErrorKind
from domain.review_kinds import ReviewKind
from domain.roles import Role
from domain.target_dates import AfterEvent


class ReviewMilestone(StrEnum):
    REPORT_SUBMITTED = "report_submitted_to_home_office"
    """The overview report, executive summary and plan went to the quality assurer."""
    PANEL_LETTER = "panel_letter_received"
    """The quality assurer's letter came back; its points are kept as notes of the review."""
    FAMILY_INFORMED = "family_informed"
    """The family was told of the report and its publication."""
    PUBLISHED = "published"
    """The report is online (the address is kept): targets counted from publication get their dates."""
    TAKEN_DOWN = "taken_down"
    """The report is no longer online."""


ORDER = tuple(ReviewMilestone)
"""The order the timeline shows them in."""

NEEDS: Mapping[ReviewMilestone, ReviewMilestone] = {
    ReviewMilestone.PANEL_LETTER: ReviewMilestone.REPORT_SUBMITTED,
    ReviewMilestone.PUBLISHED: ReviewMilestone.REPORT_SUBMITTED,
    ReviewMilestone.TAKEN_DOWN: ReviewMilestone.PUBLISHED,
}
"""The milestone each needs recorded before it (and dated no later than itself). The family may be told
at any time, before submission as the guidance advises or after."""

NEXT = (ReviewMilestone.REPORT_SUBMITTED, ReviewMilestone.PANEL_LETTER, ReviewMilestone.PUBLISHED)
"""The steps a review is expected to take, in turn: "what is next" is the first not recorded. The family and a
taking down are recorded when they happen, never chased."""

RECORDED_BY = (Role.COORDINATOR, Role.PARTNERSHIP_ASSURER)
"""Who records a milestone: the coordinator, and the partnership's DHR lead (the partnership assurer), who in
many partnerships is the one who sends the report and answers the panel."""

MILESTONE_RECORDED = "milestone_recorded"
"""The decision recording a milestone: about the review."""
TARGET_DATED = "target_dated"
"""The decision giving an action its target date counted from publication: it changes the action."""

PUBLICATION = "publication"
"""The event of ``AfterEvent`` that ``published`` dates."""


@dataclass(frozen=True)
class KindWords:
    """What a review kind calls the body its report goes to and the one that quality-assures it."""

    submitted_to: str = "the Home Office"
    quality_assurer: str = "the Home Office quality-assurance panel"

    @classmethod
    def of(cls, kind: ReviewKind) -> KindWords:
        """The kind's words: its ``submitted_to``, else its quality assurer, whom the report then goes to."""
        return cls(kind.word("submitted_to") or kind.quality_assurer, kind.quality_assurer)


def label(milestone: ReviewMilestone, words: KindWords) -> str:
    """The milestone as people read it, in the review kind's words."""
    if milestone is ReviewMilestone.REPORT_SUBMITTED:
        return f"Report submitted to {words.submitted_to}"
    if milestone is ReviewMilestone.PANEL_LETTER:
        return f"Letter received from {words.quality_assurer}"
    return {
        ReviewMilestone.FAMILY_INFORMED: "Family informed",
        ReviewMilestone.PUBLISHED: "Published",
        ReviewMilestone.TAKEN_DOWN: "Taken down",
    }[milestone]


@dataclass(frozen=True)
class Recorded:
    """A milestone as recorded: the day it happened, by whom, and what it carries."""

    milestone: ReviewMilestone
    happened_on: date
    recorded_by: str
    """The name of the person who recorded it."""
    url: str = ""
    """Where the report is published (``published`` only)."""
    points: tuple[str, ...] = ()
    """The panel letter's points (``panel_letter_received`` only), kept as notes dated with the letter."""


@dataclass(frozen=True)
class MilestoneRequest:
    milestone: ReviewMilestone
    on: date
    url: str = ""
    points: tuple[str, ...] = field(default_factory=tuple)


class MilestoneRefused(DomainError):
    """A milestone that cannot be recorded as asked; the message names the review and what is wrong."""

    def __init__(self, problem: str, kind: ErrorKind = ErrorKind.BAD_INPUT) -> None:
        self.kind = kind
        super().__init__(problem)


def parse_milestone(name: str) -> ReviewMilestone:
    """The milestone called ``name``.

    Raises:
        MilestoneRefused: no milestone has that name.
    """
    try:
        return ReviewMilestone(name.strip())
    except ValueError:
        known = ", ".join(ORDER)
        raise MilestoneRefused(f"{name!r} is not a milestone ({known})") from None


def check_record(
    review_ref: str, role: Role, request: MilestoneRequest, recorded: Sequence[Recorded], today: date
) -> None:
    """May someone of ``role`` record ``request`` for the review, which has ``recorded`` already, on ``today``?

    Raises:
        MilestoneRefused: not theirs to record; recorded already; the milestone it needs is missing or later;
            a day still to come; an address that is not http(s) for ``published``; detail given to a milestone
            that takes none.
    """
    m = request.milestone
    if role not in RECORDED_BY:
        allowed = " or the ".join(r.label for r in RECORDED_BY)
        raise MilestoneRefused(
            f"{m} of {review_ref} is recorded by the {allowed}, not the {role.label}", ErrorKind.NOT_YOURS
        )
    by_name = {r.milestone: r for r in recorded}
    if (done := by_name.get(m)) is not None:
        raise MilestoneRefused(
            f"{m} is recorded for {review_ref} already: on {done.happened_on.isoformat()} by {done.recorded_by}",
            ErrorKind.NOT_NOW,
        )
    if request.on > today:
        raise MilestoneRefused(f"{m} on {request.on.isoformat()} is a day still to come (today is {today.isoformat()})")
    needed = NEEDS.get(m)
    if needed is not None:
        before = by_name.get(needed)
        if before is None:
            raise MilestoneRefused(f"{m} needs {needed}, not recorded for {review_ref}", ErrorKind.NOT_NOW)
        if request.on < before.happened_on:
            raise MilestoneRefused(
                f"{m} on {request.on.isoformat()} is before {needed} on {before.happened_on.isoformat()} "
                f"for {review_ref}"
            )
    if m is ReviewMilestone.PUBLISHED:
        check_url(request.url)
    elif request.url:
        raise MilestoneRefused(f"--url is the address a report is published at: {m} takes none")
    if request.points and m is not ReviewMilestone.PANEL_LETTER:
        raise MilestoneRefused(f"--point is a point of the panel's letter: {m} takes none")
    if any(not p.strip() for p in request.points):
        raise MilestoneRefused("--point is empty: give the point's text")


def check_url(url: str) -> None:
    """The address a report is published at: an http(s) URL with a host, on one line.

    Raises:
        MilestoneRefused: missing or not such an address.
    """
    if not url.strip():
        raise MilestoneRefused("published needs --url, the address the report is published at")
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or any(c.isspace() or ord(c) < 32 for c in url.strip())
    ):
        raise MilestoneRefused(f"--url {url!r} is not an http(s) address such as https://example.gov.uk/dhr-7")


def awaiting_words(after: AfterEvent) -> str:
    """A target counted from an event still to come, where a date would be shown: "6 months after
    publication (not yet published)"."""
    return f"{after.describe()} (not yet published)"


def next_milestone(recorded: Sequence[Recorded]) -> ReviewMilestone | None:
    """What the review is expected to record next; None once it is published."""
    done = {r.milestone for r in recorded}
    if ReviewMilestone.PUBLISHED in done:
        return None
    return next((m for m in NEXT if m not in done), None)


def published_on(recorded: Sequence[Recorded]) -> date | None:
    """The publication date, once recorded."""
    return next((r.happened_on for r in recorded if r.milestone is ReviewMilestone.PUBLISHED), None)


class Owed(Protocol):
    """What a review owes and by when (``domain.milestone_ladder.MilestoneDue``), as ``standing`` reads it."""

    @property
    def overdue(self) -> bool: ...

    def words(self) -> str: ...


def standing(recorded: Sequence[Recorded], owed: Owed | None = None) -> str:
    """Where the review stands, in a few words, from its latest step in ``ORDER``: "not yet submitted",
    "submitted 2024-03-01", "published 2024-09-30", ...; with what it ``owed`` while nothing is recorded yet:
    "not yet submitted (submission due by 2025-03-14)", "submission overdue since 2025-03-14"."""
    by_name = {r.milestone: r for r in recorded}
    for m, words in (
        (ReviewMilestone.TAKEN_DOWN, "taken down"),
        (ReviewMilestone.PUBLISHED, "published"),
        (ReviewMilestone.PANEL_LETTER, "panel letter"),
        (ReviewMilestone.REPORT_SUBMITTED, "submitted"),
    ):
        if (r := by_name.get(m)) is not None:
            return f"{words} {r.happened_on.isoformat()}"
    if owed is not None:
        return owed.words() if owed.overdue else f"not yet submitted ({owed.words()})"
    return "not yet submitted"
