"""The review's own ladder: the report owed to the quality assurer, chased in working days from the plan's import."""

from __future__ import annotations

from datetime import date

import pytest

from domain.ladders import (
    DEFAULT_LADDERS,
    REVIEW_LADDERS,
    Anchor,
    CatchUp,
    InvalidLadder,
    Ladder,
    LadderName,
    LadderStep,
    parse_step,
)
from domain.milestone_ladder import MilestoneDue, due_day, milestone_due, review_ladder
from domain.milestones import Recorded, ReviewMilestone, standing
from domain.roles import Role
from workflows.runtime.working_days import england_and_wales

CAL = england_and_wales()
SUBMISSION = DEFAULT_LADDERS[LadderName.REPORT_SUBMISSION]
IMPORTED = date(2013, 10, 1)
"""A Tuesday; no bank holiday falls in the twelve weeks after it before Christmas Day."""


def test_the_default_ladder_reminds_at_20_is_overdue_at_40_and_escalates_at_60_working_days() -> None:
    days = {s.key: SUBMISSION.due_on(s, IMPORTED, CAL) for s in SUBMISSION.steps}
    assert days == {"reminder": date(2013, 10, 29), "overdue": date(2013, 11, 26), "escalation": date(2013, 12, 24)}
    assert SUBMISSION.anchor is Anchor.IMPORTED_ON
    assert {s.key: s.notify for s in SUBMISSION.steps} == {
        "reminder": (Role.COORDINATOR,),
        "overdue": (Role.COORDINATOR, Role.PARTNERSHIP_ASSURER),
        "escalation": (Role.PARTNERSHIP_ASSURER, Role.COORDINATOR),
    }


def test_working_days_skip_the_christmas_bank_holidays() -> None:
    """Imported on 3 December 2012: Christmas Day, Boxing Day and New Year's Day are not counted."""
    reminder = SUBMISSION.steps[0]
    assert SUBMISSION.due_on(reminder, date(2012, 12, 3), CAL) == date(2013, 1, 3)


def test_the_submission_is_due_on_the_overdue_steps_day() -> None:
    assert due_day(SUBMISSION, IMPORTED, CAL) == date(2013, 11, 26)


def test_without_an_overdue_step_the_first_escalation_says_when_it_was_due() -> None:
    ladder = Ladder(
        LadderName.REPORT_SUBMISSION,
        Anchor.IMPORTED_ON,
        (
            LadderStep("nudge", 10, (Role.COORDINATOR,), "reminder"),
            LadderStep("board", 30, (Role.PARTNERSHIP_ASSURER,), "escalation"),
        ),
    )
    assert due_day(ladder, IMPORTED, CAL) == CAL.add_working_days(IMPORTED, 30)


@pytest.mark.parametrize(
    ("imported_on", "signed_off", "recorded", "running"),
    [
        (IMPORTED, False, set(), True),
        (IMPORTED, False, {ReviewMilestone.FAMILY_INFORMED}, True),
        (None, False, set(), False),  # imported before dhrflow kept the day: nothing to count from
        (IMPORTED, True, set(), False),
        (IMPORTED, False, {ReviewMilestone.REPORT_SUBMITTED}, False),
        (IMPORTED, False, {ReviewMilestone.PUBLISHED}, False),
    ],
)
def test_the_ladder_runs_until_the_report_is_sent_published_or_the_plan_signed_off(
    imported_on: date | None, signed_off: bool, recorded: set[ReviewMilestone], running: bool
) -> None:
    found = review_ladder(imported_on, signed_off, recorded)
    assert found == (LadderName.REPORT_SUBMISSION if running else None)


def test_overdue_the_day_after_it_was_due_not_on_it() -> None:
    ladders = dict(DEFAULT_LADDERS)
    on_the_day = milestone_due(ladders, IMPORTED, False, (), date(2013, 11, 26), CAL)
    after = milestone_due(ladders, IMPORTED, False, (), date(2013, 11, 27), CAL)
    assert on_the_day == MilestoneDue(ReviewMilestone.REPORT_SUBMITTED, date(2013, 11, 26), False)
    assert after == MilestoneDue(ReviewMilestone.REPORT_SUBMITTED, date(2013, 11, 26), True)
    assert on_the_day.words() == "submission due by 2013-11-26"
    assert after.words() == "submission overdue since 2013-11-26"
    assert milestone_due(ladders, IMPORTED, False, {ReviewMilestone.REPORT_SUBMITTED}, date(2014, 1, 1), CAL) is None


def test_where_a_review_stands_says_what_it_owes_until_something_is_recorded() -> None:
    owed = MilestoneDue(ReviewMilestone.REPORT_SUBMITTED, date(2013, 11, 26), True)
    assert standing([], owed) == "submission overdue since 2013-11-26"
    assert standing([], MilestoneDue(ReviewMilestone.REPORT_SUBMITTED, date(2013, 11, 26), False)) == (
        "not yet submitted (submission due by 2013-11-26)"
    )
    submitted = [Recorded(ReviewMilestone.REPORT_SUBMITTED, date(2013, 11, 1), "Cora")]
    assert standing(submitted, None) == "submitted 2013-11-01"


def test_a_review_ladder_tells_the_coordinator_and_the_partnership_not_an_agency() -> None:
    assert LadderName.REPORT_SUBMISSION in REVIEW_LADDERS
    with pytest.raises(InvalidLadder, match="this ladder tells the coordinator, partnership_assurer, not the director"):
        Ladder(
            LadderName.REPORT_SUBMISSION,
            Anchor.IMPORTED_ON,
            (parse_step(LadderName.REPORT_SUBMISSION, "late:40:escalation:director"),),
        )
    with pytest.raises(InvalidLadder, match="not the coordinator"):
        Ladder(
            LadderName.LEAD_OFFICER,
            Anchor.TARGET_DATE,
            (parse_step(LadderName.LEAD_OFFICER, "late:5:escalation:coordinator"),),
        )


def test_a_review_ladder_has_no_step_before_the_import() -> None:
    with pytest.raises(InvalidLadder, match="counts from the day the plan was imported"):
        Ladder(
            LadderName.REPORT_SUBMISSION,
            Anchor.IMPORTED_ON,
            (LadderStep("early", -5, (Role.COORDINATOR,), "reminder"),),
        )


def test_a_review_found_long_overdue_fires_only_its_escalation() -> None:
    climb = SUBMISSION.climb(IMPORTED, date(2026, 11, 26), CAL, (), CatchUp.HIGHEST_ONLY)
    assert [s.key for s in climb.fires] == ["escalation"]
    assert [s.key for s in climb.passed_over] == ["reminder", "overdue"]
