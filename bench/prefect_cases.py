"""The escalation sweep as Prefect runs it: task runs per sweep and flow wall time, small and large.

Run in a process of its own: Prefect reads its settings once, at import, and
this case needs a temporary Prefect home and server (``prefect_test_harness``).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import Result
from bench.sweep_cases import TODAY, _prepare
from workflows.runtime.settings import Settings


async def _measure(sizes: list[int], folder: Path) -> list[dict[str, float]]:
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.testing.utilities import prefect_test_harness

    from workflows.flows import escalation_sweep

    found = []
    with prefect_test_harness(server_startup_timeout=60):
        for size in [1, *sizes]:  # the first flow run of a process pays for imports and connections: not counted
            data = folder / f"size-{size}"
            data.mkdir()
            due = max(1, size // 200) if size > 1000 else size
            await _prepare(Settings(data_dir=data, database_url=None), size, due, TODAY)
            os.environ["DHRFLOW_DATA_DIR"] = str(data)
            started = time.perf_counter()
            state = await escalation_sweep(on=TODAY.isoformat(), return_state=True)
            wall = time.perf_counter() - started
            counts = await state.aresult()
            runs_filter = FlowRunFilter(id=FlowRunFilterId(any_=[state.state_details.flow_run_id]))
            async with get_client() as client:
                for _ in range(100):  # the API records task runs from events, a moment later
                    runs = await client.read_task_runs(flow_run_filter=runs_filter)
                    if runs:
                        break
                    await asyncio.sleep(0.1)
            found.append({"size": size, "wall": wall, "task_runs": len(runs), "fired": counts.fired_count})
    return found[1:]


async def sweep_under_prefect(sizes: tuple[int, ...] = (10, 1_000_000)) -> list[Result]:
    with tempfile.TemporaryDirectory() as folder:
        env = os.environ | {
            "PREFECT_HOME": str(Path(folder) / "prefect"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "DO_NOT_TRACK": "1",
        }
        env.pop("DATABASE_URL", None)
        code = (
            "import asyncio, json, logging; from pathlib import Path; from bench.prefect_cases import _measure;"
            "from workflows.runtime.observability import configure_logging; configure_logging(logging.WARNING);"
            f"print(json.dumps(asyncio.run(_measure({list(sizes)!r}, Path({folder!r})))))"
        )
        done = await asyncio.to_thread(
            subprocess.run, [sys.executable, "-c", code], capture_output=True, text=True, env=env
        )
    if done.returncode != 0:
        raise RuntimeError(f"the Prefect bench failed: {done.stderr.strip().splitlines()[-1:]}")
    results = []
    for m in json.loads(done.stdout.strip().splitlines()[-1]):
        size = f"{int(m['size']):,} actions"
        detail = f"{int(m['fired']):,} steps fired; flow run on a local Prefect server"
        results.append(Result(f"Prefect sweep, task runs ({size})", m["task_runs"], "runs", 1, False, detail))
        results.append(Result(f"Prefect sweep, wall time ({size})", m["wall"], "s", 1, False, detail))
    return results
