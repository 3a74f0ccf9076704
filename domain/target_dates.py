"""Rules for the dates action plans are held to, beyond the calendar: the UK financial year, its
quarters, periods counted from an event (publication), and the range a target date may lie in.

A plan written for the public sector says "2021/22" for the financial year that runs from
1 April 2021 to 31 March 2022, and "Q2 2021/22" for its second quarter (July to September 2021).
A target of a period means its last day, as a month without a day means the month's last day.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

EARLIEST = date(1990, 1, 1)
"""No action plan of a statutory review is older (DHRs began in 2011): earlier is a typing slip."""
LATEST = date(2100, 12, 31)
"""Nor is any target this far off; a later date (``31/12/9999``) is refused, not stored."""

QUARTER_END_MONTHS = {1: 6, 2: 9, 3: 12, 4: 3}
"""Financial quarter to the month it ends in: Q1 April-June ... Q4 January-March (the next year)."""


def within_range(day: date) -> bool:
    """Whether ``day`` may be a target date (between ``EARLIEST`` and ``LATEST``)."""
    return EARLIEST <= day <= LATEST


def month_end(year: int, month: int) -> date:
    """The month's last day: what a target of a month without a day means."""
    return date(year, month, calendar.monthrange(year, month)[1])


def financial_year_end(first_year: int) -> date:
    """The last day of the UK financial year that starts on 1 April ``first_year``: 31 March after."""
    return date(first_year + 1, 3, 31)


def financial_quarter_end(quarter: int, first_year: int) -> date:
    """The last day of quarter ``quarter`` (1-4) of the financial year starting in ``first_year``.

    Raises:
        ValueError: ``quarter`` is not 1, 2, 3 or 4.
    """
    if quarter not in QUARTER_END_MONTHS:
        raise ValueError(f"quarter {quarter} is not 1, 2, 3 or 4")
    month = QUARTER_END_MONTHS[quarter]
    return month_end(first_year + 1 if quarter == 4 else first_year, month)


def financial_year_start(first: int, second: int) -> int | None:
    """The first year of a financial year written ``first/second`` (``2021/22``, ``2021/2022``,
    ``21/22``), or None when the two do not follow one another."""
    start = first if first >= 100 else 2000 + first
    follows = second == start + 1 if second >= 100 else second == (start + 1) % 100  # 1999/00 too
    return start if follows else None


@dataclass(frozen=True)
class AfterEvent:
    """A target counted from an event that has not happened yet: "within 6 months of publication"."""

    months: int
    event: str
    """What it counts from, e.g. ``publication``."""

    def date_from(self, event_day: date) -> date:
        """The target once the event has a date: the same day ``months`` later (or that month's end)."""
        total = event_day.month - 1 + self.months
        year, month = event_day.year + total // 12, total % 12 + 1
        return date(year, month, min(event_day.day, calendar.monthrange(year, month)[1]))

    def describe(self) -> str:
        """The target in words: "6 months after publication"."""
        return f"{self.months} month{'s' if self.months != 1 else ''} after {self.event}"


@dataclass(frozen=True)
class Milestone:
    """One dated step of an action whose plan gives several ("1. ... 2. ..." beside "November 14 / December 14")."""

    label: str
    """The step as the plan words it, or ``Step N`` where it gives only the date."""
    text: str
    """The date as written."""
    due: date | None
    """The day it is due; None for a recurring step ("Monthly") or one without a readable date."""
    moved_to_next_year: bool = False
    """Written with a year that would put it before the step above ("Feb 14" after "December 14"): read as the
    year after."""


def in_order(dates: list[date | None]) -> list[tuple[date | None, bool]]:
    """Milestone dates as they were meant: steps are written in the order they fall, so a date earlier than the
    one above it ("Feb 14" after "December 14", both meaning 2014 to a reader who knows the plan ran on) is
    read as the same day a year later when that puts it back in order. Each date comes with whether it moved.

    A date still out of order a year on (a slip, not a missing year) is kept as written; so are undated steps.
    """
    result: list[tuple[date | None, bool]] = []
    latest: date | None = None
    for day in dates:
        moved = False
        if day is not None and latest is not None and day < latest:
            later = _year_on(day)
            if later is not None and later >= latest and within_range(later):
                day, moved = later, True
        if day is not None:
            latest = max(latest, day) if latest is not None else day
        result.append((day, moved))
    return result


def _year_on(day: date) -> date | None:
    """The same day a year later; a month's last day stays its last day (28 February 2014 is 28 February 2015,
    29 February becomes the 28th)."""
    try:
        if day == month_end(day.year, day.month):
            return month_end(day.year + 1, day.month)
        return day.replace(year=day.year + 1)
    except ValueError:
        return None
