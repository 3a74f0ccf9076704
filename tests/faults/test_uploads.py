"""Uploads that would hurt: a plan that is a zip bomb (the evidence check had one, the plan import had
none), a lying archive, an oversized plan, the wrong type. Each is a clear refusal that writes nothing."""

from __future__ import annotations

import io
import sqlite3
import time
import zipfile
from pathlib import Path

import pytest

from documents.errors import PlanImportError
from documents.importer import read_plan
from tests.e2e.conftest import COORDINATOR, Site
from tests.faults import tally


def _bomb(part: str) -> bytes:
    """A well-formed Office package whose main part inflates 1,000-fold (300 MB of spaces)."""
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(part, "w", force_zip64=True) as handle:
            handle.write(b'<?xml version="1.0"?><worksheet>')
            chunk = b" " * (1024 * 1024)
            for _ in range(300):
                handle.write(chunk)
            handle.write(b"</worksheet>")
    return packed.getvalue()


@pytest.mark.parametrize(("suffix", "part"), [(".xlsx", "xl/worksheets/sheet1.xml"), (".docx", "word/document.xml")])
def test_a_plan_that_is_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path, suffix: str, part: str) -> None:
    path = tmp_path / f"plan{suffix}"
    path.write_bytes(_bomb(part))
    assert path.stat().st_size < 2 * 1024 * 1024
    started = time.monotonic()
    with pytest.raises(PlanImportError, match="zip bomb"):
        read_plan(path)
    assert time.monotonic() - started < 2  # refused from the directory, not after inflating


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_plan_uploads_that_would_hurt_are_clear_refusals_that_write_nothing(
    site: Site, database_url: str
) -> None:
    coordinator = await site.token(COORDINATOR)
    db = database_url.removeprefix("sqlite:///")

    def rows() -> int:
        with sqlite3.connect(db) as conn:
            return sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("action", "decision"))

    before = rows()
    cases = [
        ("plan.xlsx", _bomb("xl/worksheets/sheet1.xml"), "zip bomb"),
        ("plan.exe", b"MZ\x90\x00", "a plan is a"),
        ("plan.docx", b"PK\x03\x04 not really a zip", "not a valid"),
        ("plan.txt", b"\x00\x01\x02" * 100, ""),
    ]
    answers = []
    async with site.client() as client:
        for name, content, _ in cases:
            done = await client.post("/api/v1/imports", files={"plan": (name, content)}, headers=coordinator)
            answers.append(done)
    crashes = sum(a.status_code >= 500 for a in answers)
    tally.record(
        "bad plan uploads", "sqlite", tally.Counts(len(cases), crashes=crashes, partial_writes=rows() - before)
    )
    for (name, _, message), done in zip(cases, answers, strict=True):
        assert done.status_code == 422, (name, done.status_code, done.text)
        assert message in done.json()["detail"], (name, done.text)
    assert rows() == before
