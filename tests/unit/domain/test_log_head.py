"""The head dhrflow prints for people to keep is exactly what ``log verify --expect-head`` takes."""

from __future__ import annotations

import hashlib

from domain.log_head import HEAD_DIGITS, LogHead
from workflows.queries.log import ExpectedHead

HASH = hashlib.sha256(b"a decision").hexdigest()


def test_the_printed_head_is_the_short_name_seq_and_the_first_16_hex_digits() -> None:
    head = LogHead("BCSP", 214, HASH)
    assert HEAD_DIGITS == 16
    assert head.text == str(head) == f"BCSP:214:{HASH[:16]}"
    assert head.command == f"dhrflow log verify --expect-head BCSP:214:{HASH[:16]}"


def test_the_printed_head_parses_back_as_the_expected_head() -> None:
    assert ExpectedHead.parse(LogHead("BCSP", 214, HASH).text) == ExpectedHead("BCSP", 214, HASH[:16])
