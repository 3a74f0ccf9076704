"""Impact, not just completion: whether an assured action changed practice.

An action is assured when its evidence shows it was done (the training delivered); some months later the
partnership checks, against the plan's own "How will success be measured", whether practice changed. The
answer is a decision: ``impact_confirmed``, or ``impact_not_shown`` with the reason, which leaves the
recommendation the action serves only partly implemented.
"""

from __future__ import annotations

from enum import StrEnum


class ImpactOutcome(StrEnum):
    CONFIRMED = "impact_confirmed"
    """Practice changed, as the plan's success measure asked, with evidence."""
    NOT_SHOWN = "impact_not_shown"
    """The check found no change (the reason says why): the recommendation is only partly implemented."""
