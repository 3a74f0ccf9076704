"""Opaque cursors: where a list operation goes on from, as base64url JSON of what names the place (the kind of
list, then the last item's sort key).

Not signed: a cursor only says where to start, and what the person may see is decided again on every call.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from workflows.errors import InvalidInput

T = TypeVar("T")

MAX_TEXT = 1000
"""The longest text a cursor may carry (a ref, a name)."""


def encode(kind: str, values: list[Any]) -> str:
    """A cursor of the list ``kind`` naming ``values`` (JSON's: text, numbers, booleans)."""
    text = json.dumps([kind, *values], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(cursor: str, kind: str) -> list[Any]:
    """The values a cursor of the list ``kind`` names.

    Raises:
        InvalidInput: not a cursor this list gave (start again without it).
    """
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        raise refused() from None
    if not isinstance(decoded, list) or not decoded or decoded[0] != kind:
        raise refused()
    return decoded[1:]


def refused() -> InvalidInput:
    return InvalidInput("cursor: not one this list gave, or of another sort or order; start again without it")


def is_text(value: Any) -> bool:
    """A ref or a name as the database could hold it (PostgreSQL refuses text holding NUL)."""
    return isinstance(value, str) and len(value) <= MAX_TEXT and "\x00" not in value


def is_int(value: Any) -> bool:
    """A whole number either database holds (a signed 64-bit integer)."""
    return isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63


def after(
    items: Sequence[T], place: Callable[[T], tuple[int, ...]], *, kind: str, limit: int, cursor: str | None
) -> tuple[list[T], str | None]:
    """At most ``limit`` of ``items`` (a list already bounded, in the order of ``place``: whole numbers that
    place each item once) after the place ``cursor`` names, and the cursor of the next slice (``None``: these
    were the last). An item gone meanwhile shifts nothing: the cursor names a place, not a position.

    Raises:
        InvalidInput: a cursor of another list, or none this one gave.
    """
    ordered = sorted(items, key=place)
    if cursor:
        last = decode(cursor, kind)
        if not last or len(last) > 8 or not all(is_int(v) for v in last):
            raise refused()
        ordered = [i for i in ordered if place(i) > tuple(last)]
    if len(ordered) <= limit:
        return ordered, None
    return ordered[:limit], encode(kind, list(place(ordered[limit - 1])))
