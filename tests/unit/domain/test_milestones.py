"""The review's timeline rules: what each milestone needs, refusals in one line naming both, words from the
review's kind, and targets counted from publication."""

from __future__ import annotations

from datetime import date

import pytest

from documents.dates import read_after_event
from domain.errors import ErrorKind
from domain.milestones import (
    KindWords,
    MilestoneRefused,
    MilestoneRequest,
    Recorded,
    ReviewMilestone,
    awaiting_words,
    check_record,
    label,
    next_milestone,
    parse_milestone,
    standing,
)
from domain.roles import Role
from domain.target_dates import AfterEvent

M = ReviewMilestone
TODAY = date(2024, 6, 1)
SUBMITTED = Recorded(M.REPORT_SUBMITTED, date(2024, 1, 10), "Cora Ord")
PUBLISHED = Recorded(M.PUBLISHED, date(2024, 3, 1), "Cora Ord", url="https://bcsp.test/dhr")


def refusal(request: MilestoneRequest, recorded: list[Recorded], role: Role = Role.COORDINATOR) -> MilestoneRefused:
    with pytest.raises(MilestoneRefused) as refused:
        check_record("BDHR-2011", role, request, recorded, TODAY)
    return refused.value


@pytest.mark.parametrize(
    ("milestone", "needs"),
    [(M.PANEL_LETTER, M.REPORT_SUBMITTED), (M.PUBLISHED, M.REPORT_SUBMITTED), (M.TAKEN_DOWN, M.PUBLISHED)],
)
def test_a_milestone_before_the_one_it_needs_is_refused_in_one_line_naming_both(
    milestone: ReviewMilestone, needs: ReviewMilestone
) -> None:
    url = "https://bcsp.test/dhr" if milestone is M.PUBLISHED else ""
    refused = refusal(MilestoneRequest(milestone, date(2024, 5, 1), url), [])
    assert str(refused) == f"{milestone} needs {needs}, not recorded for BDHR-2011"
    assert refused.kind is ErrorKind.NOT_NOW


def test_publication_needs_the_submission_but_not_the_panel_letter() -> None:
    check_record(
        "BDHR-2011",
        Role.COORDINATOR,
        MilestoneRequest(M.PUBLISHED, date(2024, 3, 1), "https://x.gov.uk/r"),
        [SUBMITTED],
        TODAY,
    )


def test_the_family_may_be_told_at_any_time() -> None:
    check_record(
        "BDHR-2011", Role.PARTNERSHIP_ASSURER, MilestoneRequest(M.FAMILY_INFORMED, date(2023, 1, 1)), [], TODAY
    )


def test_a_date_before_the_milestone_it_needs_is_refused() -> None:
    refused = refusal(MilestoneRequest(M.PUBLISHED, date(2024, 1, 9), "https://x.gov.uk/r"), [SUBMITTED])
    assert str(refused) == (
        "published on 2024-01-09 is before report_submitted_to_home_office on 2024-01-10 for BDHR-2011"
    )


def test_a_day_still_to_come_is_refused_and_today_is_not() -> None:
    assert "is a day still to come (today is 2024-06-01)" in str(
        refusal(MilestoneRequest(M.REPORT_SUBMITTED, date(2024, 6, 2)), [])
    )
    check_record("BDHR-2011", Role.COORDINATOR, MilestoneRequest(M.REPORT_SUBMITTED, TODAY), [], TODAY)


def test_the_same_milestone_twice_says_what_was_recorded_and_when() -> None:
    refused = refusal(MilestoneRequest(M.PUBLISHED, date(2024, 4, 1), "https://x.gov.uk/r"), [SUBMITTED, PUBLISHED])
    assert str(refused) == "published is recorded for BDHR-2011 already: on 2024-03-01 by Cora Ord"


@pytest.mark.parametrize("role", [Role.LEAD_OFFICER, Role.DIRECTOR, Role.COMMISSIONER, Role.VIEWER])
def test_only_the_coordinator_and_the_partnership_assurer_record_milestones(role: Role) -> None:
    refused = refusal(MilestoneRequest(M.REPORT_SUBMITTED, TODAY), [], role)
    assert refused.kind is ErrorKind.NOT_YOURS


@pytest.mark.parametrize(
    "url", ["", "ftp://x.gov.uk/r", "javascript:alert(1)", "https://", "https://x.gov.uk/a b", "x.gov.uk/r"]
)
def test_publication_needs_an_http_address(url: str) -> None:
    refused = refusal(MilestoneRequest(M.PUBLISHED, date(2024, 3, 1), url), [SUBMITTED])
    assert "--url" in str(refused) and refused.kind is ErrorKind.BAD_INPUT


def test_detail_a_milestone_does_not_take_is_refused() -> None:
    assert "takes none" in str(refusal(MilestoneRequest(M.REPORT_SUBMITTED, TODAY, "https://x.gov.uk"), []))
    assert "takes none" in str(refusal(MilestoneRequest(M.REPORT_SUBMITTED, TODAY, points=("a point",)), []))


def test_an_unknown_milestone_names_the_ones_there_are() -> None:
    with pytest.raises(MilestoneRefused, match=r"'publishd' is not a milestone .*published, taken_down"):
        parse_milestone("publishd")


def test_labels_are_worded_from_the_review_kind() -> None:
    assert label(M.REPORT_SUBMITTED, KindWords()) == "Report submitted to the Home Office"
    sar = KindWords("the Safeguarding Adults Board", "the Safeguarding Adults Board")
    assert label(M.REPORT_SUBMITTED, sar) == "Report submitted to the Safeguarding Adults Board"
    assert label(M.PANEL_LETTER, sar) == "Letter received from the Safeguarding Adults Board"


def test_what_is_next_and_where_the_review_stands() -> None:
    assert (next_milestone([]), standing([])) == (M.REPORT_SUBMITTED, "not yet submitted")
    assert (next_milestone([SUBMITTED]), standing([SUBMITTED])) == (M.PANEL_LETTER, "submitted 2024-01-10")
    assert (next_milestone([SUBMITTED, PUBLISHED]), standing([SUBMITTED, PUBLISHED])) == (None, "published 2024-03-01")


@pytest.mark.parametrize(
    ("published", "months", "target"),
    [
        (date(2024, 3, 1), 6, date(2024, 9, 1)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # the month's end when the day is not in it (a leap year)
        (date(2013, 8, 31), 6, date(2014, 2, 28)),
        (date(2024, 11, 15), 3, date(2025, 2, 15)),  # into the next year
        (date(2024, 1, 31), 12, date(2025, 1, 31)),
    ],
)
def test_a_target_counted_from_publication(published: date, months: int, target: date) -> None:
    assert AfterEvent(months, "publication").date_from(published) == target


@pytest.mark.parametrize(
    ("text", "after"),
    [
        ("Within 6 months of publication", AfterEvent(6, "publication")),
        ("within twelve months of the report's publication", AfterEvent(12, "publication")),
        ("3 months after publication", AfterEvent(3, "publication")),
        ("31/03/2014", None),
        ("Ongoing", None),
        ("", None),
    ],
)
def test_the_importer_reads_a_period_from_publication(text: str, after: AfterEvent | None) -> None:
    assert read_after_event(text) == after


def test_a_target_waiting_on_publication_says_so() -> None:
    assert awaiting_words(AfterEvent(6, "publication")) == "6 months after publication (not yet published)"
    assert AfterEvent(1, "publication").describe() == "1 month after publication"
