"""Overdue milestones on the ladder: the report the review owes its quality assurer, chased like an action.

A review's plan is written near the end of the review, which the statutory guidance expects completed and sent
to the Home Office within about six months of the decision to hold it. So once the plan is imported
(``review.imported_on``) the report should follow within weeks: the ``report_submission`` ladder counts working
days from that day (``domain.ladders.DEFAULT_LADDERS``: a reminder at 20, overdue at 40, escalated at 60) and
stops when ``report_submitted_to_home_office`` is recorded, or the review is published or signed off.

Decided: only the submission is chased. The guidance holds a partnership to sending the report; what follows
waits on others (the panel's letter comes when the panel has met; publication waits on the letter, the family
and the coroner or a trial), and no term for it is set that a ladder could count to. Publication and the
panel's letter are recorded when they happen (``domain.milestones``), never chased.

The milestone is due on the day of its ladder's first ``overdue`` step (else its first escalation, else its last
step): the reminder before it says it is coming, the escalations after it say it is late.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from domain.ladders import ESCALATION, Ladder, LadderName
from domain.milestones import ReviewMilestone
from domain.working_days import WorkingCalendar

CHASES: Mapping[LadderName, ReviewMilestone] = {LadderName.REPORT_SUBMISSION: ReviewMilestone.REPORT_SUBMITTED}
"""The milestone each review ladder chases."""

STOPPED_BY: Mapping[LadderName, frozenset[ReviewMilestone]] = {
    LadderName.REPORT_SUBMISSION: frozenset({ReviewMilestone.REPORT_SUBMITTED, ReviewMilestone.PUBLISHED}),
}
"""The milestones that end each review ladder once recorded (publication needs the submission anyway: a review
entered with its publication alone has nothing left to chase)."""

SHORT = {ReviewMilestone.REPORT_SUBMITTED: "submission"}
"""What a line of a list calls the chased milestone: "submission overdue since ..."."""


def review_ladder(
    imported_on: date | None, signed_off: bool, recorded: Collection[ReviewMilestone]
) -> LadderName | None:
    """The ladder a review climbs now: the submission's while its plan is imported, the review not signed off,
    and neither its submission nor its publication recorded; ``None`` otherwise."""
    if imported_on is None or signed_off:
        return None
    name = LadderName.REPORT_SUBMISSION
    if STOPPED_BY[name] & set(recorded):
        return None
    return name


def due_day(ladder: Ladder, anchor: date, calendar: WorkingCalendar) -> date:
    """The day the milestone ``ladder`` chases is due: its first ``overdue`` step's, else its first
    escalation's, else its last step's."""
    step = next(
        (s for s in ladder.steps if s.kind == "overdue"),
        next((s for s in ladder.steps if s.kind == ESCALATION), ladder.steps[-1]),
    )
    return ladder.due_on(step, anchor, calendar)


@dataclass(frozen=True)
class MilestoneDue:
    """The milestone a review's ladder chases, the day it is due, and whether that day has passed."""

    milestone: ReviewMilestone
    due_on: date
    overdue: bool

    def words(self) -> str:
        """ "submission due by 2025-03-14", "submission overdue since 2025-03-14"."""
        short = SHORT.get(self.milestone, str(self.milestone).replace("_", " "))
        if self.overdue:
            return f"{short} overdue since {self.due_on.isoformat()}"
        return f"{short} due by {self.due_on.isoformat()}"


def milestone_due(
    ladders: Mapping[LadderName, Ladder],
    imported_on: date | None,
    signed_off: bool,
    recorded: Collection[ReviewMilestone],
    today: date,
    calendar: WorkingCalendar,
) -> MilestoneDue | None:
    """What the review owes and by when, under the partnership's ``ladders``; ``None`` when nothing is chased.
    Overdue once ``today`` is past the day it was due."""
    name = review_ladder(imported_on, signed_off, recorded)
    if name is None or imported_on is None:
        return None
    day = due_day(ladders[name], imported_on, calendar)
    return MilestoneDue(CHASES[name], day, today > day)
