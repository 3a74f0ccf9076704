"""The decision log's hash chain.

Each record's ``hash`` is SHA-256 over the previous record's hash and the
record's canonical content (sorted-key JSON of every column but ``id`` and
``hash``). Changing, removing or reordering any record breaks the chain from
that record on, and ``verify_chain`` names the first bad one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from json.encoder import encode_basestring
from typing import Any

from sqlalchemy.engine import Connection

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

ChainRecord = Mapping[str, Any]
"""A decision as the chain reads it: its columns by name, as stored (``Decisions.chain`` gives them)."""


_SORTED_FIELDS = tuple(sorted(HASHED_FIELDS))
_KEY_PREFIXES = tuple(f"{encode_basestring(name)}:" for name in _SORTED_FIELDS)


@lru_cache(maxsize=256)  # a batch of decisions shares one ``at``; equal datetimes give equal text
def canonical_time(at: datetime) -> str:
    """UTC to the microsecond: what both SQLite and PostgreSQL give back unchanged."""
    if at.utcoffset() is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds") + "Z"


def plain_record(record: ChainRecord) -> dict[str, Any]:
    """The record as the chain hashes it, ``at`` in its canonical text: what an exported log writes."""
    return {**record, "at": canonical_time(record["at"])}


def canonical_content(record: Mapping[str, Any]) -> str:
    """The record's hashed fields as sorted-key, compact, non-ASCII-escaping JSON, ``at`` as
    ``canonical_time``: exactly ``json.dumps(content, sort_keys=True, separators=(",", ":"),
    ensure_ascii=False)``, written out field by field because building the dict and the encoder
    for every record cost more than the hash (a catch-up sweep hashes a million records).
    """
    values = [record[name] for name in _SORTED_FIELDS]
    values[_AT] = canonical_time(values[_AT])
    return "{" + ",".join([prefix + json_value(v) for prefix, v in zip(_KEY_PREFIXES, values, strict=True)]) + "}"


_AT = _SORTED_FIELDS.index("at")


def json_value(value: Any) -> str:
    """``json.dumps`` of one value as the canonical content writes it, the fast cases (the log's columns)
    spelt out."""
    if value is None:
        return "null"
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is int:
        return int.__repr__(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def record_hash(record: Mapping[str, Any]) -> str:
    return chained_hash(record["prev_hash"], canonical_content(record))


def chained_hash(prev_hash: str, content: str) -> str:
    """A record's hash from the previous record's and its own canonical content."""
    return hashlib.sha256(f"{prev_hash}|{content}".encode()).hexdigest()


def content_template(fixed: Mapping[str, Any], varying: Sequence[str]) -> tuple[str, ...]:
    """The canonical content of records that share every hashed field but ``varying``, cut around those.

    Returns ``len(varying) + 1`` pieces of text: a record's ``canonical_content`` is
    the first piece, then each varying field's value as JSON (``json_value``) and
    the next piece, in turn. Why: a sweep's firings share all but four of the
    nineteen fields, and formatting four values is a fraction of writing out all
    of them for each record.

    Raises:
        ValueError: ``varying`` is not in canonical (sorted) order, names ``at`` or a field that is not
            hashed, or ``fixed`` lacks one of the others.
    """
    if list(varying) != sorted(set(varying)) or not set(varying) <= set(HASHED_FIELDS) - {"at"}:
        raise ValueError(f"varying fields must be hashed ones but 'at', in sorted order: {varying!r}")
    pieces: list[str] = []
    text = "{"
    for i, (name, prefix) in enumerate(zip(_SORTED_FIELDS, _KEY_PREFIXES, strict=True)):
        text += ("," if i else "") + prefix
        if name in varying:
            pieces.append(text)
            text = ""
        elif name == "at":
            text += json_value(canonical_time(fixed[name]))
        else:
            text += json_value(fixed[name])
    pieces.append(text + "}")
    return tuple(pieces)


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


SEAL_OPTION = "dhrflow_log_key"
"""The engine's execution option holding the log key (``DHRFLOW_LOG_KEY``), when one is set."""


def log_key(conn: Connection) -> bytes | None:
    """The key this connection's appends seal with, if the application was given one."""
    key = conn.get_execution_options().get(SEAL_OPTION)
    return key if isinstance(key, bytes) and key else None


def seal(key: bytes, record_hash_: str) -> str:
    """A record's seal: HMAC-SHA-256 of its hash under the log key, kept outside the database. A writer of
    the database alone can chain a record (``record_hash``) but not seal it."""
    return hmac.new(key, record_hash_.encode(), hashlib.sha256).hexdigest()


def seal_problems(records: Iterable[Mapping[str, Any]], key: bytes) -> list[str]:
    """Records whose seal is wrong, and records without one after the first sealed record (the key was set
    then: every record since must carry one). Records before it, written before there was a key, pass."""
    problems: list[str] = []
    sealing = False
    for record in records:
        found = record.get("seal")
        if found is None:
            if sealing:
                problems.append(
                    f"decision seq {record['seq']} ({record['event']}) carries no seal: written without the log key"
                )
            continue
        sealing = True
        if not hmac.compare_digest(str(found), seal(key, str(record["hash"]))):
            problems.append(f"decision seq {record['seq']} ({record['event']}): its seal does not match the log key")
    return problems
