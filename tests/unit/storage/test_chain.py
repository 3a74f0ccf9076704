"""The decision log's canonical JSON, written out field by field, must be byte for byte what
``json.dumps`` gives: every hash already in a database was computed with it."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from typing import Any

import pytest

from storage.chain import HASHED_FIELDS, canonical_content, content_template, json_value, record_hash, verify_chain


def reference_hash(record: dict[str, Any]) -> str:
    """The chain's hash as first written: a dict through ``json.dumps``."""
    at = record["at"]
    if at.utcoffset() is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    content = {name: record[name] for name in HASHED_FIELDS} | {"at": at.isoformat(timespec="microseconds") + "Z"}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{record['prev_hash']}|{canonical}".encode()).hexdigest()


class Event(StrEnum):
    SUBMIT = "submit"


def record(**values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "partnership_id": 1,
        "seq": 7,
        "review_id": None,
        "review_ref": "DHR 1",
        "action_id": 12,
        "action_ref": "3.11.1",
        "actor_id": None,
        "actor_name": "system",
        "actor_role": "system",
        "on_behalf_of_id": None,
        "event": "escalated",
        "from_state": "open",
        "to_state": "open",
        "reason": "",
        "note": "",
        "evidence_hashes": "[]",
        "payload": '{"step":"overdue"}',
        "at": datetime(2026, 11, 26, 7, 0, 0, 12),
        "prev_hash": "0" * 64,
        "id": 99,
        "hash": "ignored",
    }
    return base | values


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"reason": 'quotes " and \\ backslashes, tabs\t, newlines\n, bell \x07 and NUL \x00'},
        {"note": "non-ASCII kept as is: café, Łódź, 日本 and emoji 🙂"},
        {"event": Event.SUBMIT, "actor_id": 2**70, "on_behalf_of_id": -3, "review_id": 0},
        {"at": datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=1)))},
        {"at": datetime(2026, 3, 29, 1, 30, tzinfo=UTC), "seq": True},
        {"payload": json.dumps({"ladder": "lead_officer", "notify": ["director"]}, sort_keys=True)},
    ],
)
def test_the_written_out_canonical_json_hashes_as_json_dumps_does(values: dict[str, Any]) -> None:
    assert record_hash(record(**values)) == reference_hash(record(**values))


def test_the_canonical_content_is_compact_sorted_json_of_the_hashed_fields() -> None:
    content = json.loads(canonical_content(record()))
    assert list(content) == sorted(HASHED_FIELDS)
    assert content["at"] == "2026-11-26T07:00:00.000012Z"


def test_a_chain_hashed_the_old_way_still_verifies() -> None:
    chain = []
    prev = "0" * 64
    for seq in range(1, 4):
        r = record(seq=seq, prev_hash=prev, id=seq, note=f"n{seq} é")
        r["hash"] = prev = reference_hash(r)
        chain.append(r)
    assert verify_chain(chain).ok


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"action_ref": 'a "quoted" ref\\ with é and \n', "review_ref": "DHR \u2028 2", "seq": 10**12},
        {
            "review_id": None,
            "reason": "tabs\t",
            "at": datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=1))),
        },
    ],
)
def test_a_template_filled_in_gives_the_canonical_content(values: dict[str, Any]) -> None:
    r = record(**values)
    varying = ("action_id", "action_ref", "prev_hash", "seq")
    pieces = content_template(r, varying)
    filled = pieces[0] + "".join(json_value(r[name]) + piece for name, piece in zip(varying, pieces[1:], strict=True))
    assert filled == canonical_content(r)


@pytest.mark.parametrize("varying", [("seq", "action_id"), ("at",), ("hash",), ("action_id", "action_id")])
def test_a_template_varies_hashed_fields_but_the_time_named_in_canonical_order(varying: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="varying fields"):
        content_template(record(), varying)
