"""Recommendations tracked in their own right: where each stands, derived from its actions.

A recommendation is what the review asked for; its actions are how the partnership answers it. Its status is
never typed in: it follows from its actions' states and impact checks, except that the body it is addressed
to may not accept it (a decision, with the reason).
"""

from __future__ import annotations

from enum import StrEnum


class RecommendationStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    IMPLEMENTED = "implemented"
    PARTLY_IMPLEMENTED = "partly_implemented"
    """With a reason: an action withdrawn, or an impact check that found no change in practice."""
    NOT_ACCEPTED = "not_accepted"
    """With a reason: the body it is addressed to did not accept it."""
