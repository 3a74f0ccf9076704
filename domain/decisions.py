"""Every kind of decision the log holds, in one catalogue: what it is about, and whether it changes an action.

A decision about an action either changes the action (its version moves on, and ``log verify`` replays it:
the lifecycle's moves, a plan update, a reassignment, an extension) or only records something about it (a
note: an escalation fired, one acknowledged, a theme confirmed, the plan reporting it done), which leaves
the action as it was. Decisions about a review or the partnership (an import, a sign-off, a person added)
concern no action. The log refuses a decision of a kind not listed here (``storage``), so a new kind is
added here first, with what it means.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.board_cycle import BOARD_DATE_ADDED, BOARD_DATE_REMOVED, PROGRESS_REQUESTED
from domain.impact import IMPACT_MONTHS_SET, ImpactOutcome
from domain.ladders import ACKNOWLEDGED, ESCALATED, REPORTED_COMPLETE
from domain.milestones import MILESTONE_RECORDED, TARGET_DATED
from domain.recommendations import RECOMMENDATION_ACCEPTED, RECOMMENDATION_NOT_ACCEPTED, RECOMMENDATION_SET
from domain.states import Event
from domain.themes import THEME_CONFIRMED, THEME_REMOVED


class About(StrEnum):
    ACTION = "action"
    REVIEW = "review"
    PARTNERSHIP = "partnership"


@dataclass(frozen=True)
class DecisionKind:
    name: str
    about: About
    changes_action: bool
    """A decision about an action that changes it: one version per decision."""
    what: str


def _kinds(*kinds: DecisionKind) -> dict[str, DecisionKind]:
    return {k.name: k for k in kinds}


_A, _R, _P = About.ACTION, About.REVIEW, About.PARTNERSHIP

KINDS: dict[str, DecisionKind] = _kinds(
    *(DecisionKind(str(e), _A, True, f"the lifecycle's {e}: see domain.lifecycle") for e in Event),
    DecisionKind("plan_updated", _A, True, "a re-import changed the action's text, date, route or agency"),
    DecisionKind("lead_officer_reassigned", _A, True, "the agency's director named the action's lead officer"),
    DecisionKind("extension_requested", _A, True, "the lead officer asked for a later target date"),
    DecisionKind("extension_approved", _A, True, "the target date moved"),
    DecisionKind("extension_refused", _A, True, "the target date stays"),
    DecisionKind(TARGET_DATED, _A, True, "publication gave a target counted from it its date"),
    DecisionKind(ESCALATED, _A, False, "a ladder step fired: people were told"),
    DecisionKind(ACKNOWLEDGED, _A, False, "someone told of an escalation has it in hand"),
    DecisionKind(THEME_CONFIRMED, _A, False, "the coordinator confirmed a theme of the action"),
    DecisionKind(THEME_REMOVED, _A, False, "the coordinator removed a theme from the action"),
    DecisionKind(REPORTED_COMPLETE, _A, False, "the imported plan reports the action done"),
    DecisionKind(
        str(ImpactOutcome.CONFIRMED), _A, False, "the partnership found that the assured action changed practice"
    ),
    DecisionKind(
        str(ImpactOutcome.NOT_SHOWN), _A, False, "the partnership found no change in practice (the reason says)"
    ),
    DecisionKind("import_plan", _R, False, "a plan was imported or re-imported"),
    DecisionKind("final_audit_started", _R, False, "the partnership opened the final audit"),
    DecisionKind("plan_signed_off", _R, False, "the plan was signed off and frozen"),
    DecisionKind(MILESTONE_RECORDED, _R, False, "a step of the review's own timeline (submitted, published, ...)"),
    DecisionKind(RECOMMENDATION_SET, _R, False, "the coordinator set a recommendation's scope or addressee"),
    DecisionKind(RECOMMENDATION_NOT_ACCEPTED, _R, False, "a recommendation was recorded as not accepted"),
    DecisionKind(RECOMMENDATION_ACCEPTED, _R, False, "a recommendation not accepted was accepted after all"),
    DecisionKind("board_pack_issued", _P, False, "the month's board pack was announced"),
    DecisionKind(BOARD_DATE_ADDED, _P, False, "a board meeting date was set"),
    DecisionKind(BOARD_DATE_REMOVED, _P, False, "a board meeting date was taken off"),
    DecisionKind(PROGRESS_REQUESTED, _P, False, "lead officers were asked for progress before a meeting"),
    DecisionKind("deputy_named", _P, False, "a deputy period was named"),
    DecisionKind("deputy_ended", _P, False, "a deputy period was ended"),
    DecisionKind("person_added", _P, False, "a person was added"),
    DecisionKind("agency_added", _P, False, "an agency was added"),
    DecisionKind("ladder_set", _P, False, "a ladder got a new version"),
    DecisionKind("catch_up_set", _P, False, "the catch-up rule changed"),
    DecisionKind(IMPACT_MONTHS_SET, _P, False, "the months from assurance to an impact check changed"),
    DecisionKind("theme_added", _P, False, "the partnership added a theme to its vocabulary"),
    DecisionKind("import_mapping_forgotten", _P, False, "a remembered column mapping was removed"),
)
"""Every decision kind, by name."""

NOTES = frozenset(k.name for k in KINDS.values() if k.about is About.ACTION and not k.changes_action)
"""Decisions about an action that leave it as it was: they do not count towards its version."""


class UnknownDecisionKind(Exception):
    """A decision of a kind the catalogue does not list: a programming error, refused before it is written."""

    def __init__(self, name: str) -> None:
        super().__init__(f"decision kind {name!r} is not in domain.decisions.KINDS: add it there first")
