"""The seed plan, variants of it, and plan documents built in tests (Word, Excel, CSV).

Shared by the import tests. Documents are built with the same libraries the
readers use, so each test states the layout it exercises in a few lines.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import docx
import openpyxl

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_SEED_PLAN = REPO_ROOT.parent / "shared" / "fixtures" / "bdhr-2011-12-03-action-plan.txt"
"""The canonical fixture; ``shared/`` sits beside the repository in the team's checkouts and in CI."""
BUNDLED_SEED_PLAN = REPO_ROOT / "documents" / "seed" / "bdhr-2011-12-03-action-plan.txt"
"""The copy dhrflow ships for its demo; a test keeps it byte-identical to the shared one."""
SEED_PLAN = SHARED_SEED_PLAN if SHARED_SEED_PLAN.exists() else BUNDLED_SEED_PLAN
"""What the tests import: the canonical fixture, or the shipped copy in a clone without ``shared/``."""

SEED_REFS = [
    "3.1.1",
    "3.1.2",
    "3.2.3",
    "3.2.4",
    "3.5.1",
    "3.8.1",
    "3.8.2",
    "3.9.1",
    "3.2.1",
    "3.2.2",
    "3.5.2",
    "3.11.1",
    "3.11.2",
]
"""The seed's action refs in file order."""

HEADER = [
    "Ref",
    "Action (SMART)",
    "Lead Officer and Agency",
    "Target Date for Completion",
    "Desired Outcome",
    "Monitoring Arrangements",
    "How will Success be Measured",
    "Outcome/Progress",
    "Written Evidence/ Location",
    "Status (RAG)",
    "Quality Assured by BCSP",
]
"""The seed's header row."""


def seed_lines() -> list[str]:
    """The seed's lines, without line ends (line N is index N - 1)."""
    return SEED_PLAN.read_text(encoding="utf-8").split("\n")


def write_lines(path: Path, lines: Sequence[str], *, newline: str = "\n", encoding: str = "utf-8") -> Path:
    """A text file of ``lines``, the last one without a line end (as the seed)."""
    path.write_bytes(newline.join(lines).encode(encoding))
    return path


def seed_variant(tmp_path: Path, *edits: tuple[int, str, str], name: str = "variant.txt") -> Path:
    """The seed with text replaced on given lines: ``(line number, old, new)``; old must be there."""
    lines = seed_lines()
    for number, old, new in edits:
        assert old in lines[number - 1], f"{old!r} is not on line {number}"
        lines[number - 1] = lines[number - 1].replace(old, new, 1)
    return write_lines(tmp_path / name, lines)


def action_row(ref: str, action: str, *, lead: str = "", target: str = "", qa: str = "") -> list[str]:
    """A row under ``HEADER``: the columns a test cares about, the others empty."""
    row = [""] * len(HEADER)
    row[0], row[1], row[2], row[3], row[10] = ref, action, lead, target, qa
    return row


# -- Word ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Merged:
    """A table row whose cells are merged into one holding ``text`` (a recommendation row)."""

    text: str


@dataclass(frozen=True)
class VerticalMerge:
    """Merge column ``column`` (0-based) from table row ``first`` to ``last`` (0-based, inclusive)."""

    column: int
    first: int
    last: int


TableRow = list[str] | Merged
Block = str | list[TableRow]
"""A paragraph, or a table given by its rows."""


def write_docx(path: Path, blocks: Sequence[Block], *, merges: Sequence[Sequence[VerticalMerge]] = ()) -> Path:
    """A Word document of paragraphs and tables in order; ``merges[t]`` are table t's vertical merges."""
    document = docx.Document()
    tables = 0
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        width = max(len(row) for row in block if isinstance(row, list))
        table = document.add_table(rows=len(block), cols=width)
        for r, row in enumerate(block):
            if isinstance(row, Merged):
                merged = table.cell(r, 0).merge(table.cell(r, width - 1))
                merged.text = row.text
            else:
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
        for merge in merges[tables] if tables < len(merges) else ():
            table.cell(merge.first, merge.column).merge(table.cell(merge.last, merge.column))
        tables += 1
    document.save(str(path))
    return path


def seed_as_docx(path: Path) -> Path:
    """The seed as its Word original was: paragraphs, one table per agency, merged recommendation rows."""
    blocks: list[Block] = []
    table: list[TableRow] | None = None
    for line in seed_lines():
        cells = line.split("\t")
        filled = [cell for cell in cells if cell]
        is_header = cells[0] == "Ref"
        if is_header:
            table = [cells]
            blocks.append(table)
        elif table is not None and len(filled) == 1 and cells[0]:
            table.append(Merged(cells[0]))
        elif table is not None and filled:
            table.append(cells)
        else:
            table = None
            blocks.append(cells[0])
    return write_docx(path, blocks)


# -- Excel and CSV ---------------------------------------------------------------------------


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    sheet: str = "Plan",
    merged_rows: Sequence[int] = (),
    number_formats: dict[str, str] | None = None,
) -> Path:
    """A workbook of one sheet; ``merged_rows`` (1-based) are merged across the widest row.

    ``number_formats`` maps a cell ("D5") to its number format.
    """
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = sheet
    for row in rows:
        worksheet.append(list(row))
    width = max(len(row) for row in rows)
    for number in merged_rows:
        worksheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=width)
    for cell, number_format in (number_formats or {}).items():
        worksheet[cell].number_format = number_format
    workbook.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[str]], *, delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, delimiter=delimiter).writerows(rows)
    return path
