"""Rows to domain objects and back."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from domain.model import (
    Action,
    ActionColumns,
    Agency,
    DottedNumber,
    Note,
    Partnership,
    Person,
    Recommendation,
    Review,
    ReviewStatus,
    Route,
    Scope,
)
from domain.roles import Role
from domain.states import State
from domain.target_dates import AfterEvent

COLUMN_FIELDS = tuple(name for name in ActionColumns.__dataclass_fields__ if name != "extra")


def action_from_row(row: Mapping[str, Any]) -> Action:
    columns = ActionColumns(**{name: row[name] for name in COLUMN_FIELDS}, extra=json.loads(row["extra"]))
    return Action(
        id=row["id"],
        review_id=row["review_id"],
        agency_id=row["agency_id"],
        ref=row["ref"],
        columns=columns,
        target_date=row["target_date"],
        route=Route(row["route"]),
        recommendation_id=row["recommendation_id"],
        state=State(row["state"]),
        version=row["version"],
        lead_officer_id=row["lead_officer_id"],
        submitted_by=row["submitted_by"],
        submitted_for=row["submitted_for"],
        verified_by=row["verified_by"],
        verified_for=row["verified_for"],
        returned=bool(row["returned"]),
        waiting_since=row["waiting_since"],
        original_target_date=row["original_target_date"],
        reported_complete=bool(row["reported_complete"]),
        reported_complete_on=row["reported_complete_on"],
        target_after=_after_event(row.get("target_after_months"), row.get("target_after_event") or ""),
    )


def _after_event(months: int | None, event: str) -> AfterEvent | None:
    return AfterEvent(months, event) if months is not None and event else None


def columns_to_row(columns: ActionColumns) -> dict[str, Any]:
    values = asdict(columns)
    values["extra"] = json.dumps(values.pop("extra"), sort_keys=True, ensure_ascii=False)
    return values


def partnership_from_row(row: Mapping[str, Any]) -> Partnership:
    return Partnership(id=row["id"], name=row["name"], short_name=row["short_name"])


def person_from_row(row: Mapping[str, Any]) -> Person:
    return Person(
        id=row["id"],
        partnership_id=row["partnership_id"],
        name=row["name"],
        email=row["email"],
        role=Role(row["role"]),
        agency_id=row["agency_id"],
    )


def agency_from_row(row: Mapping[str, Any]) -> Agency:
    return Agency(id=row["id"], partnership_id=row["partnership_id"], name=row["name"], director_id=row["director_id"])


def review_from_row(row: Mapping[str, Any]) -> Review:
    return Review(
        id=row["id"],
        partnership_id=row["partnership_id"],
        ref=row["ref"],
        title=row["title"],
        status=ReviewStatus(row["status"]),
        notes=tuple(Note(n["location"], n["text"]) for n in json.loads(row["notes"] or "[]")),
        kind=row["kind"],
        imported_on=row["imported_on"],
    )


def recommendation_from_row(row: Mapping[str, Any]) -> Recommendation:
    numbers = tuple(DottedNumber.parse(n) for n in row["numbers"].split(",") if n)
    return Recommendation(
        id=row["id"],
        review_id=row["review_id"],
        text=row["text"],
        numbers=numbers,
        position=row["position"],
        scope=tuple(Scope(s) for s in row["scope"].split(",") if s),
        addressee=row["addressee"],
        not_accepted_reason=row["not_accepted_reason"],
    )
