"""The decision log's head as people write it down: ``BCSP:214:3f2a9c0d1e2b4a5f``.

A partnership's decisions form a hash chain, so its last record (the head)
stands for every record before it. A head printed where people keep it (the
board pack, the sign-off certificate, the monthly board email) lets anyone check
later, with ``dhrflow log verify --expect-head BCSP:214:3f2a9c0d1e2b4a5f``, that
the log still holds that record unaltered: nothing up to it was cut or rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass

HEAD_DIGITS = 16
"""Hex digits of the hash written down. 64 bits: a rewritten log would need about 2**64 tries to
end up with a record whose hash starts with them, and 16 digits still fit on a line of the minutes
and can be read out. ``--expect-head`` takes 12 or more."""


@dataclass(frozen=True)
class LogHead:
    """A partnership's decision log head: its last decision's place and hash."""

    partnership: str
    """The partnership's short name, as ``--expect-head`` and ``log verify`` name it."""
    seq: int
    """0 while nothing is logged."""
    hash: str
    """The whole SHA-256 (hex)."""

    @property
    def text(self) -> str:
        """What ``dhrflow log verify --expect-head`` takes: ``PARTNERSHIP:SEQ:`` and ``HEAD_DIGITS`` of the hash."""
        return f"{self.partnership}:{self.seq}:{self.hash[:HEAD_DIGITS]}"

    @property
    def command(self) -> str:
        """The check to run later, ready to copy."""
        return f"dhrflow log verify --expect-head {self.text}"

    def __str__(self) -> str:
        return self.text
