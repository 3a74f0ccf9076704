"""The decision log going out, as CSV or JSON, with the result of checking its hash chain.

Every record is written with every hashed field exactly as the chain hashes it
(``at`` in its canonical UTC form, ``payload`` and ``evidence_hashes`` as the
stored JSON text), so that anyone can check the chain again from the file alone:
``hash = SHA-256(prev_hash + "|" + canonical JSON of the hashed fields)``, the
canonical JSON having sorted keys, no spaces and no ASCII escaping. In the CSV a
cell a spreadsheet would run as a formula (a note starting ``=``) has a quote put
in front (``documents.csv_safe``): take it off (``csv_safe.unescape``) before
hashing; the JSON has the text as hashed.

Both writers take the records one at a time: a log of a million decisions is
streamed, never held whole.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TextIO

from documents import csv_safe
from domain.review_kinds import ReviewKind

FIELDS = (
    "seq",
    "id",
    "at",
    "review_ref",
    "action_ref",
    "event",
    "actor_name",
    "actor_role",
    "from_state",
    "to_state",
    "reason",
    "note",
    "evidence_hashes",
    "payload",
    "partnership_id",
    "review_id",
    "action_id",
    "actor_id",
    "on_behalf_of_id",
    "prev_hash",
    "hash",
)
"""The columns of a record, the ones people read first."""

OK = "ok"
AFTER_BREAK = "not checked: after the break"


class LogSink(Protocol):
    def start(
        self, partnership: str, hashed_fields: Sequence[str], reviews: Mapping[str, ReviewKind] | None = None
    ) -> None:
        """The head of the file: the partnership, the fields hashed, and the kind of each review by its ref."""

    def row(self, record: dict[str, Any], check: str) -> None:
        """One record, and what the chain check says of it (``OK``, the problem, or ``AFTER_BREAK``)."""

    def finish(self, check: dict[str, Any]) -> None:
        """The check of the whole log (``LogReport.to_json``)."""


class CsvLog:
    """One row per record, with the kind of its review (``review_kind``, not hashed: the review's, read when the
    file is made) and a ``chain_check`` column; the summary is the caller's to show."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv_safe.DictWriter(out, [*FIELDS, "review_kind", "chain_check"])
        self._kinds: Mapping[str, ReviewKind] = {}

    def start(
        self, partnership: str, hashed_fields: Sequence[str], reviews: Mapping[str, ReviewKind] | None = None
    ) -> None:
        self._kinds = reviews or {}
        self._writer.writeheader()

    def row(self, record: dict[str, Any], check: str) -> None:
        kind = self._kinds.get(record.get("review_ref") or "")
        self._writer.writerow(record | {"review_kind": kind.abbreviation if kind else "", "chain_check": check})

    def finish(self, check: dict[str, Any]) -> None:
        return None


class JsonLog:
    """One JSON object: the partnership, how the hashes are made, the records, then the check."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._first = True

    def start(
        self, partnership: str, hashed_fields: Sequence[str], reviews: Mapping[str, ReviewKind] | None = None
    ) -> None:
        head = json.dumps(
            {
                "partnership": partnership,
                "reviews": {ref: kind.to_json() for ref, kind in sorted((reviews or {}).items())},
                "hash": 'SHA-256 of prev_hash + "|" + the canonical JSON (sorted keys, no spaces, no ASCII '
                "escaping) of hashed_fields",
                "hashed_fields": list(hashed_fields),
            },
            ensure_ascii=False,
        )
        self._out.write(head[:-1] + ', "decisions": [\n')

    def row(self, record: dict[str, Any], check: str) -> None:
        if not self._first:
            self._out.write(",\n")
        self._first = False
        self._out.write(json.dumps({k: record[k] for k in FIELDS} | {"chain_check": check}, ensure_ascii=False))

    def finish(self, check: dict[str, Any]) -> None:
        self._out.write('\n], "check": ' + json.dumps(check, ensure_ascii=False) + "}\n")
