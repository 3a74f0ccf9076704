"""The decision log's hash chain.

Each record's ``hash`` is SHA-256 over the previous record's hash and the
record's canonical content (sorted-key JSON of every column but ``id`` and
``hash``). Changing, removing or reordering any record breaks the chain from
that record on, and ``verify_chain`` names the first bad one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
"""The ``prev_hash`` of a partnership's first decision."""

HASHED_FIELDS = (
    "partnership_id",
    "seq",
    "review_id",
    "review_ref",
    "action_id",
    "action_ref",
    "actor_id",
    "actor_name",
    "actor_role",
    "on_behalf_of_id",
    "event",
    "from_state",
    "to_state",
    "reason",
    "note",
    "evidence_hashes",
    "payload",
    "at",
    "prev_hash",
)


def canonical_time(at: datetime) -> str:
    """UTC to the microsecond: what both SQLite and PostgreSQL give back unchanged."""
    if at.utcoffset() is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds") + "Z"


def record_hash(record: Mapping[str, Any]) -> str:
    content = {name: record[name] for name in HASHED_FIELDS}
    content["at"] = canonical_time(content["at"])
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{record['prev_hash']}|{canonical}".encode()).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_bad_id: int | None = None
    problem: str = ""
    head_seq: int = 0
    head_hash: str = GENESIS
    """The last good record's place and hash: written down elsewhere, it lets a later check prove
    that nothing was cut from the end or rewritten before it (``--expect-head``)."""

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None


def verify_chain(records: Iterable[Mapping[str, Any]]) -> ChainReport:
    """Check records of ONE partnership, given in ``seq`` order; stop at the first bad one."""
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    for record in records:
        label = (
            f"decision {record['id']} (seq {record['seq']}, {record['event']} on {record['action_ref'] or 'review'})"
        )
        problem = ""
        if record["seq"] != expected_seq:
            problem = f"{label}: expected seq {expected_seq}: a record is missing"
        elif record["prev_hash"] != expected_prev:
            problem = f"{label}: does not follow the record before it"
        elif record_hash(record) != record["hash"]:
            problem = f"{label}: content does not match its hash: it was altered"
        if problem:
            return ChainReport(checked, record["id"], problem, expected_seq - 1, expected_prev)
        expected_prev = record["hash"]
        expected_seq += 1
        checked += 1
    return ChainReport(checked, head_seq=expected_seq - 1, head_hash=expected_prev)
