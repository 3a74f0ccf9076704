"""Target dates as plans write them: months mean their last day, numbers are day first."""

from __future__ import annotations

from datetime import date

import pytest

from documents.dates import parse_target_date, read_target_date


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
    assert read_target_date("ongoing") == (None, "unreadable target date 'ongoing' kept as text")


def test_a_readable_date_comes_without_a_warning() -> None:
    assert read_target_date("Dec-13") == (date(2013, 12, 31), None)
