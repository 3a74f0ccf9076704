"""A person's deadlines as an iCalendar (RFC 5545) feed: all-day events, stable UIDs.

Only review and action refs and the action's text go in: no names of staff or of
the people a review concerns (the tracker holds none of the latter).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from domain.deadlines import Deadline

PRODID = "-//dhrflow//deadline calendar//EN"


def deadline_calendar(deadlines: Iterable[Deadline], *, stamp: datetime, name: str = "dhrflow deadlines") -> bytes:
    """The feed; ``stamp`` (the time it was made) is every event's DTSTAMP."""
    from icalendar import Calendar, Event  # only the feed needs it: not every command at start

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for d in deadlines:
        event = Event()
        event.add("uid", f"{d.kind}-{d.action_id}@dhrflow")
        event.add("dtstamp", stamp)
        event.add("dtstart", d.on)
        event.add("dtend", d.on + timedelta(days=1))
        event.add("summary", d.summary)
        event.add("description", d.description)
        event.add("categories", [str(d.kind)])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    ical: bytes = cal.to_ical()
    return ical
