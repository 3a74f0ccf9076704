"""Working days: weekdays that are not bank holidays.

The holiday dates come from outside (``workflows.runtime.working_days`` reads the
``holidays`` package for England and Wales), so the domain stays pure and tests
can pin any calendar. Counting in working days is a lookup, not a walk: the
working days of the years the holidays cover are listed once, and a sweep over a
million actions asks this many times per action.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import date, timedelta


class WorkingCalendar:
    def __init__(self, holidays: Iterable[date] = ()) -> None:
        self._holidays = frozenset(holidays)
        years = [d.year for d in self._holidays] or [date.today().year]
        # The listed span: a year either side of the holidays known, so offsets near its ends still resolve.
        self._first = date(min(years) - 1, 1, 1)
        self._last = date(max(years) + 1, 12, 31)
        span = (self._last - self._first).days + 1
        days = (self._first + timedelta(days=i) for i in range(span))
        self._working = [d.toordinal() for d in days if d.weekday() < 5 and d not in self._holidays]

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._holidays

    def add_working_days(self, day: date, n: int) -> date:
        """The ``n``-th working day after ``day`` (before it when ``n`` is negative).

        ``n == 0`` gives ``day`` itself when it is a working day, else the next one.
        """
        ordinal = day.toordinal()
        if n > 0:
            index = bisect_right(self._working, ordinal) + n - 1
        elif n < 0:
            index = bisect_left(self._working, ordinal) + n
        else:
            index = bisect_left(self._working, ordinal)
        if self._first <= day <= self._last and 0 <= index < len(self._working):
            return date.fromordinal(self._working[index])
        return self._walk(day, n)

    def _walk(self, day: date, n: int) -> date:
        """Day by day, for dates beyond the listed span."""
        step = 1 if n >= 0 else -1
        current = day
        if n == 0:
            while not self.is_working_day(current):
                current += timedelta(days=1)
            return current
        remaining = abs(n)
        while remaining:
            current += timedelta(days=step)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in ``(start, end]``; negative when ``end`` is before ``start``."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        current = start
        while current < end:
            current += timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count
