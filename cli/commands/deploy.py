"""``dhrflow deploy`` and ``dhrflow worker``: the scaled-out topology.

A Prefect server runs on its own machine (``prefect server start``, on
PostgreSQL); ``dhrflow deploy`` registers the flows of ``workflows.flows`` on a
process work pool of that server, with their schedules; ``dhrflow worker``, on
as many machines as wanted, runs Prefect's process worker on that pool. Each
scheduled run goes to one worker (Prefect hands a run to the first worker that
claims it); a sweep split over several runs still fires each step once, because
the sweep claims its rows with ``FOR UPDATE SKIP LOCKED``.

Every machine needs the same ``DATABASE_URL`` (PostgreSQL) and
``PREFECT_API_URL``; a worker's flow runs inherit its environment. The flows
are found by module path (``workflows.flows.escalation_sweep``), so a worker
needs dhrflow installed, not a copy of any folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.runner import fail, one_line, run

if TYPE_CHECKING:
    from workflows.runtime.container import App

OFFLINE = {"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
POOL = "dhrflow"

PoolOpt = Annotated[str, typer.Option("--pool", help="The Prefect work pool (created by deploy if missing).")]


def register(root: typer.Typer) -> None:
    """Add ``deploy`` and ``worker``."""
    root.command("deploy")(deploy)
    root.command("worker")(worker)


def deploy(pool: PoolOpt = POOL) -> None:
    """Register the flows, with their schedules, on a work pool of the Prefect server at PREFECT_API_URL."""
    api = _api_url()
    try:
        names = asyncio.run(deploy_flows(pool))
    except Exception as exc:  # Prefect's own failures (server gone, bad pool): one line, no traceback
        raise fail(f"deploying to {api} failed: {one_line(exc)}") from None
    for name in names:
        typer.echo(f"deployed {name} on work pool {pool}")
    typer.echo(f"start workers with: dhrflow worker --pool {pool}  (each with DATABASE_URL and PREFECT_API_URL)")


def worker(
    pool: PoolOpt = POOL,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Flow runs this worker runs at once (default: no limit).")
    ] = None,
    run_once: Annotated[
        bool, typer.Option("--run-once", help="Poll once, run what is due, then exit (cron, tests).")
    ] = False,
) -> None:
    """Run flows from the work pool on this machine until Ctrl-C (Prefect's process worker).

    Checks first that the database is reachable and its schema current: a worker
    that could only fail its runs does not start.
    """
    _api_url()
    _check_database()
    command = [_prefect(), "worker", "start", "--pool", pool, "--type", "process"]
    if limit is not None:
        command += ["--limit", str(limit)]
    if run_once:
        command.append("--run-once")
    sys.stdout.flush()
    os.execve(command[0], command, os.environ | OFFLINE)


async def deploy_flows(pool: str) -> list[str]:
    """Create the process work pool if missing and (re)apply one deployment per flow on it.

    Returns the deployments as ``flow/deployment`` names.
    """
    os.environ.update(OFFLINE)
    from prefect import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists
    from prefect.types.entrypoint import EntrypointType

    from workflows.flows import FLOWS, deployment_name, forget_legacy_deployments, schedules

    async with get_client() as client:
        with contextlib.suppress(ObjectAlreadyExists):  # deploying again keeps the pool and its settings
            await client.create_work_pool(WorkPoolCreate(name=pool, type="process"))
    await forget_legacy_deployments()  # an upgrade: the old shared name's schedules would run beside these
    plan = schedules()
    names = []
    for flow in FLOWS:
        deployment = await flow.ato_deployment(
            deployment_name(flow.name),
            schedule=plan[flow.name],
            entrypoint_type=EntrypointType.MODULE_PATH,
            work_pool_name=pool,
            description=(flow.description or "").split("\n")[0],
        )
        await deployment.aapply()
        names.append(f"{flow.name}/{deployment_name(flow.name)}")
    return names


def _api_url() -> str:
    api = os.environ.get("PREFECT_API_URL", "")
    if not api:
        raise fail("PREFECT_API_URL is not set: point it at the Prefect server, e.g. http://prefect.internal:4200/api")
    return api


def _check_database() -> None:

    async def work(a: App) -> None:
        return None

    run(work)  # one line and a non-zero exit when the database is unreachable or not migrated


def _prefect() -> str:
    beside = Path(sys.executable).parent / "prefect"
    found = str(beside) if beside.exists() else shutil.which("prefect")
    if found is None:
        raise fail("the prefect command is not installed beside dhrflow")
    return found
