"""Target dates as action plans write them, read into dates.

Plans are British: numeric dates are day first (``30/11/2013`` is 30 November).
A month without a day (``Apr-14``, ``April 2014``) means "by the end of that
month", so it reads as the month's last day. Text that names no date
(``ongoing``, ``31/02/2014``) stays text: the caller keeps the cell verbatim and
reports it.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
"""English month names, spelled out: ``calendar.month_name`` follows the process locale, plans do not."""
_MONTHS: dict[str, int] = {}
for _number, _name in enumerate(MONTH_NAMES, start=1):
    _MONTHS[_name.casefold()] = _number
    _MONTHS[_name[:3].casefold()] = _number
_MONTHS["sept"] = 9

_MONTH_YEAR = re.compile(r"([A-Za-z]+)\.?[\s\-/]*(\d{4}|\d{2})")
"""``Apr-14``, ``Apr 14``, ``April 2014``, ``April-2014``, ``Sept. 2013``."""
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})")
"""Day first: ``30/11/2013``, ``30.11.2013``, ``30-11-13``."""
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_NAME_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([A-Za-z]+)\.?[\s\-,]+(\d{4}|\d{2})", re.IGNORECASE)
"""``30 November 2013``, ``1st Dec 13``."""


def parse_target_date(text: str) -> date | None:
    """The date a target-date cell names, or None when it names none (never raises).

    Args:
        text: the cell as written; surrounding whitespace is ignored.

    Returns:
        The date; the last day of the month for a month-only form; None for an
        empty cell and for text that is not a real date.
    """
    text = text.strip()
    if not text:
        return None
    if match := _MONTH_YEAR.fullmatch(text):
        month = _MONTHS.get(match.group(1).casefold())
        if month is None:
            return None
        year = _full_year(match.group(2))
        return date(year, month, calendar.monthrange(year, month)[1])
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        return _safe_date(_full_year(match.group(3)), int(match.group(2)), int(match.group(1)))
    if match := _ISO.fullmatch(text):
        return _safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if match := _DAY_NAME_YEAR.fullmatch(text):
        month = _MONTHS.get(match.group(2).casefold())
        if month is None:
            return None
        return _safe_date(_full_year(match.group(3)), month, int(match.group(1)))
    return None


def read_target_date(text: str) -> tuple[date | None, str | None]:
    """The date a target-date cell names, and the warning to give when it names none.

    Returns:
        ``(date, None)`` for a readable date, ``(None, None)`` for an empty cell,
        ``(None, message)`` for text that is kept but is no date.
    """
    parsed = parse_target_date(text)
    if parsed is None and text.strip():
        return None, f"unreadable target date {text.strip()!r} kept as text"
    return parsed, None


def _full_year(digits: str) -> int:
    """Two-digit years are this century's: plans are written after 2000 (``Apr-14`` is 2014)."""
    year = int(digits)
    return 2000 + year if len(digits) == 2 else year


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # 31/02/2014, month 13: not a date, reported by the caller
        return None
