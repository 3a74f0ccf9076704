"""The scaled-out topology: flows deployed on a work pool, run by two `dhrflow worker` processes on PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from asyncio.subprocess import PIPE, STDOUT
from pathlib import Path

import pytest
from prefect import get_client
from prefect.exceptions import ObjectNotFound
from prefect.settings import PREFECT_API_URL
from sqlalchemy import func, select

from cli.commands.deploy import deploy_flows
from documents.importer import read_plan
from storage.tables import EscalationRow
from tests.integration.helpers import working_day_from_today
from workflows.commands.import_plan import import_plan
from workflows.flows import escalation_sweep
from workflows.runtime.container import App

DHRFLOW = str(Path(sys.executable).parent / "dhrflow")
POOL = "dhrflow-test"


@pytest.mark.usefixtures("prefect_harness")
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_two_workers_run_the_deployed_sweeps_and_no_step_fires_twice(
    app: App, seed_plan: Path, database_url: str
) -> None:
    await import_plan(read_plan(seed_plan), uow_factory=app.uow, clock=app.clock)
    # An installation from before each deployment was named after its flow: deploying replaces it.
    legacy = await escalation_sweep.ato_deployment("dhrflow")
    await legacy.aapply()
    names = await deploy_flows(POOL)
    assert names == [
        "escalation_sweep/escalation-sweep",
        "dispatch_notifications/dispatch-notifications",
        "import_plan/import-plan",
        "board_cycle/board-cycle",
        "board_report/board-report",
    ]
    assert await deploy_flows(POOL) == names  # deploying again updates in place

    async with get_client() as client:
        with pytest.raises(ObjectNotFound):
            await client.read_deployment_by_name("escalation_sweep/dhrflow")
        deployment = await client.read_deployment_by_name("escalation_sweep/escalation-sweep")
        assert deployment.work_pool_name == POOL and deployment.schedules
        runs = [
            await client.create_flow_run_from_deployment(deployment.id, parameters={"on": working_day_from_today()})
            for _ in range(2)
        ]

    env = os.environ | {"PREFECT_API_URL": str(PREFECT_API_URL.value()), "DATABASE_URL": database_url}
    workers = [
        await asyncio.create_subprocess_exec(
            DHRFLOW, "worker", "--pool", POOL, "--limit", "1", env=env, stdout=PIPE, stderr=STDOUT
        )
        for _ in range(2)
    ]
    try:
        async with get_client() as client:
            deadline = time.monotonic() + 240  # a loaded machine starts flow-run processes slowly
            while True:
                states = [(await client.read_flow_run(r.id)).state for r in runs]
                if all(s is not None and s.is_final() for s in states) or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.5)
    finally:
        for worker in workers:
            if worker.returncode is None:
                worker.send_signal(signal.SIGINT)
        outputs = await asyncio.wait_for(asyncio.gather(*(w.communicate() for w in workers)), timeout=60)
    logs = [out.decode()[-1500:] for out, _ in outputs]
    assert all(s is not None and s.is_completed() for s in states), ([s and s.name for s in states], logs)
    async with app.reader() as uow:
        fired = (await uow.connection.execute(select(func.count(EscalationRow.id)))).scalar_one()  # type: ignore[arg-type]
    assert fired == 13 + 1  # two sweeps of the same day: each of the 13 steps once, and the review's own once


def test_a_worker_without_a_prefect_server_says_so(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | {"DHRFLOW_DATA_DIR": str(tmp_path)}
    done = subprocess.run([DHRFLOW, "worker"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "PREFECT_API_URL is not set" in done.stderr
