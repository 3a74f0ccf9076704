"""The importer under property-based fuzzing: random tables, encodings, huge cells and binary data in
.txt, .csv, .docx and .xlsx files. Each file either imports or is refused with a clear import error
(``DocumentError``, ``WorkflowError``, ``DomainError``); nothing else escapes, and a refused import
writes nothing (rows counted before and after).
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from documents.errors import DocumentError
from documents.importer import read_plan
from domain.errors import DomainError
from tests.faults import tally
from tests.faults.databases import CLOCK_AT
from workflows.commands.import_plan import import_plan
from workflows.errors import WorkflowError
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import open_app
from workflows.runtime.settings import Settings

EXAMPLES = int(os.environ.get("DHRFLOW_FAULT_EXAMPLES", 40))
HEADER = [
    "Ref", "Action (SMART)", "Lead Officer and Agency", "Target Date for Completion", "Desired Outcome",
    "Monitoring Arrangements", "How will Success be Measured", "Outcome/Progress", "Written Evidence/ Location",
    "Status (RAG)", "Quality Assured by BCSP",
]  # fmt: skip
PREAMBLE = ["**BIRMINGHAM COMMUNITY", "SAFETY PARTNERSHIP**", "", "Domestic Homicide Review", "", "BDHR2011/12-03", ""]
TABLES = ("partnership", "agency", "review", "recommendation", "action", "decision", "outbox")

cell = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["3.1.1", "3.1.1", "Apr-14", "30/11/2013", "31/02/2014", "Red", "", "=1+1", "\x00", "Ref"]),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.just("x" * 70_000),  # a huge cell
)
row = st.lists(cell, min_size=0, max_size=14)
ref = st.builds(lambda a, b, c: f"{a}.{b}.{c}", *(st.integers(0, 12) for _ in range(3)))
action_row = st.builds(lambda r, rest: [r, *rest], ref, st.lists(cell, min_size=10, max_size=10))
table = st.tuples(
    st.booleans(),  # a real header row first
    st.booleans(),  # the review preamble first
    st.lists(st.one_of(row, action_row, action_row), max_size=12),
)


def _lines(with_header: bool, with_preamble: bool, rows: list[list[str]]) -> list[list[str]]:
    lines = [[p] for p in PREAMBLE] if with_preamble else []
    if with_header:
        lines.append(["NHS - Domestic Homicide Review Action Plan BDHR2011/12-03"])
        lines.append(HEADER)
    return lines + rows


def _write(folder: Path, fmt: str, encoding: str, lines: list[list[str]]) -> Path:
    path = folder / f"plan.{fmt}"
    if fmt == "txt":
        body = "\n".join("\t".join(r) for r in lines)
        path.write_bytes(body.encode(encoding, errors="replace"))
    elif fmt == "csv":
        out = io.StringIO()
        csv.writer(out).writerows(lines)
        path.write_bytes(out.getvalue().encode(encoding, errors="replace"))
    elif fmt == "docx":
        doc = Document()
        clean = [[_xml_safe(c) for c in r] for r in lines]
        width = max((len(r) for r in clean), default=1) or 1
        grid = doc.add_table(rows=0, cols=width)
        for r in clean:
            cells = grid.add_row().cells
            for i, value in enumerate(r):
                cells[i].text = value
        doc.save(str(path))
    else:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        for r in lines:
            sheet.append([_xml_safe(c)[:32_000] for c in r])
        book.save(path)
    return path


def _xml_safe(value: str) -> str:
    """What python-docx and openpyxl can write at all (XML 1.0 characters): the fuzzing is of our reader."""
    return "".join(ch for ch in value if ch in "\t\n\r" or (ord(ch) >= 0x20 and not 0xD800 <= ord(ch) <= 0xDFFF))


def _counts(url: str) -> tuple[int, ...]:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        return tuple(int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES)


async def _import(url: str, folder: Path, path: Path) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    before = _counts(url)
    try:
        outcome, after = await _import_counted(url, folder, path)
    except BaseException:
        tally.record("importer fuzzed", "sqlite", tally.Counts(trials=1, crashes=1))
        raise
    counts = tally.Counts(trials=1, partial_writes=int(outcome == "refused" and before != after))
    tally.record("importer fuzzed", "sqlite", counts)
    return outcome, before, after


async def _import_counted(url: str, folder: Path, path: Path) -> tuple[str, tuple[int, ...]]:
    refusal: Exception | None = None
    try:
        draft = read_plan(path)
        settings_ = Settings(_env_file=None, database_url=url, data_dir=folder)  # type: ignore[call-arg]
        async with open_app(settings_, clock=FixedClock(CLOCK_AT)) as app:
            await import_plan(draft, uow_factory=app.uow, clock=app.clock)
    except (DocumentError, WorkflowError, DomainError) as exc:
        refusal = exc
    if refusal is not None:
        message = str(refusal).strip()
        assert message and "\n" not in message, f"not one clear line: {refusal!r}"
    return ("refused" if refusal else "imported"), _counts(url)


@pytest.fixture
def fuzz_db(sqlite_template: Path, tmp_path: Path) -> str:
    shutil.copy(sqlite_template, tmp_path / "fuzz.db")
    return f"sqlite:///{tmp_path / 'fuzz.db'}"


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fmt=st.sampled_from(["txt", "csv", "docx", "xlsx"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]),
    generated=table,
)
def test_a_random_table_imports_or_is_refused_clearly_and_a_refusal_writes_nothing(
    fuzz_db: str, tmp_path: Path, fmt: str, encoding: str, generated: tuple[bool, bool, list[list[str]]]
) -> None:
    path = _write(tmp_path, fmt, encoding, _lines(*generated))
    outcome, before, after = asyncio.run(_import(fuzz_db, tmp_path, path))
    event(f"{fmt}: {outcome}")
    if outcome == "refused":
        assert before == after, "a refused import wrote rows"


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fmt=st.sampled_from(["txt", "tsv", "csv", "docx", "xlsx", "TXT"]), content=st.binary(max_size=4096))
def test_binary_rubbish_under_any_extension_is_refused_clearly(
    fuzz_db: str, tmp_path: Path, fmt: str, content: bytes
) -> None:
    path = tmp_path / f"rubbish.{fmt}"
    path.write_bytes(content)
    outcome, before, after = asyncio.run(_import(fuzz_db, tmp_path, path))
    if outcome == "refused":
        assert before == after


PARTS = [
    "[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
    "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
]  # fmt: skip
PART_BODIES = st.one_of(
    st.binary(max_size=200),
    st.sampled_from([b"<Types/>", b"<?xml version='1.0'?><x/>", b"", b"<a><b></a>", b"\xff\xfe"]),
    st.just(
        b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Override PartName="/word/document.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    ),
)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fmt=st.sampled_from(["docx", "xlsx"]),
    parts=st.dictionaries(st.sampled_from(PARTS), PART_BODIES, max_size=len(PARTS)),
)
def test_a_damaged_office_package_is_refused_clearly(
    fuzz_db: str, tmp_path: Path, fmt: str, parts: dict[str, bytes]
) -> None:
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    path = tmp_path / f"damaged.{fmt}"
    path.write_bytes(packed.getvalue())
    outcome, before, after = asyncio.run(_import(fuzz_db, tmp_path, path))
    event(f"{fmt}: {outcome}")
    if outcome == "refused":
        assert before == after
