"""Target dates as action plans write them, read into dates.

Plans are British: numeric dates are day first (``30/11/2013`` is 30 November).
A month without a day (``Apr-14``, ``April 2014``) means "by the end of that
month", so it reads as the month's last day; so does a period: ``2021/22`` is the
financial year ending 31 March 2022, ``Q2 2021/22`` its quarter ending 30 September
2021 (the rules are the domain's, ``domain.target_dates``). ``By ...``, ``End of
...`` and ``Before ...`` read as the date they name. Other spellings of a whole
date (``31st March 2021``, ``March 31, 2021``) are read by dateutil, day first,
and only when they name a year and a month. Text that names no date (``ongoing``,
``Monthly``, ``within 6 months of publication``, ``31/02/2014``) stays text: the
caller keeps the cell verbatim and reports it, saying which. So does a date
outside 1990-2100: a target date of ``31/12/9999`` is a slip, not a plan.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from domain.milestones import PUBLICATION
from domain.target_dates import (
    EARLIEST,
    LATEST,
    AfterEvent,
    Milestone,
    financial_quarter_end,
    financial_year_end,
    financial_year_start,
    in_order,
    month_end,
    within_range,
)

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


_LEAD_IN = re.compile(r"^(?:(?:by|before|no later than|due)\b[\s:,]*)?(?:(?:the\s+)?end\s+of\b\s*)?", re.IGNORECASE)
"""``By 31/12/2016``, ``End of March 2021``, ``By the end of March 2021``: the date is what follows."""
_FINANCIAL_YEAR = re.compile(r"(?:FY\s*)?(\d{4}|\d{2})\s*[/\-]\s*(\d{4}|\d{2})", re.IGNORECASE)
"""``2021/22``, ``2021-22``, ``2021/2022``, ``FY 21/22``."""
_QUARTER = re.compile(r"Q([1-4])\s*(?:of\s+)?(?:FY\s*)?(\d{4}|\d{2})\s*[/\-]\s*(\d{4}|\d{2})", re.IGNORECASE)
"""``Q2 2021/22``, ``Q4 FY 2020-21``."""
_RECURRING = frozenset(
    {
        "ongoing",
        "on-going",
        "continuous",
        "continual",
        "weekly",
        "fortnightly",
        "monthly",
        "bi-monthly",
        "quarterly",
        "annually",
        "annual",
        "yearly",
    }
)
"""First words of a cell that sets a rhythm, not a date: ``Ongoing``, ``Monthly``, ``Quarterly review``."""
_AFTER_EVENT = re.compile(
    r"(?:within\s+)?(\d+|one|two|three|four|six|nine|twelve|eighteen)\s+months?\s+(?:of|after|from|following)\s+"
    r"(?:the\s+)?(?:report(?:'s)?\s+)?(publication|being\s+published)",
    re.IGNORECASE,
)
"""``Within 6 months of publication``: a date only once the review is published."""
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "six": 6, "nine": 9, "twelve": 12, "eighteen": 18}


def read_after_event(text: str) -> AfterEvent | None:
    """The period from publication a target cell gives ("Within 6 months of publication": 6 months after
    ``publication``), or None when it gives a date or no such period."""
    written = text.strip()
    if not written or _date_in(written) is not None or (match := _AFTER_EVENT.search(written)) is None:
        return None
    count = match.group(1).casefold()
    months = int(count) if count.isdigit() else _NUMBER_WORDS[count]
    return AfterEvent(months, PUBLICATION) if 0 < months <= 120 else None


def parse_target_date(text: str) -> date | None:
    """The date a target-date cell names, or None when it names none (never raises).

    Args:
        text: the cell as written; surrounding whitespace is ignored.

    Returns:
        The date; the last day of the month (or financial year, or quarter) for a form
        without a day; None for an empty cell, for text that is not a real date, and
        for a date outside 1990-2100.
    """
    found = _date_in(text)
    return found if found is not None and within_range(found) else None


def _date_in(text: str) -> date | None:
    text = _LEAD_IN.sub("", text.strip()).strip().rstrip(".")
    if not text:
        return None
    if match := _MONTH_YEAR.fullmatch(text):
        month = _MONTHS.get(match.group(1).casefold())
        if month is None:
            return None
        year = _full_year(match.group(2))
        return month_end(year, month)
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        return _safe_date(_full_year(match.group(3)), int(match.group(2)), int(match.group(1)))
    if match := _ISO.fullmatch(text):
        return _safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if match := _DAY_NAME_YEAR.fullmatch(text):
        month = _MONTHS.get(match.group(2).casefold())
        if month is None:
            return None
        return _safe_date(_full_year(match.group(3)), month, int(match.group(1)))
    if match := _QUARTER.fullmatch(text):
        start = financial_year_start(int(match.group(2)), int(match.group(3)))
        return financial_quarter_end(int(match.group(1)), start) if start is not None else None
    if match := _FINANCIAL_YEAR.fullmatch(text):
        start = financial_year_start(int(match.group(1)), int(match.group(2)))
        return financial_year_end(start) if start is not None else None
    return _free_form(text)


def _free_form(text: str) -> date | None:
    """A whole date in another spelling, read by dateutil (day first). Parsed against two different
    defaults: what differs was not written. No year or no month: no date; no day: the month's end."""
    if not any(ch.isdigit() for ch in text) or _AFTER_EVENT.search(text):
        return None
    from dateutil import parser as dateutil_parser  # here: the spellings above, and reads, never need it

    try:
        first = dateutil_parser.parse(text, dayfirst=True, default=datetime(2000, 1, 1))
        second = dateutil_parser.parse(text, dayfirst=True, default=datetime(2004, 2, 2))
    except (ValueError, OverflowError):  # dateutil's ParserError is a ValueError
        return None
    if first.year != second.year or first.month != second.month:
        return None
    if first.day != second.day:
        return month_end(first.year, first.month)
    return first.date()


def read_target_date(text: str) -> tuple[date | None, str | None]:
    """The date a target-date cell names, and the warning to give when it names none.

    Returns:
        ``(date, None)`` for a readable date, ``(None, None)`` for an empty cell,
        ``(None, message)`` for text that is kept but is no date; the message says why.
    """
    written = text.strip()
    if not written:
        return None, None
    found = _date_in(written)
    if found is None and (standing := _standing(written)) and standing != written:
        found = _date_in(standing)  # "31/03/2015 (revised from 31/12/2014)": the date in force
    if found is not None and within_range(found):
        return found, None
    if found is not None:
        span = f"{EARLIEST.year}-{LATEST.year}"
        return None, f"target date {written!r} is outside {span}: kept as text, no date set"
    if _AFTER_EVENT.search(written):
        return None, f"target {written!r} counts from publication: no date until the publication date is recorded"
    if re.split(r"[\s:;,.]+", written.casefold(), maxsplit=1)[0] in _RECURRING:
        return None, f"target {written!r} is ongoing or recurring: kept as text, no date to escalate against"
    return None, f"unreadable target date {written!r} kept as text"


def _full_year(digits: str) -> int:
    """Two-digit years are this century's: plans are written after 2000 (``Apr-14`` is 2014)."""
    year = int(digits)
    return 2000 + year if len(digits) == 2 else year


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # 31/02/2014, month 13: not a date, reported by the caller
        return None


_SEARCHES = (
    re.compile(r"\d{4}-\d{1,2}-\d{1,2}"),
    re.compile(r"\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})\b"),
    re.compile(r"\d{1,2}(?:st|nd|rd|th)?[\s\-]+[A-Za-z]+\.?[\s\-,]+(?:\d{4}|\d{2})\b", re.IGNORECASE),
    re.compile(r"Q[1-4]\s*(?:of\s+)?(?:FY\s*)?(?:\d{4}|\d{2})\s*[/\-]\s*(?:\d{4}|\d{2})\b", re.IGNORECASE),
    re.compile(r"[A-Za-z]+\.?[\s\-/]*(?:\d{4}|\d{2})\b"),
    re.compile(r"(?:FY\s*)?(?:\d{4}|\d{2})\s*[/\-]\s*(?:\d{4}|\d{2})\b", re.IGNORECASE),
)
"""The date spellings ``_date_in`` reads, to find one inside a longer text (most specific first)."""


def find_date(text: str) -> tuple[date, str, int, int] | None:
    """The first date written inside ``text``: the date, as written, and where it starts and ends.

    Only a date within 1990-2100 counts, so "Step 2 of 14" or "14 staff in 2 teams" name none.
    """
    best: tuple[date, str, int, int] | None = None
    for pattern in _SEARCHES:
        for match in pattern.finditer(text):
            if best is not None and match.start() >= best[2]:
                break
            found = _date_in(match.group(0))
            if found is not None and within_range(found):
                best = (found, match.group(0), match.start(), match.end())
                break
    return best


_STEP_BREAK = re.compile(
    r"\s*(?:\n|\s/\s|;|\s\|\s)\s*|\s+(?=(?:by|before)\s+\S*\d)|\s+(?=\d{1,2}[.)]\s)", re.IGNORECASE
)
"""Where one step of a cell ends and the next begins: a line end, " / ", ";", a new "By <date>", a new "2. "."""
_STEP_NUMBER = re.compile(r"(?:^|(?<=\s))(\d{1,2})[.)]\s+")
_STEP_FILLER = " \t-–—:,.;()"


def read_milestones(target_text: str, action_text: str = "") -> tuple[list[Milestone], list[str]]:
    """The dated steps of a target cell that holds several, and a warning per date read as the year after.

    A cell holds steps when it breaks into two or more parts (lines, " / ", ";", each "By <date>") and at
    least one has a date. Each step is labelled with the action's numbered step of the same place when
    the action is written "1. ... 2. ..." with as many steps, else with the words beside its date, else
    "Step N". A step with a recurring word ("Monthly") or no readable date has no due day.

    A step the cell says is superseded ("31/12/2014 (original)", "(extended from 31/12/2014)") is no step:
    only the date that stands counts, and a date in force is never moved to the next year for it.

    Returns:
        ``([], [])`` for a cell that holds one date or none: the caller reads it as one target. A cell of
        two parts of which one is superseded gives the one that stands, as a single step.
    """
    split = [part.strip(_STEP_FILLER) for part in _STEP_BREAK.split(target_text.strip())]
    split = [part for part in split if part]
    if len(split) < 2:
        return [], []
    parts = [current for part in split if (current := _standing(part))]
    if not parts:
        return [], []
    found = [find_date(_STEP_NUMBER.sub("", part)) for part in parts]
    if not any(found):
        return [], []
    labels = _step_labels(action_text, len(parts))
    ordered = in_order([hit[0] if hit else None for hit in found])
    milestones: list[Milestone] = []
    warnings: list[str] = []
    for n, (part, hit, (due, moved)) in enumerate(zip(parts, found, ordered, strict=True)):
        rest = part if hit is None else part.replace(hit[1], " ", 1)
        words = " ".join(_LEAD_IN.sub("", _STEP_NUMBER.sub("", rest).strip(_STEP_FILLER)).split())
        label = labels[n] if labels else (words if hit is not None and words else f"Step {n + 1}")
        written = hit[1] if hit else part
        milestones.append(Milestone(label, written, due, moved))
        if moved and due is not None:
            warnings.append(
                f"milestone {written!r} comes before the one above it: read as {due:%d/%m/%Y}, the year after"
            )
    return milestones, warnings


def milestones(target_text: str, action_text: str = "") -> list[Milestone]:
    """The milestones to show of an action: its target cell's steps, when it has two or more."""
    steps, _ = read_milestones(target_text, action_text)
    return steps if len(steps) > 1 else []


_SUPERSEDED_FROM = re.compile(
    r"[(\[]?\s*\b(?:revised|extended|moved|changed|amended|deferred|rescheduled|put back|brought forward)\s+"
    r"(?:from|was)\b",
    re.IGNORECASE,
)
"""Where a cell starts to give a date it replaced: "31/03/2015 (revised from 31/12/2014)"."""
_SUPERSEDED = re.compile(r"\b(?:original|originally|previously|was|superseded|old date|initially)\b", re.I)
"""A part of a cell giving a date no longer in force: "31/12/2014 (original)"."""
_REVISED_MARK = re.compile(
    r"[(\[]\s*(?:revised|extended|new(?:\s+date)?|amended|updated)\s*[)\]]|\b(?:revised|new date|now)\b\s*:?",
    re.IGNORECASE,
)
"""Words saying a date is the one in force: "30/09/2015 (revised)", "Now: 30/09/2015"."""


def _standing(part: str) -> str:
    """``part`` without what it says is superseded; "" when all of it is."""
    if match := _SUPERSEDED_FROM.search(part):
        part = part[: match.start()]
    elif _SUPERSEDED.search(part):
        return ""
    return _REVISED_MARK.sub(" ", part).strip(_STEP_FILLER + "[]")


def _step_labels(action_text: str, count: int) -> list[str]:
    """The action's numbered steps ("1. Brief staff 2. Audit cases") when it has exactly ``count``, in order."""
    marks = list(_STEP_NUMBER.finditer(action_text))
    if len(marks) != count or [int(m.group(1)) for m in marks] != list(range(1, count + 1)):
        return []
    ends = [m.start() for m in marks[1:]] + [len(action_text)]
    return [" ".join(action_text[m.end() : end].split()) for m, end in zip(marks, ends, strict=True)]


_COMPLETED = re.compile(r"(?<![A-Za-z])complete(d?)\b", re.IGNORECASE)
_NEGATED = re.compile(
    r"\b(?:not|never|no|yet\s+to|isn't|hasn't|haven't|wasn't|weren't|aren't|won't|cannot|can't)\b(?:\s+\w+){0,3}"
    r"[\s,-]*$",
    re.IGNORECASE,
)
"""Words before "complete" that deny it: "not yet completed", "has not been completed", "Not fully complete"."""
_TO_COME = re.compile(
    r"\b(?:to\s+be|will|shall|should|must|would|could|may|once|when|until|if|partially|partly|nearly|almost|"
    r"be|to|aims?|plans?|expects?|expected|due)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
"""Words before "complete" that put it in the future or make it partial: "to be completed", "will complete"."""
_DEADLINE = re.compile(r"\s*(?:by|before|within|no later than)\b", re.IGNORECASE)
_NOT_DONE = re.compile(
    r"\b(?:not|no|incomplete|outstanding|open|awaiting|pending|due|expected|target|ongoing|on-going|in progress|"
    r"tbc|tbd|n/?a|none|planned|scheduled|partial|partially|partly)\b|^\s*-*\s*$",
    re.IGNORECASE,
)
"""What a completion column says of an action not done: "N/A", "Not started", "Outstanding", "Due March 2017"."""


def read_completion(text: str, *, column: bool = False) -> tuple[bool, date | None]:
    """Whether a cell reports the action done, and the day it gives.

    Args:
        text: the cell as written.
        column: the cell is of a completion column ("Date of completion and outcome"): a date in it, or
            words that do not say it is not done ("N/A", "TBC", "Outstanding", "Due ...", "In progress"),
            report completion. Elsewhere (progress, status) the cell must say so: "Completed: 31 October
            2016", "Training completed in June 2016", "Complete and ongoing: ...", "Complete" as the
            status; "To be completed by March 2017", "not yet completed", "Complete by March 2017" (a
            deadline), "Completed? No" do not.
    """
    written = text.strip()
    if not written:
        return False, None
    if column:
        if _NOT_DONE.search(written):
            return False, None
        found = find_date(written)
        return True, found[0] if found else None
    for match in _COMPLETED.finditer(written):
        before = written[max(0, match.start() - 48) : match.start()]
        after = written[match.end() :]
        if _NEGATED.search(before) or _TO_COME.search(before) or after.lstrip().startswith("?"):
            continue
        if not match.group(1) and _DEADLINE.match(after):  # "Complete by March 2017": a deadline, not done
            continue
        found = find_date(after.split("\n", 1)[0])
        return True, found[0] if found else None
    return False, None
