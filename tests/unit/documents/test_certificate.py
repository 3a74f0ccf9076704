"""The sign-off certificate as a PDF reads as a form: every label stands clear of its value, on its line
(issue 16: "frozenseq", a label run into its value, and lines justified apart)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from documents.certificate import Certificate, certificate_pdf
from domain.log_head import LogHead

HASH = "3f2a" * 16
GAP_PT = 8.5
"""3 mm: a label and its value read as two things."""


def _certificate() -> Certificate:
    return Certificate(
        partnership="Birmingham Community Safety Partnership",
        short_name="BCSP",
        review_ref="BCSP-DHR-2014-01",
        title="Domestic Homicide Review 'Adult A' action plan",
        signed_by="Chris Coordinator",
        signed_role="coordinator",
        signed_at=datetime(2026, 12, 3, 14, 5),
        snapshot_sha256=HASH,
        snapshot_matches=True,
        logged_sha256=HASH,
        decision_seq=41,
        decision_hash=HASH,
        log_head_seq=40,
        log_head_hash=HASH,
        head_now=LogHead("BCSP", 44, HASH),
        actions_by_state={"partnership_assured": 12, "withdrawn": 1},
        chain_ok=True,
        chain_checked=44,
    )


@pytest.mark.parametrize("core_font", [False, True], ids=["unicode font", "core font"])
def test_each_label_ends_before_its_value_begins_on_the_same_line(tmp_path: Path, core_font: bool) -> None:
    certificate = _certificate()
    path = tmp_path / "certificate.pdf"
    path.write_bytes(certificate_pdf(certificate, core_font=core_font))
    document = pdfium.PdfDocument(path)
    try:
        text = document[0].get_textpage()
        title_at, title_chars = _find(text, certificate.title[:20])
        at = title_at + title_chars  # the rows come after the heading, which names the partnership too
        for label, value in certificate.rows():
            label_at, label_chars = _find(text, label, after=at)
            at = label_at + label_chars
            value_at, _ = _find(text, value.split()[0], after=label_at + label_chars)
            label_box = text.get_charbox(label_at + label_chars - 1)
            value_box = text.get_charbox(value_at)
            left, bottom, right = 0, 1, 2
            assert value_box[left] - label_box[right] >= GAP_PT, f"{label!r} runs into its value"
            first_label_line = text.get_charbox(label_at)
            same_line = abs(first_label_line[bottom] - value_box[bottom]) < 1
            assert same_line, f"{label!r} and its value start on different lines"
    finally:
        document.close()


def _find(text: pdfium.PdfTextPage, needle: str, after: int = 0) -> tuple[int, int]:
    """Where ``needle`` first appears at or after character ``after`` (a long label may wrap: its first word)."""
    words = needle.split()
    searcher = text.search(words[0] if len(needle) > 24 else needle, index=after, match_case=True)
    found = searcher.get_next()
    assert found is not None, f"{needle!r} is not on the certificate"
    at, count = found
    if len(needle) > 24:  # wrapped: the label ends where its last word ends
        last = text.search(words[-1], index=at, match_case=True).get_next()
        assert last is not None
        return at, last[0] + last[1] - at
    return at, count
