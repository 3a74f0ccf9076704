"""The bounded types the pages and the API take ids and dates as.

An id past ``MAX_ID`` overflows the database driver (SQLite and PostgreSQL both hold 64-bit integers) and a
date in year 1 or 9999 overflows the date arithmetic behind it (a board pack's period, an extension's working
days): both were 500s. Refused here instead, as any other bad input: a 422 with one line.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, Field

from domain.target_dates import EARLIEST, LATEST, within_range
from workflows.errors import InvalidInput

MAX_ID = 2**63 - 1
"""The largest id either database holds (a signed 64-bit integer)."""

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""A row's id in a path, a query or a form."""


def in_range(day: date) -> date:
    """``day`` if it lies between ``EARLIEST`` and ``LATEST``, as every date dhrflow keeps does.

    Raises:
        ValueError: it does not (pydantic makes it a 422 naming the parameter).
    """
    if not within_range(day):
        raise ValueError(f"{day.isoformat()} is not a date dhrflow keeps: give one between {EARLIEST} and {LATEST}")
    return day


def form_day(text: str, field: str) -> date:
    """A date typed into a form's ``field`` (YYYY-MM-DD), read inside the handler so that a refused form
    comes back as typed (``web.refusals.submitted``); pydantic would refuse it before.

    Raises:
        InvalidInput: not a date, or not one dhrflow keeps; the message names the field.
    """
    try:
        return in_range(date.fromisoformat(text.strip()))
    except ValueError as exc:
        why = str(exc) if "dhrflow keeps" in str(exc) else "give a date as YYYY-MM-DD"
        raise InvalidInput(f"{field}: {text.strip()!r} is not a date: {why}"[:300]) from None


Day = Annotated[date, AfterValidator(in_range)]
"""A date in a query, a form or a JSON body."""
