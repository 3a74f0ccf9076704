"""What dhrflow writes into a plan's cells on export, and how an import reads it back out.

An exported plan shows, beside each cell's text as imported, what the tracker
knows now: the milestones read from the target cell and a target an extension
moved, the latest progress update, the RAG colour, who verified and assured
the action and when. Those lines start with ``MARK`` so that a reader sees which
text is the tracker's, and so that importing the export again takes them out:
the plan's own text comes back as it was, and a re-import changes nothing.
"""

from __future__ import annotations

MARK = "[Tracker]"
"""The start of a line the tracker wrote."""

KIND_LABEL = "Review kind:"
"""The line an export writes to say the review's kind (and the former name its plan used)."""
PREFACE = ("Status as recorded by the tracker on", "Public version. Removed:", KIND_LABEL)
"""How the lines an export writes above its tables start: an import leaves them out of the plan's notes (the kind
is the review's already; its title, which an import reads it from, is unchanged)."""
REVIEW_LABEL = "Review:"
"""The line an export writes where the plan's title does not name the review; an import reads it back."""
NOTE_LABEL = "Note of the plan:"
"""How an export writes each of the plan's notes above its tables; an import reads them back as notes."""

LIVE_FIELDS = frozenset({"target_date_text", "outcome_progress", "status_rag", "quality_assured_by"})
"""The columns an export adds tracker lines to, and from which an import removes them."""


def line(text: str) -> str:
    """``text`` as one tracker line: whitespace and line ends inside it folded to single spaces."""
    return f"{MARK} {' '.join(text.split())}"


def with_lines(text: str, lines: list[str]) -> str:
    """A cell: its own text, then one tracker line per entry of ``lines``."""
    return "\n".join([text, *(line(entry) for entry in lines)] if text else [line(entry) for entry in lines])


def without_lines(text: str) -> str:
    """A cell's text with the tracker's lines taken out (the cell's own text, as it was imported)."""
    if MARK not in text:
        return text
    kept = [part for part in text.split("\n") if not part.lstrip().startswith(MARK)]
    return "\n".join(kept).strip()
