"""One partnership's broken data never stops another's escalations (issue 14, item 1).

What the door now refuses (a ladder offset of 99999999999999999999, an extension to 9999-12-31, a
board date in 9999) may already be in a database written before: the sweep and the board flows then
do every other partnership's work, name what they could not do, and end as failed.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from documents.importer import read_plan
from domain.board_cycle import CycleDays
from domain.errors import DomainError
from domain.ladders import Anchor, Ladder, LadderName, parse_step
from tests.cli import Cli
from tests.integration.helpers import LEAD, seed, working_day_from_today
from tests.unit.plan_builders import write_csv
from workflows.commands import board_cycle as board_cycle_module
from workflows.commands.board_cycle import run_board_cycle
from workflows.commands.extensions import request_extension
from workflows.commands.import_plan import import_plan
from workflows.commands.ladders import set_ladder
from workflows.commands.sweep import sweep
from workflows.context import ActionKey
from workflows.runtime.container import App
from workflows.runtime.working_days import england_and_wales

DAY = date(2026, 11, 26)
OTHER = [
    ["DHR 2020-01 Action Plan"],
    ["Ref", "Action", "Lead Agency", "Target Date"],
    ["1.1", "Brief officers", "Police", "Mar-20"],
    ["1.2", "Audit reports", "Police", "Jun-20"],
]


async def two_partnerships(app: App, seed_plan: Path, tmp_path: Path) -> None:
    """BCSP (the seed, 13 actions) and XCSP (2 actions), both long overdue on ``DAY``."""
    await seed(app, seed_plan)
    other = read_plan(write_csv(tmp_path / "x.csv", OTHER), partnership_short_name="XCSP")
    await import_plan(other, uow_factory=app.uow, clock=app.clock)


async def execute(app: App, sql: str) -> None:
    async with app.uow() as uow:
        await uow.connection.execute(text(sql))
        await uow.commit()


async def test_a_target_date_past_the_calendars_end_stops_only_its_own_action(
    app: App, seed_plan: Path, tmp_path: Path
) -> None:
    await two_partnerships(app, seed_plan, tmp_path)
    await execute(app, "UPDATE action SET target_date = '9999-12-31' WHERE ref = '1.1'")  # XCSP's, written long ago
    report = await sweep(DAY, uow_factory=app.uow, clock=app.clock, calendar=england_and_wales())
    assert report.fired_count == 16  # the seed's 13 and XCSP's 1.2, and each review's own report (long overdue)
    assert report.failed_count == 1
    [failure] = report.failures
    assert str(failure).startswith("XCSP, review DHR 2020-01 action 1.1: OverflowError")


async def test_a_stored_ladder_no_longer_valid_stops_only_its_partnership(
    app: App, seed_plan: Path, tmp_path: Path
) -> None:
    await two_partnerships(app, seed_plan, tmp_path)
    steps = [{"key": "far", "offset": 99999999999999999999, "kind": "escalation", "notify": ["director"]}]
    await execute(
        app,
        "INSERT INTO ladder (partnership_id, name, version, anchor, steps, created_at) "
        f"SELECT id, 'lead_officer', 2, 'target_date', '{json.dumps(steps)}', '2026-01-01 00:00:00' "
        "FROM partnership WHERE short_name = 'XCSP'",
    )
    report = await sweep(DAY, uow_factory=app.uow, clock=app.clock, calendar=england_and_wales())
    # The seed's 13 and its review's own report; XCSP's two actions and its review's own report fail.
    assert (report.fired_count, report.failed_count) == (14, 3)
    assert all("InvalidLadder" in f.problem and f.partnership == "XCSP" for f in report.failures)
    again = await sweep(DAY, uow_factory=app.uow, clock=app.clock, calendar=england_and_wales())
    assert (again.fired_count, again.failed_count) == (0, 3)  # still due: tried again once the data is mended
    mended = [parse_step("lead_officer", "overdue:0:overdue:lead_officer")]
    await set_ladder(LadderName.LEAD_OFFICER, mended, uow_factory=app.uow, clock=app.clock, partnership="XCSP")
    after = await sweep(DAY, uow_factory=app.uow, clock=app.clock, calendar=england_and_wales())
    assert (after.fired_count, after.failed_count) == (2 + 1, 0)  # its two actions and its review's own report
    async with app.reader() as uow:  # the ledger still reads: the version that never validated is left out
        history = await uow.run(lambda tx: tx.ladders.history(2))
    assert (LadderName.LEAD_OFFICER, 3) in history and (LadderName.LEAD_OFFICER, 2) not in history


def test_the_cli_sweep_fires_the_others_then_names_what_it_could_not_do_and_exits_1(imported: Cli) -> None:
    cli = imported
    with sqlite3.connect(cli.data_dir / "dhrflow.db") as conn:
        conn.execute("UPDATE action SET target_date = '9999-12-31' WHERE ref = '3.1.1'")
    done = cli("sweep", "--on", working_day_from_today(), ok=False)
    assert done.returncode == 1
    assert "12 step(s) fired" in done.stdout
    assert "error: not swept: BCSP, review BDHR2011/12-03 action 3.1.1: OverflowError" in done.stderr


@pytest.mark.parametrize("offset", ["99999999999999999999", "261", "-261"])
def test_a_ladder_step_more_than_a_year_of_working_days_away_is_refused(offset: str) -> None:
    step = parse_step("lead_officer", f"far:{offset}:escalation:director")
    with pytest.raises(DomainError, match=f"offset {int(offset)} is more than 260 working days"):
        Ladder(LadderName.LEAD_OFFICER, Anchor.TARGET_DATE, (step,))


async def test_set_ladder_and_an_extension_past_2100_are_refused_at_the_door(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    far = parse_step("lead_officer", "far:99999999999999999999:escalation:director")
    with pytest.raises(DomainError, match="more than 260 working days"):
        await set_ladder(LadderName.LEAD_OFFICER, [far], uow_factory=app.uow, clock=app.clock)
    with pytest.raises(DomainError, match="the new date 9999-12-31 is outside 1990-2100"):
        await request_extension(
            LEAD, ActionKey("3.11.1"), date(9999, 12, 31), "IT", uow_factory=app.uow, clock=app.clock
        )


async def test_the_board_cycle_runs_every_other_partnership_when_one_fails(
    app: App, seed_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await two_partnerships(app, seed_plan, tmp_path)
    real = board_cycle_module._cycle_in
    ran: list[int] = []

    def broken_for_the_first(tx, pid, *args):  # type: ignore[no-untyped-def]
        if not ran:
            ran.append(pid)
            raise OverflowError("date value out of range")
        ran.append(pid)
        return real(tx, pid, *args)

    monkeypatch.setattr(board_cycle_module, "_cycle_in", broken_for_the_first)
    report = await run_board_cycle(
        DAY, uow_factory=app.uow, clock=app.clock, calendar=england_and_wales(), days=CycleDays()
    )
    assert len(ran) == 2  # the second partnership's cycle ran after the first failed
    [failure] = report.failures
    assert (failure.partnership, failure.where) == ("BCSP", "board cycle")
