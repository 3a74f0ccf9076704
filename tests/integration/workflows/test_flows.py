"""The Prefect flows on a real Prefect API, and ``dhrflow serve`` run as an operator runs it.

The flow tests share one ``prefect_test_harness`` (a temporary Prefect server);
the flows read ``Settings()`` from the environment, so each test points
``DHRFLOW_DATA_DIR`` at a migrated SQLite copy of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from queue import Empty, Queue
from typing import Any
from uuid import UUID

import pytest
from prefect import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.client.schemas.objects import State, TaskRun
from sqlalchemy import func, select, text

from documents.errors import PlanImportError
from documents.importer import read_plan
from domain.board_cycle import CycleDays
from storage.tables import EscalationRow, ReviewRow
from tests.integration.helpers import COORDINATOR, direct_every_agency, seed, working_day_from_today
from tests.integration.smtp_server import Inbox, smtp_server
from tests.integration.smtp_server import free_port as free_smtp_port
from workflows.commands.board_cycle import add_board_date
from workflows.commands.import_plan import import_plan
from workflows.commands.sweep import sweep
from workflows.flows import (
    board_cycle,
    board_report,
    dispatch_notifications,
    escalation_sweep,
    import_plan_file,
    import_plan_flow,
    not_a_working_day,
    sweep_day,
)
from workflows.queries.notifications import pending_by_kind
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import App, open_app
from workflows.runtime.settings import Settings
from workflows.runtime.working_days import england_and_wales

DHRFLOW = str(Path(sys.executable).parent / "dhrflow")
FAR_OVERDUE = working_day_from_today()
"""The first working day from today, on which every seed action is long overdue: 13 partnership escalations fire.

Not a fixed date: the flows import with the system clock, which marks the actions for the sweep
from today, so a sweep for a day already past finds nothing (a fixed date broke these tests the
day after it)."""


# --- fixtures and helpers -------------------------------------------------------------------------------


@pytest.fixture
async def env_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sqlite_template: Path) -> AsyncIterator[App]:
    """A migrated SQLite database in a data folder that ``Settings()`` finds through the environment."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(sqlite_template, data / "dhrflow.db")
    monkeypatch.setenv("DHRFLOW_DATA_DIR", str(data))
    for name in ("DATABASE_URL", "DHRFLOW_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    async with open_app(Settings()) as app:
        yield app


async def import_copies(app: App, plan: Path, folder: Path, copies: int) -> None:
    """The seed plan under ``copies`` review refs: 13 actions each."""
    text = plan.read_text(encoding="utf-8")
    for i in range(copies):
        copy = folder / f"plan-{i}.txt"
        copy.write_text(text.replace("BDHR2011/12-03", f"BDHR2011/12-{i + 10}"), encoding="utf-8")
        await import_plan(read_plan(copy), uow_factory=app.uow, clock=app.clock)


async def count(app: App, column: Any) -> int:
    async with app.reader() as uow:
        return int((await uow.connection.execute(select(func.count(column)))).scalar_one())


async def run_flow(call: Any) -> tuple[Any, UUID]:
    """Await a flow called with ``return_state=True``; its result and its flow run id."""
    state: State[Any] = await call
    assert state.is_completed(), state.message
    run_id = state.state_details.flow_run_id
    assert run_id is not None
    return await state.aresult(), run_id


async def task_runs(flow_run_id: UUID, *, expect_some: bool) -> list[TaskRun]:
    """The task runs Prefect recorded for a flow run (the API records them from events, a moment later)."""
    flow_runs = FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
    deadline = time.monotonic() + 15
    async with get_client() as client:
        while True:
            runs = await client.read_task_runs(flow_run_filter=flow_runs)
            settled = all(r.state is not None and r.state.is_final() for r in runs)
            if ((runs or not expect_some) and settled) or time.monotonic() > deadline:
                return runs
            await asyncio.sleep(0.1)


# --- plain functions ------------------------------------------------------------------------------------


def test_the_sweep_day_is_the_scheduled_day_in_england_and_wales() -> None:
    clock = FixedClock(datetime(2014, 4, 22, 12, 0, tzinfo=UTC))
    assert sweep_day("2014-04-18", None, clock) == date(2014, 4, 18)
    assert sweep_day(None, datetime(2014, 6, 30, 23, 30, tzinfo=UTC), clock) == date(2014, 7, 1)  # BST
    assert sweep_day(None, None, clock) == date(2014, 4, 22)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        sweep_day("18/04/2014", None, clock)


def test_weekends_and_bank_holidays_are_named_as_the_reason_for_no_sweep() -> None:
    assert not_a_working_day(date(2014, 4, 17)) == ""
    assert not_a_working_day(date(2014, 4, 19)) == "Saturday"
    assert not_a_working_day(date(2014, 4, 18)) == "a bank holiday in England and Wales"  # Good Friday


async def pending(app: App, now: datetime | None = None) -> dict[str, int]:
    return await pending_by_kind(app.reader, now or datetime.now(UTC))


# --- flows on the harness -------------------------------------------------------------------------------


@pytest.mark.usefixtures("prefect_harness")
async def test_a_sweep_is_one_task_run_for_thirteen_actions_and_for_ten_times_as_many(
    env_app: App, seed_plan: Path, tmp_path: Path
) -> None:
    await import_plan(read_plan(seed_plan), uow_factory=env_app.uow, clock=env_app.clock)
    started = time.perf_counter()
    counts, run_id = await run_flow(escalation_sweep(on=FAR_OVERDUE, return_state=True))
    small_wall = time.perf_counter() - started
    assert (counts.today.isoformat(), counts.examined, counts.fired_count, counts.batches) == (FAR_OVERDUE, 13, 13, 1)
    assert counts.fired == [] and not counts.skipped  # the run's result holds counts, not the steps fired
    assert await count(env_app, EscalationRow.id) == 13
    assert len(await task_runs(run_id, expect_some=True)) == 1

    await import_copies(env_app, seed_plan, tmp_path, 10)
    started = time.perf_counter()
    counts, run_id = await run_flow(escalation_sweep(on=FAR_OVERDUE, return_state=True))
    large_wall = time.perf_counter() - started
    assert (counts.examined, counts.fired_count) == (130, 130)
    assert await count(env_app, EscalationRow.id) == 143
    runs = await task_runs(run_id, expect_some=True)
    assert [r.name.rsplit("-", 1)[0] for r in runs] == ["sweep_due"]
    print(f"\nescalation_sweep wall time: 13 due {small_wall:.3f} s, 130 due {large_wall:.3f} s; 1 task run each")


@pytest.mark.usefixtures("prefect_harness")
async def test_a_sweep_with_one_partnership_s_data_broken_fires_the_others_and_ends_failed(
    env_app: App, seed_plan: Path, tmp_path: Path
) -> None:
    await import_copies(env_app, seed_plan, tmp_path, 1)  # BCSP, BDHR2011/12-10
    other = seed_plan.read_text(encoding="utf-8").replace("BCSP", "XCSP").replace("BIRMINGHAM", "WESTSHIRE")
    (tmp_path / "other.txt").write_text(other, encoding="utf-8")
    await import_plan(read_plan(tmp_path / "other.txt"), uow_factory=env_app.uow, clock=env_app.clock)
    async with env_app.uow() as uow:  # a date written before dates were bounded, in XCSP's plan
        await uow.connection.execute(
            text(
                "UPDATE action SET target_date = '9999-12-31' WHERE ref = '3.1.1' AND review_id IN "
                "(SELECT r.id FROM review r JOIN partnership p ON p.id = r.partnership_id WHERE p.short_name = 'XCSP')"
            )
        )
        await uow.commit()
    state: State[Any] = await escalation_sweep(on=FAR_OVERDUE, return_state=True)
    assert state.is_failed()
    assert "1 item(s) could not be done" in (state.message or "")
    assert "XCSP, review BDHR2011/12-03 action 3.1.1: OverflowError" in (state.message or "")
    assert await count(env_app, EscalationRow.id) == 25  # BCSP's 13 and XCSP's other 12 fired


@pytest.mark.usefixtures("prefect_harness")
async def test_a_flow_does_not_sweep_ahead_of_the_next_working_day(env_app: App, seed_plan: Path) -> None:
    await import_plan(read_plan(seed_plan), uow_factory=env_app.uow, clock=env_app.clock)
    ahead = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
    state: State[Any] = await escalation_sweep(on=ahead, return_state=True)
    assert state.is_failed() and "a flow does not sweep ahead" in (state.message or "")
    assert await count(env_app, EscalationRow.id) == 0


@pytest.mark.usefixtures("prefect_harness")
@pytest.mark.parametrize("day", ["2026-11-28", "2014-04-18"], ids=["saturday", "good_friday"])
async def test_no_sweep_on_a_weekend_or_a_bank_holiday(env_app: App, seed_plan: Path, day: str) -> None:
    await import_plan(read_plan(seed_plan), uow_factory=env_app.uow, clock=env_app.clock)
    counts, run_id = await run_flow(escalation_sweep(on=day, return_state=True))
    assert counts.skipped and (counts.examined, counts.fired_count) == (0, 0)
    assert await count(env_app, EscalationRow.id) == 0
    assert await task_runs(run_id, expect_some=False) == []


@pytest.mark.usefixtures("prefect_harness")
async def test_dispatch_sends_the_due_rows_in_one_task_run(
    env_app: App, seed_plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seed(env_app, seed_plan)
    await direct_every_agency(env_app)
    await sweep(
        date.fromisoformat(FAR_OVERDUE), uow_factory=env_app.uow, clock=env_app.clock, calendar=england_and_wales()
    )
    assert await pending(env_app) == {"escalation": 26}  # to the partnership, and to each action's director
    # Rows not yet due (their next attempt is after "now") are not counted.
    assert await pending(env_app, datetime(2000, 1, 1, tzinfo=UTC)) == {}

    inbox, port = Inbox(), free_smtp_port()
    for name, value in {"SMTP_PORT": str(port), "SMTP_SECURITY": "plain", "MAIL_FROM": "dhrflow@bcsp.test"}.items():
        monkeypatch.setenv(f"DHRFLOW_{name}", value)
    with smtp_server(inbox, port):
        counts, run_id = await run_flow(dispatch_notifications(return_state=True))
    assert (counts.sent, counts.emails, counts.retrying, counts.dead, counts.resolved) == (26, 26, 0, 0, 26)
    assert len(set(inbox.message_ids())) == 26
    assert await pending(env_app) == {}
    assert [r.name.rsplit("-", 1)[0] for r in await task_runs(run_id, expect_some=True)] == ["send_notifications"]


@pytest.mark.usefixtures("prefect_harness")
async def test_a_dispatch_that_cannot_reach_the_mail_server_ends_failed_and_loses_nothing(
    env_app: App, seed_plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo's old trouble: nothing listened on the mail port, and every dispatch run was green."""
    await seed(env_app, seed_plan)
    await direct_every_agency(env_app)
    await sweep(
        date.fromisoformat(FAR_OVERDUE), uow_factory=env_app.uow, clock=env_app.clock, calendar=england_and_wales()
    )
    port = free_smtp_port()  # nothing listens there
    for name, value in {"SMTP_PORT": str(port), "SMTP_SECURITY": "plain", "MAIL_FROM": "dhrflow@bcsp.test"}.items():
        monkeypatch.setenv(f"DHRFLOW_{name}", value)
    state: State[Any] = await dispatch_notifications(return_state=True)
    assert state.is_failed()
    assert "dispatch: 0 sent, 26 to retry, 0 failed for good" in (state.message or "")
    assert await pending(env_app, datetime(2100, 1, 1, tzinfo=UTC)) == {"escalation": 26}  # all wait to retry


@pytest.mark.usefixtures("prefect_harness")
async def test_the_board_cycle_asks_once_in_one_task_run_and_skips_a_weekend(env_app: App, seed_plan: Path) -> None:
    await seed(env_app, seed_plan)
    # A meeting 15 working days after the first working day from today: its requests are due 5 working days on.
    calendar = england_and_wales()
    today = date.fromisoformat(FAR_OVERDUE)
    meeting = calendar.add_working_days(today, 15)
    await add_board_date(COORDINATOR, meeting, uow_factory=env_app.uow, clock=env_app.clock)
    ask_day = CycleDays().request_on(meeting, calendar).isoformat()
    counts, run_id = await run_flow(board_cycle(on=ask_day, return_state=True))
    assert (counts.day.isoformat(), counts.requests, counts.reminders) == (ask_day, 2, 0)
    assert [r.name.rsplit("-", 1)[0] for r in await task_runs(run_id, expect_some=True)] == ["ask_for_progress"]
    again, _ = await run_flow(board_cycle(on=ask_day, return_state=True))
    assert (again.requests, again.reminders) == (0, 0)
    skipped, run_id = await run_flow(board_cycle(on="2026-11-28", return_state=True))
    assert skipped.skipped == "Saturday" and await task_runs(run_id, expect_some=False) == []


@pytest.mark.usefixtures("prefect_harness")
async def test_the_board_report_tells_the_partnership_once_a_month(env_app: App, seed_plan: Path) -> None:
    await seed(env_app, seed_plan)
    counts, run_id = await run_flow(board_report(on="2014-05-01", return_state=True))
    assert (counts.first.isoformat(), counts.last.isoformat(), counts.partnerships) == ("2014-04-01", "2014-04-30", 1)
    assert [r.name.rsplit("-", 1)[0] for r in await task_runs(run_id, expect_some=True)] == ["issue_board_packs"]
    assert await pending(env_app) == {"board_pack": 2}  # assurers, and the board
    again, _ = await run_flow(board_report(on="2014-05-20", return_state=True))
    assert again.partnerships == 0
    assert await pending(env_app) == {"board_pack": 2}


@pytest.mark.usefixtures("prefect_harness")
async def test_import_plan_flow_imports_once_and_a_second_run_adds_nothing(env_app: App, seed_plan: Path) -> None:
    first = await import_plan_flow(str(seed_plan))
    assert (first.partnership, first.review_ref, first.created_review) == ("BCSP", "BDHR2011/12-03", True)
    assert (len(first.added), first.updated, first.unchanged, first.missing) == (13, {}, 0, [])
    again = await import_plan_flow(str(seed_plan))
    assert (again.created_review, again.added, again.unchanged) == (False, [], 13)


async def test_a_plan_naming_another_partnership_is_refused_as_the_cli_refuses_it(
    env_app: App, seed_plan: Path
) -> None:
    with pytest.raises(PlanImportError, match="the plan is BCSP's, not XYZ's"):
        await import_plan_file(seed_plan, Settings(), partnership="XYZ")
    assert await count(env_app, ReviewRow.id) == 0


# --- dhrflow serve, end to end --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_env(data: Path) -> dict[str, str]:
    """The caller's environment without Prefect's settings: ``serve`` must set its own.

    The runner polls for due runs every second here (10 s by default) so the test need not wait.
    """
    keep = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_") and k != "DATABASE_URL"}
    return keep | {
        "DHRFLOW_DATA_DIR": str(data),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_RUNNER_POLL_FREQUENCY": "1",
    }


def processes_with(variable: str) -> dict[int, int]:
    """Processes (pid -> process group) whose environment holds ``variable`` exactly."""
    found: dict[int, int] = {}
    needle = variable.encode() + b"\0"
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "environ").read_bytes():
                found[int(entry.name)] = os.getpgid(int(entry.name))
        except (OSError, ProcessLookupError):
            continue  # gone, or not ours to read
    return found


def api(port: int, path: str, body: dict[str, Any] | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api{path}", data=data, headers={"Content-Type": "application/json"}
    )
    for _ in range(20):
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            # Prefect's SQLite answers 503 while its scheduler holds the write lock; its own client retries too.
            if exc.code != 503:
                raise
            print(f"503 from {path}: {exc.read()[:200]!r}")
            time.sleep(0.5)
    raise AssertionError(f"{path}: still 503 after 10 s")


def run_deployment(port: int, deployment_id: str, parameters: dict[str, Any]) -> str:
    """Ask the server for a run of a deployment now; the state type it ends in."""
    flow_run = api(port, f"/deployments/{deployment_id}/create_flow_run", {"parameters": parameters})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        state = api(port, f"/flow_runs/{flow_run['id']}")["state_type"]
        if state in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
            return str(state)
        time.sleep(0.2)
    raise AssertionError(f"flow run {flow_run['id']} did not finish within 30 s")


@pytest.fixture
def serve_inbox() -> Iterator[tuple[Inbox, int]]:
    """The SMTP server ``dhrflow serve`` is pointed at."""
    inbox, port = Inbox(), free_smtp_port()
    with smtp_server(inbox, port):
        yield inbox, port


def mail_env(smtp_port: int) -> dict[str, str]:
    return {"DHRFLOW_SMTP_PORT": str(smtp_port), "DHRFLOW_SMTP_SECURITY": "plain", "DHRFLOW_MAIL_FROM": "d@bcsp.test"}


@pytest.fixture
def serving(
    tmp_path: Path, serve_inbox: tuple[Inbox, int]
) -> Iterator[tuple[subprocess.Popen[str], Queue[str], int, float, int]]:
    """``dhrflow serve`` in a process group of its own; killed with its group if the test fails."""
    port, web_port = free_port(), free_port()
    stderr = (tmp_path / "serve.stderr").open("wb")
    started = time.perf_counter()
    process = subprocess.Popen(
        [DHRFLOW, "serve", "--prefect-port", str(port), "--port", str(web_port)],
        env=serve_env(tmp_path / "data") | mail_env(serve_inbox[1]),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        start_new_session=True,
    )
    stderr.close()  # the child holds its own copy; read the file when a test fails
    lines: Queue[str] = Queue()
    assert process.stdout is not None

    def pump() -> None:
        for line in process.stdout or []:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    yield process, lines, port, started, web_port
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    for group in set(processes_with(f"PREFECT_HOME={tmp_path / 'data' / 'prefect'}").values()):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)  # a failed test must not leave a server behind


def read_until(lines: Queue[str], text: str, timeout: float) -> list[str]:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            seen.append(lines.get(timeout=0.2))
        except Empty:
            continue
        if text in seen[-1]:
            return seen
    raise AssertionError(f"{text!r} not printed within {timeout} s; got {seen}")


def cors_preflight(port: int, origin: str) -> str | None:
    """The origin the Prefect API allows for a cross-origin POST to create flow runs (None: refused)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/deployments/filter",
        method="OPTIONS",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.headers.get("Access-Control-Allow-Origin")
    except urllib.error.HTTPError as refused:
        return refused.headers.get("Access-Control-Allow-Origin")


def test_serve_runs_the_web_app_and_the_flows_on_their_schedules_and_ctrl_c_stops_everything(
    serving: tuple[subprocess.Popen[str], Queue[str], int, float, int],
    tmp_path: Path,
    seed_plan: Path,
    serve_inbox: tuple[Inbox, int],
) -> None:
    process, lines, port, started, web_port = serving
    # The web app answers first, while the Prefect server starts beside it (issue 17: make run usable fast).
    read_until(lines, f"web app at http://127.0.0.1:{web_port}", timeout=60)
    web_first = time.perf_counter() - started
    with urllib.request.urlopen(f"http://127.0.0.1:{web_port}/sign-in", timeout=10) as page:
        assert page.status == 200 and b"Sign in" in page.read()
    clock_first = read_until(lines, f"Prefect UI at http://127.0.0.1:{port}", timeout=60)
    assert "the clock is running" in clock_first[-1]
    startup = time.perf_counter() - started

    assert api(port, "/health") is True
    assert cors_preflight(port, "http://evil.example") is None  # another site's page may not call the API
    assert cors_preflight(port, f"http://127.0.0.1:{port}") == f"http://127.0.0.1:{port}"  # its own UI may
    flows = {f["id"]: f["name"] for f in api(port, "/flows/filter", {})}
    deployed = {
        flows[d["flow_id"]]: [s["schedule"] for s in d["schedules"]] for d in api(port, "/deployments/filter", {})
    }
    assert deployed.keys() == {
        "escalation_sweep",
        "dispatch_notifications",
        "import_plan",
        "board_cycle",
        "board_report",
    }
    [sweep_schedule] = deployed["escalation_sweep"]
    assert (sweep_schedule["cron"], sweep_schedule["timezone"]) == ("0 7 * * 1-5", "Europe/London")
    [dispatch_schedule] = deployed["dispatch_notifications"]
    assert dispatch_schedule["interval"] == 60
    assert deployed["import_plan"] == []
    assert [s["cron"] for s in deployed["board_cycle"]] == ["30 7 * * 1-5"]
    assert [s["cron"] for s in deployed["board_report"]] == ["0 8 1 * *"]
    assert (tmp_path / "data" / "prefect" / "prefect.db").exists()  # Prefect's database lives in the data folder

    # The served deployments run in flow-run processes of their own, on the migrated application database.
    deployment_ids = {flows[d["flow_id"]]: d["id"] for d in api(port, "/deployments/filter", {})}
    assert run_deployment(port, deployment_ids["import_plan"], {"path": str(seed_plan)}) == "COMPLETED"
    people_add = [DHRFLOW, "people", "add", "--name", "QA", "--email", "qa@bcsp.test", "--role", "partnership_assurer"]
    subprocess.run(people_add, env=serve_env(tmp_path / "data"), cwd=tmp_path, check=True, timeout=60)
    assert run_deployment(port, deployment_ids["escalation_sweep"], {"on": FAR_OVERDUE}) == "COMPLETED"
    with sqlite3.connect(tmp_path / "data" / "dhrflow.db") as db:
        assert db.execute("SELECT count(*) FROM escalation").fetchone() == (13,)
    # The sweep's escalations reach the SMTP server (this run, or the every-minute one, sends them; never both).
    # The catch-up told each agency's director too, and no agency has one here: the run that found that out
    # ends Failed (dead letters naming the agency); the other, with nothing left to send, Completed.
    assert run_deployment(port, deployment_ids["dispatch_notifications"], {}) in ("COMPLETED", "FAILED")
    inbox = serve_inbox[0]
    waited = 0.0
    while len(inbox.received) < 13 and waited < 90:
        time.sleep(0.5)
        waited += 0.5
    assert sorted(rcpt for rcpt, _ in inbox.received) == [["qa@bcsp.test"]] * 13
    assert len(set(inbox.message_ids())) == 13
    with sqlite3.connect(tmp_path / "data" / "dhrflow.db") as db:
        dead = db.execute("SELECT last_reply FROM outbox WHERE status = 'dead'").fetchall()
    assert len(dead) == 13 and all("has no director" in reply for (reply,) in dead)

    children = processes_with(f"PREFECT_HOME={tmp_path / 'data' / 'prefect'}")
    assert children, "no Prefect server process found"
    stopping = time.perf_counter()
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
    stop = time.perf_counter() - stopping
    rest = read_until(lines, "stopped", timeout=5)
    assert rest[-1].strip() == "stopped"
    assert processes_with(f"PREFECT_HOME={tmp_path / 'data' / 'prefect'}") == {}
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: TIME_WAIT is no listener
        probe.bind(("127.0.0.1", web_port))  # the web app let its port go
    for group in set(children.values()):
        with pytest.raises(ProcessLookupError):
            os.killpg(group, 0)
    print(
        f"\ndhrflow serve: web app after {web_first:.1f} s, the clock after {startup:.1f} s (first start), "
        f"stopped {stop:.1f} s after SIGINT"
    )


def test_serve_on_a_port_in_use_says_so_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [DHRFLOW, "serve", "--prefect-port", str(port)],
            env=serve_env(tmp_path / "data"),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        f"error: port {port} on 127.0.0.1 is in use (another `dhrflow serve` or Prefect server?): "
        "choose another with --prefect-port"
    ]
