"""The plan as CSV: one row per action, every column, in document order."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from typing import Any, TextIO

COLUMNS = (
    "review_ref",
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
)


def write_actions_csv(actions: Sequence[dict[str, Any]], out: TextIO) -> None:
    """Write ``actions`` (as ``ActionView.to_json`` gives them); ``extra`` goes out as JSON."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for action in actions:
        writer.writerow(action | {"extra": json.dumps(action.get("extra") or {}, ensure_ascii=False)})
