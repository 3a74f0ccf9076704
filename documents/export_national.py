"""The national picture as a file: every national-scope recommendation, as CSV or JSON.

The fields and their meaning are ``docs/schemas/national-recommendations.schema.json`` (the JSON validates
against it; the CSV has one column per field, in the same order, ``scope`` joined by commas and an empty cell
for a date not yet known). The rows come from ``workflows.queries.recommendations.NationalExport``; no field
names a person. Cells a spreadsheet would run as formulas go out quoted (``documents.csv_safe``).
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any

from documents import csv_safe


def national_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> bytes:
    """The rows as CSV (UTF-8), a header row first."""
    out = io.StringIO()
    writer = csv_safe.DictWriter(out, fieldnames=list(columns))
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row[k]) for k in columns})
    return out.getvalue().encode("utf-8")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return value


def national_json(document: dict[str, Any]) -> bytes:
    """The document as JSON, one recommendation a line: readable, and written by the standard library's C
    encoder (an indented dump goes through its pure-Python one, four times slower for 16,000 of them)."""
    head = {k: v for k, v in document.items() if k != "recommendations"}
    rows = ",\n".join(json.dumps(r, ensure_ascii=False) for r in document["recommendations"])
    opened = json.dumps(head, ensure_ascii=False)[:-1]
    return f'{opened}, "recommendations": [\n{rows}\n]}}\n'.encode()
