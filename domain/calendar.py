"""Working days: weekdays that are not bank holidays.

The holiday dates come from outside (``workflows.calendars`` reads the
``holidays`` package for England and Wales), so the domain stays pure and tests
can pin any calendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta


class WorkingCalendar:
    def __init__(self, holidays: Iterable[date] = ()) -> None:
        self._holidays = frozenset(holidays)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._holidays

    def add_working_days(self, day: date, n: int) -> date:
        """The ``n``-th working day after ``day`` (before it when ``n`` is negative).

        ``n == 0`` gives ``day`` itself when it is a working day, else the next one.
        """
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
