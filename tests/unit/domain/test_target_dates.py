"""The financial year, its quarters and periods counted from publication: the rules plans are held to."""

from __future__ import annotations

from datetime import date

import pytest

from domain.target_dates import (
    AfterEvent,
    financial_quarter_end,
    financial_year_end,
    financial_year_start,
    in_order,
    within_range,
)


def test_the_financial_year_2021_22_ends_on_31_march_2022() -> None:
    assert financial_year_end(2021) == date(2022, 3, 31)


@pytest.mark.parametrize(
    ("quarter", "expected"),
    [(1, date(2021, 6, 30)), (2, date(2021, 9, 30)), (3, date(2021, 12, 31)), (4, date(2022, 3, 31))],
)
def test_each_financial_quarter_ends_on_the_last_day_of_its_third_month(quarter: int, expected: date) -> None:
    assert financial_quarter_end(quarter, 2021) == expected


def test_there_is_no_fifth_quarter() -> None:
    with pytest.raises(ValueError, match="quarter 5 is not 1, 2, 3 or 4"):
        financial_quarter_end(5, 2021)


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [(2021, 22, 2021), (2021, 2022, 2021), (21, 22, 2021), (1999, 0, 1999), (2021, 23, None), (2013, 11, None)],
)
def test_a_financial_year_is_two_years_that_follow_on(first: int, second: int, expected: int | None) -> None:
    assert financial_year_start(first, second) == expected


@pytest.mark.parametrize(
    ("published", "months", "expected"),
    [
        (date(2021, 3, 15), 6, date(2021, 9, 15)),
        (date(2021, 8, 31), 6, date(2022, 2, 28)),  # no 31 February: the month's last day
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2021, 1, 10), 12, date(2022, 1, 10)),
    ],
)
def test_a_target_counted_from_publication_is_the_same_day_months_later(
    published: date, months: int, expected: date
) -> None:
    assert AfterEvent(months, "publication").date_from(published) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(1990, 1, 1), True), (date(2100, 12, 31), True), (date(1989, 12, 31), False), (date(9999, 12, 31), False)],
)
def test_target_dates_lie_between_1990_and_2100(day: date, expected: bool) -> None:
    assert within_range(day) is expected


def test_milestones_in_order_keep_their_dates() -> None:
    dates: list[date | None] = [date(2014, 11, 30), date(2014, 12, 31), None, date(2015, 3, 31)]
    assert in_order(dates) == [(d, False) for d in dates]


def test_a_milestone_before_the_one_above_is_read_as_the_next_year() -> None:
    written: list[date | None] = [date(2014, 11, 30), date(2014, 12, 31), date(2014, 2, 28)]
    assert in_order(written)[2] == (date(2015, 2, 28), True)


def test_a_month_end_stays_a_month_end_a_year_on() -> None:
    assert in_order([date(2015, 12, 31), date(2015, 2, 28)])[1] == (date(2016, 2, 29), True)


def test_a_date_still_out_of_order_a_year_on_is_kept_as_written() -> None:
    assert in_order([date(2016, 12, 31), date(2014, 2, 28)])[1] == (date(2014, 2, 28), False)
