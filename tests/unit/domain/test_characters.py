"""Names that would show as something else are refused: control and bidi characters (issue 14)."""

from __future__ import annotations

import pytest

from domain.characters import refused_character
from domain.evidence import EvidenceRefused, check_evidence

REFUSED = [
    "\x00",
    "\t",
    "\n",
    "\r",
    "\x1b",
    "\x7f",
    "\x85",
    *(chr(c) for c in range(0x202A, 0x202F)),
    *(chr(c) for c in range(0x2066, 0x206A)),
    "\u200e",
    "\u200f",
    "\u061c",
    "\u2028",
    "\u2029",
]


@pytest.mark.parametrize("char", REFUSED, ids=lambda c: f"U+{ord(c):04X}")
def test_a_control_or_bidi_character_anywhere_in_a_name_is_refused_by_its_code_point(char: str) -> None:
    assert refused_character(f"Jane{char}Doe") == f"control or bidi character U+{ord(char):04X} is not allowed"


@pytest.mark.parametrize("name", ["Zoë O'Brien-Smith", "محمد علي", "דנה לוי", "Nguyễn Thị Minh", "Anne  Marie", "a.b"])
def test_names_in_any_script_with_spaces_and_punctuation_are_fine(name: str) -> None:
    assert refused_character(name) is None


def test_an_evidence_file_named_to_show_another_extension_is_refused_and_the_message_holds_no_override() -> None:
    with pytest.raises(EvidenceRefused) as refused:
        check_evidence("C:\\Users\\lead\\invoice\u202efdp.txt", b"minutes of the meeting")
    message = str(refused.value)
    assert message == "evidence file 'invoice\\u202efdp.txt': control or bidi character U+202E is not allowed"
    assert refused_character(message) is None


def test_an_evidence_file_name_with_a_line_break_is_refused() -> None:
    with pytest.raises(EvidenceRefused, match=r"U\+000A is not allowed"):
        check_evidence("notes\nBcc: x.txt", b"minutes")
