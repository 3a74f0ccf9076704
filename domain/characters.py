"""Characters a name may not hold: control characters and the ones that reorder text around them.

A name is shown on pages, in file lists, in email bodies and in documents, where it should read as
what it is. A right-to-left override makes the evidence file ``invoice\\u202efdp.txt`` show as
"invoicetxt.pdf"; a CR or LF in a person's name splits the lines of every email that names them; a
NUL is cut short by some tools and refused by PostgreSQL. Such a name is refused, not cleaned: a
name quietly changed is not the one the person typed, and they should see why.

Refused: every control character (Unicode category Cc, tab included: a name is one line), the bidi
embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), the direction marks (U+200E,
U+200F, U+061C), and the line and paragraph separators (U+2028, U+2029), which split lines as
CR and LF do. Letters of right-to-left scripts are fine: they order themselves.
"""

from __future__ import annotations

import unicodedata

BIDI_CONTROLS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)] + ["\u200e", "\u200f", "\u061c"]
)
LINE_SEPARATORS = frozenset("\u2028\u2029")


def refused_character(text: str) -> str | None:
    """Why ``text`` cannot be a name, naming its first refused character, or ``None`` when it can.

    The message reads ``control or bidi character U+202E is not allowed``; callers put the name and
    the field in front, shown with ``repr`` so the message itself holds no such character.
    """
    for char in text:
        if char in BIDI_CONTROLS or char in LINE_SEPARATORS or unicodedata.category(char) == "Cc":
            return f"control or bidi character U+{ord(char):04X} is not allowed"
    return None
