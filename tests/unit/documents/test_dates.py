"""Target dates as plans write them: months mean their last day, numbers are day first."""

from __future__ import annotations

from datetime import date

import pytest

from documents.dates import parse_target_date, read_completion, read_milestones, read_target_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Apr-14", date(2014, 4, 30)),
        ("Apr 14", date(2014, 4, 30)),
        ("April 2014", date(2014, 4, 30)),
        ("April-2014", date(2014, 4, 30)),
        ("Dec-13", date(2013, 12, 31)),
        ("Jun-13", date(2013, 6, 30)),
        ("Sept 2013", date(2013, 9, 30)),
        ("sep-13", date(2013, 9, 30)),
    ],
)
def test_a_month_without_a_day_means_its_last_day(text: str, expected: date) -> None:
    assert parse_target_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Feb-16", date(2016, 2, 29)),
        ("Feb-15", date(2015, 2, 28)),
        ("February 2000", date(2000, 2, 29)),
        ("29/02/2016", date(2016, 2, 29)),
    ],
)
def test_february_ends_on_the_29th_in_leap_years(text: str, expected: date) -> None:
    assert parse_target_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30/11/2013", date(2013, 11, 30)),
        ("30.11.2013", date(2013, 11, 30)),
        ("30-11-13", date(2013, 11, 30)),
        ("01/02/2014", date(2014, 2, 1)),
        ("1/2/14", date(2014, 2, 1)),
        ("30 November 2013", date(2013, 11, 30)),
        ("1st Dec 2013", date(2013, 12, 1)),
    ],
)
def test_numeric_dates_are_read_day_first(text: str, expected: date) -> None:
    assert parse_target_date(text) == expected


def test_iso_dates_are_accepted() -> None:
    assert parse_target_date("2013-11-30") == date(2013, 11, 30)


def test_whitespace_around_the_date_is_ignored() -> None:
    assert parse_target_date("  Apr-14 \n") == date(2014, 4, 30)


@pytest.mark.parametrize("text", ["ongoing", "31/02/2014", "29/02/2015", "13/13/2013", "Q4 2014", "TBC", "Smarch-14"])
def test_text_that_is_no_date_reads_as_none(text: str) -> None:
    assert parse_target_date(text) is None


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_cell_is_no_date_and_no_anomaly(text: str) -> None:
    assert read_target_date(text) == (None, None)


def test_an_unreadable_date_comes_with_a_warning_quoting_it() -> None:
    assert read_target_date("TBC") == (None, "unreadable target date 'TBC' kept as text")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31.03.21", date(2021, 3, 31)),
        ("31st March 2021", date(2021, 3, 31)),
        ("March 31, 2021", date(2021, 3, 31)),
        ("31 Mar 21", date(2021, 3, 31)),
        ("Sept 2020", date(2020, 9, 30)),
        ("End of March 2021", date(2021, 3, 31)),
        ("By the end of March 2021", date(2021, 3, 31)),
        ("By 31/12/2016", date(2016, 12, 31)),
        ("by end of Dec 2016.", date(2016, 12, 31)),
        ("Before 1 April 2022", date(2022, 4, 1)),
        ("2021/22", date(2022, 3, 31)),
        ("2021-22", date(2022, 3, 31)),
        ("2021/2022", date(2022, 3, 31)),
        ("FY 21/22", date(2022, 3, 31)),
        ("Q1 2021/22", date(2021, 6, 30)),
        ("Q2 2021/22", date(2021, 9, 30)),
        ("Q3 2021/22", date(2021, 12, 31)),
        ("Q4 2021/22", date(2022, 3, 31)),
        ("q4 FY 2023-24", date(2024, 3, 31)),
    ],
)
def test_dates_as_people_write_them(text: str, expected: date) -> None:
    assert read_target_date(text) == (expected, None)


@pytest.mark.parametrize("text", ["2021/23", "2013-11", "Q5 2021/22", "May", "Monday", "14", "the 14th", "Q4 2014"])
def test_half_a_date_or_a_period_that_does_not_follow_on_is_no_date(text: str) -> None:
    assert parse_target_date(text) is None


@pytest.mark.parametrize("text", ["Ongoing", "ongoing", "Monthly", "Quarterly review", "On-going: reviewed at board"])
def test_a_rhythm_is_no_date_and_the_warning_says_so(text: str) -> None:
    assert read_target_date(text) == (
        None,
        f"target {text!r} is ongoing or recurring: kept as text, no date to escalate against",
    )


@pytest.mark.parametrize(
    "text",
    [
        "Within 6 months of publication",
        "12 months after publication",
        "within six months of the report being published",
    ],
)
def test_a_target_counted_from_publication_waits_for_its_date(text: str) -> None:
    assert read_target_date(text) == (
        None,
        f"target {text!r} counts from publication: no date until the publication date is recorded",
    )


@pytest.mark.parametrize("text", ["31/12/9999", "Dec-99 9999", "9999-12-31", "01/01/1989", "2101/02"])
def test_a_date_outside_1990_to_2100_is_kept_as_text_not_stored(text: str) -> None:
    assert parse_target_date(text) is None


def test_the_warning_for_a_date_out_of_range_names_the_range() -> None:
    assert read_target_date("31/12/9999") == (
        None,
        "target date '31/12/9999' is outside 1990-2100: kept as text, no date set",
    )


def test_a_readable_date_comes_without_a_warning() -> None:
    assert read_target_date("Dec-13") == (date(2013, 12, 31), None)


@pytest.mark.parametrize(
    ("text", "on"),
    [
        ("Completed: 31 October 2016", date(2016, 10, 31)),
        ("Dip sample search created to assess compliance Completed: 31 October 2016", date(2016, 10, 31)),
        ("Complete and ongoing: 31 October 2016", date(2016, 10, 31)),
        ("Training completed in June 2016", date(2016, 6, 30)),
        ("Completed in full on 3 March 2017", date(2017, 3, 3)),
        ("Completed by all officers on 31/10/2016", date(2016, 10, 31)),
        ("Training has been completed on 1/2/2017", date(2017, 2, 1)),
        ("Complete", None),
        ("Audit completed within timescale", None),
    ],
)
def test_a_cell_saying_the_action_is_done_reports_it_complete(text: str, on: date | None) -> None:
    assert read_completion(text) == (True, on)


@pytest.mark.parametrize(
    "text",
    [
        "not yet completed",
        "Not yet complete",
        "has not been completed",
        "Not fully completed",
        "In progress - not yet complete",
        "Work not yet completed - due 31/03/2017",
        "Staff will complete training",
        "The audit will be completed in March",
        "To be completed by March 2017",
        "Complete by March 2017",
        "Completed? No",
        "Incomplete",
        "partially completed",
        "CQUIN achieved",
    ],
)
def test_a_cell_denying_or_promising_completion_does_not_report_it(text: str) -> None:
    assert read_completion(text) == (False, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14/03/2022", (True, date(2022, 3, 14))),
        ("Completed 14/03/2022: 40 reports audited", (True, date(2022, 3, 14))),
        ("Training delivered", (True, None)),
        ("Not completed", (False, None)),
        ("Incomplete", (False, None)),
        ("Outstanding", (False, None)),
        ("Not started", (False, None)),
        ("Awaiting evidence", (False, None)),
        ("Due March 2017", (False, None)),
        ("N/A", (False, None)),
        ("-", (False, None)),
    ],
)
def test_a_completion_column_reports_completion_unless_it_says_otherwise(
    text: str, expected: tuple[bool, date | None]
) -> None:
    assert read_completion(text, column=True) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/03/2015 (revised from 31/12/2014)", date(2015, 3, 31)),
        ("31/03/2015\n(extended from 31/12/2014)", date(2015, 3, 31)),
    ],
)
def test_a_date_the_cell_says_it_replaced_is_not_the_target(text: str, expected: date) -> None:
    assert read_target_date(text) == (expected, None)


def test_a_superseded_step_is_no_milestone_and_moves_no_date_a_year_on() -> None:
    steps, moved = read_milestones("30/09/2015 (revised)\n31/03/2015 (original)")
    assert [(s.text, s.due) for s in steps] == [("30/09/2015", date(2015, 9, 30))]
    assert moved == []


def test_steps_in_one_cell_are_milestones_labelled_by_the_actions_numbered_steps() -> None:
    steps, moved = read_milestones(
        "November 14\nDecember 14\nFeb 14\nMonthly", "1. Brief 2. Cascade 3. Oversee 4. Audit"
    )
    assert [(s.label, s.due, s.moved_to_next_year) for s in steps] == [
        ("Brief", date(2014, 11, 30), False),
        ("Cascade", date(2014, 12, 31), False),
        ("Oversee", date(2015, 2, 28), True),
        ("Audit", None, False),
    ]
    assert moved == ["milestone 'Feb 14' comes before the one above it: read as 28/02/2015, the year after"]


def test_by_dates_on_one_line_are_steps_labelled_with_their_own_words() -> None:
    steps, _ = read_milestones("By 31/12/2016 audit complete By 31/03/2017 report to board")
    assert [(s.label, s.due) for s in steps] == [
        ("audit complete", date(2016, 12, 31)),
        ("report to board", date(2017, 3, 31)),
    ]
