"""Recommendations tracked in their own right, read in sets: two statements for a list of any length.

``listed`` reads the recommendations a filter keeps with their review, its partnership, its kind and its
publication date; ``facts`` reads the actions of the same recommendations with what their status needs
(whether progress was recorded, when they were assured, their impact check). Both take the filter, not a
list of ids, so neither grows a parameter per recommendation (SQLite caps a statement's parameters).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import Select, and_, case, exists, func, select
from sqlalchemy.engine import Connection, RowMapping

from domain.model import DottedNumber, Recommendation, Scope
from domain.states import Event, State
from storage.tables import metadata

REC = metadata.tables["recommendation"]
REVIEW = metadata.tables["review"]
PARTNERSHIP = metadata.tables["partnership"]
KIND = metadata.tables["review_kind"]
MILESTONE = metadata.tables["review_milestone"]
ACTION = metadata.tables["action"]
DECISION = metadata.tables["decision"]
IMPACT = metadata.tables["impact_check"]

PUBLISHED = "published"
"""The milestone whose day is a review's publication date."""


@dataclass(frozen=True)
class RecommendationFilter:
    partnership_ids: Sequence[int] | None
    """The partnerships read; ``None``: every one (the installation operator's export)."""
    review_ref: str | None = None
    scope: Scope | None = None


class ListedRecommendation(NamedTuple):
    recommendation: Recommendation
    partnership_id: int
    partnership: str
    """The partnership's short name."""
    review_ref: str
    review_kind: str
    review_kind_name: str
    review_kind_abbreviation: str
    published_on: date | None


class ActionFactsRow(NamedTuple):
    """In the order of ``facts``' columns: a row becomes one without a name looked up (a list of 50,000 rows
    costs a tenth of a second less)."""

    recommendation_id: int
    action_id: int
    ref: str
    agency_id: int
    state: str
    target_date: date | None
    progress_recorded: bool
    assured_at: datetime | None
    impact_outcome: str
    impact_reason: str


def _recommendations(f: RecommendationFilter) -> Select[tuple[int]]:
    """The ids of the recommendations the filter keeps, as a subquery."""
    stmt = select(REC.c.id).join(REVIEW, REVIEW.c.id == REC.c.review_id)
    if f.partnership_ids is not None:
        stmt = stmt.where(REVIEW.c.partnership_id.in_(list(f.partnership_ids)))
    if f.review_ref is not None:
        stmt = stmt.where(REVIEW.c.ref == f.review_ref)
    if f.scope is not None:
        stmt = stmt.where(("," + REC.c.scope + ",").contains(f",{f.scope},"))
    return stmt


def listed(conn: Connection, f: RecommendationFilter) -> list[ListedRecommendation]:
    """The recommendations the filter keeps, by partnership, review and then the plan's numbering."""
    published = and_(MILESTONE.c.review_id == REVIEW.c.id, MILESTONE.c.milestone == PUBLISHED)
    stmt = (
        select(
            REC,
            REVIEW.c.ref.label("review_ref_"),
            REVIEW.c.partnership_id.label("partnership_id_"),
            PARTNERSHIP.c.short_name.label("short_name_"),
            REVIEW.c.kind.label("kind_"),
            KIND.c.name.label("kind_name_"),
            KIND.c.abbreviation.label("kind_abbreviation_"),
            MILESTONE.c.happened_on.label("published_on_"),
        )
        .join(REVIEW, REVIEW.c.id == REC.c.review_id)
        .join(PARTNERSHIP, PARTNERSHIP.c.id == REVIEW.c.partnership_id)
        .join(KIND, KIND.c.key == REVIEW.c.kind)
        .outerjoin(MILESTONE, published)
        .where(REC.c.id.in_(_recommendations(f)))
    )
    found = [
        ListedRecommendation(
            _recommendation(row),
            row["partnership_id_"],
            row["short_name_"],
            row["review_ref_"],
            row["kind_"],
            row["kind_name_"],
            row["kind_abbreviation_"],
            row["published_on_"],
        )
        for row in conn.execute(stmt).mappings()
    ]
    return sorted(found, key=lambda r: (r.partnership, r.review_ref, r.recommendation.sort_key()))


def _recommendation(row: RowMapping) -> Recommendation:
    """``storage.mapping.recommendation_from_row``, with the numbers and scopes read once per spelling: a list
    of thousands repeats "1", "2" and "national" thousands of times."""
    return Recommendation(
        row["id"],
        row["review_id"],
        row["text"],
        _numbers(row["numbers"]),
        row["position"],
        _scopes(row["scope"]),
        row["addressee"],
        row["not_accepted_reason"],
    )


@lru_cache(maxsize=4096)
def _numbers(text: str) -> tuple[DottedNumber, ...]:
    return tuple(DottedNumber.parse(n) for n in text.split(",") if n)


@lru_cache(maxsize=64)
def _scopes(text: str) -> tuple[Scope, ...]:
    return tuple(Scope(s) for s in text.split(",") if s)


def facts(conn: Connection, f: RecommendationFilter) -> list[ActionFactsRow]:
    """The actions of the recommendations the filter keeps, with what their status reads, by position."""
    progress = exists().where(DECISION.c.action_id == ACTION.c.id, DECISION.c.event == str(Event.RECORD_PROGRESS))
    assured = (
        select(func.max(DECISION.c.at))
        .where(DECISION.c.action_id == ACTION.c.id, DECISION.c.event == str(Event.ASSURE))
        .scalar_subquery()
    )
    stmt = (
        select(
            ACTION.c.recommendation_id,
            ACTION.c.id,
            ACTION.c.ref,
            ACTION.c.agency_id,
            ACTION.c.state,
            ACTION.c.target_date,
            case((ACTION.c.state == str(State.OPEN), progress), else_=True).label("progress_"),
            case((ACTION.c.state == str(State.PARTNERSHIP_ASSURED), assured)).label("assured_at_"),
            func.coalesce(IMPACT.c.outcome, ""),
            func.coalesce(IMPACT.c.reason, ""),
        )
        .outerjoin(IMPACT, IMPACT.c.action_id == ACTION.c.id)
        .where(ACTION.c.recommendation_id.in_(_recommendations(f)))
        .order_by(ACTION.c.review_id, ACTION.c.position, ACTION.c.id)
    )
    return [ActionFactsRow._make(row) for row in conn.execute(stmt)]
