"""The plan as CSV: one row per action, every column, in document order.

Data, not a layout: the columns as imported, where each action stands (state,
RAG, version) and, for a plan export, the tracker's lines of the progress and
quality-assured cells. Imported back, a plan comes from its DOCX, XLSX or the
original; this file is for spreadsheets and other systems. A cell a spreadsheet
would run as a formula goes out with a quote in front (``documents.csv_safe``),
which the CSV importer takes off again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from documents import csv_safe
from documents.plan_out import Plan, PlanAction

COLUMNS = (
    "review_ref",
    "review_kind",
    "ref",
    "agency",
    "recommendation",
    "action",
    "lead",
    "target_date",
    "target_date_text",
    "desired_outcome",
    "monitoring",
    "success_measure",
    "outcome_progress",
    "evidence_location",
    "status_rag",
    "quality_assured_by",
    "route",
    "state",
    "rag",
    "version",
    "extra",
    "progress_update",
    "checks",
)
PUBLIC_LEFT_OUT = ("evidence_location", "extra", "progress_update")
"""Columns a public version does not have (``documents.redact``)."""


def write_actions_csv(actions: Sequence[dict[str, Any]], out: TextIO, columns: Sequence[str] = COLUMNS) -> None:
    """Write ``actions`` (as ``ActionView.to_json`` gives them); ``extra`` goes out as JSON."""
    writer = csv_safe.DictWriter(out, columns)
    writer.writeheader()
    for action in actions:
        writer.writerow(action | {"extra": json.dumps(action.get("extra") or {}, ensure_ascii=False)})


def write_plan_csv(plan: Plan, out: TextIO) -> None:
    """Write ``plan``'s actions, with the latest progress and the checks the tracker recorded."""
    columns = [c for c in COLUMNS if not (plan.public and c in PUBLIC_LEFT_OUT)]
    write_actions_csv([_row(plan, action) for action in plan.actions], out, columns)


def _row(plan: Plan, action: PlanAction) -> dict[str, Any]:
    c = action.columns
    return {
        "review_ref": plan.review_ref,
        "review_kind": plan.kind.name if plan.kind else "",
        "ref": action.ref,
        "agency": action.agency,
        "recommendation": action.recommendation,
        "action": c.action,
        "lead": c.lead,
        "target_date": action.target_date.isoformat() if action.target_date else "",
        "target_date_text": c.target_date_text,
        "desired_outcome": c.desired_outcome,
        "monitoring": c.monitoring,
        "success_measure": c.success_measure,
        "outcome_progress": c.outcome_progress,
        "evidence_location": c.evidence_location,
        "status_rag": c.status_rag,
        "quality_assured_by": c.quality_assured_by,
        "route": action.route,
        "state": action.state,
        "rag": str(action.rag),
        "version": action.version,
        "extra": c.extra,
        "progress_update": action.progress.text() if action.progress else "",
        "checks": "; ".join(check.text() for check in action.checks),
    }
