"""Working-day calendars from the ``holidays`` package (the domain's calendar takes plain dates)."""

from __future__ import annotations

from functools import cache

from domain.working_days import WorkingCalendar

FIRST_YEAR, LAST_YEAR = 2008, 2040
"""Reviews from the first statutory DHRs (2011) with room either side, to well past any target date."""


@cache
def england_and_wales() -> WorkingCalendar:
    """Bank holidays of England and Wales (the two share one list; Scotland and NI differ)."""
    import holidays  # here, not at the top: only the commands that count working days pay for it

    days = holidays.country_holidays("GB", subdiv="ENG", years=range(FIRST_YEAR, LAST_YEAR + 1))
    return WorkingCalendar(days.keys())
