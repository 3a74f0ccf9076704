"""The themes, board-cycle and calendar commands as an operator types them: results, and one line for bad input."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

from tests.cli import Cli

COORD = "coordinator@demo.invalid"
LEAD = "lead.wmp@demo.invalid"


def test_themes_from_the_command_line(demo: Cli, tmp_path: Path) -> None:
    cli = demo
    assert "BDHR2011/12-03 3.11.2: suggests mha_s136 (matched: sec.136, sec 136)" in cli("themes", "suggest").stdout
    assert (
        "theme record_keeping removed from 3.1.2"
        in cli("themes", "set", "3.1.2", "--theme", "record_keeping", "--remove", "--as", COORD).stdout
    )
    cli("themes", "suggest", "--apply", ok=False)
    cli("themes", "set", "3.1.2", "--theme", "weather", "--as", COORD, ok=False)
    cli("themes", "set", "3.1.2", "--theme", "housing", "--as", LEAD, ok=False)
    assert "confirmed mha_s136" in cli("themes", "suggest", "--apply", "--as", COORD).stdout
    report = cli("report", "themes", "--format", "csv", "--out", "-").stdout
    rows = {r["theme"]: r for r in csv.DictReader(io.StringIO(report))}
    assert rows["mha_s136"]["actions"] == "1" and rows["record_keeping"]["actions"] == "2"
    cli("report", "themes", "--format", "docx", ok=False)
    cli("report", "themes", "--format", "pdf", "--out", str(tmp_path / "themes.pdf"))
    assert (tmp_path / "themes.pdf").read_bytes().startswith(b"%PDF")
    cli("log", "verify")


def test_board_dates_and_the_calendar_from_the_command_line(demo: Cli) -> None:
    cli = demo
    meeting = (date.today() + timedelta(days=90)).isoformat()
    assert cli("board", "dates", "add", meeting, "--as", COORD).stdout.strip() == f"board meets on {meeting}"
    cli("board", "dates", "add", meeting, "--as", COORD, ok=False)
    cli("board", "dates", "add", "2001-01-01", "--as", COORD, ok=False)
    cli("board", "dates", "add", "tomorrow", "--as", COORD, ok=False)
    assert cli("board", "dates", "list").stdout.strip() == meeting
    cli("board", "dates", "remove", meeting, "--as", COORD, "--reason", "moved")
    assert "no board meeting dates set" in cli("board", "dates", "list").stdout

    address = cli("calendar", "create", "--as", LEAD).stdout.strip()
    assert address.startswith("/calendar/cal_") and address.endswith(".ics")
    cli("calendar", "create", "--as", "nobody@demo.invalid", ok=False)
    assert cli("calendar", "revoke", "--as", LEAD).stdout.strip() == "calendar address revoked"
    assert cli("calendar", "revoke", "--as", LEAD).stdout.strip() == "no calendar address to revoke"
