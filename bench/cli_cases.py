"""The CLI's read commands, timed as a person meets them: issue 17's target, each answering in 0.35 s.

Each command is the installed ``dhrflow`` console script, a whole process from its start to its exit, on a
SQLite database that ``dhrflow demo`` seeded (the seed plan's 13 actions and the demo people). A first run
of each is not counted: it writes the bytecode caches an installation has after its first use (so
``PYTHONDONTWRITEBYTECODE`` is left out of the commands' environment). The result is the median wall time
of the runs after it; the detail gives the median CPU time (user and system), which another process on the
machine slows less.
"""

from __future__ import annotations

import asyncio
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import Result

DHRFLOW = str(Path(sys.executable).parent / "dhrflow")
TARGET_MS = 350
WHY_NOT = (
    "the stack's own start, Typer, SQLAlchemy's async layer, SQLModel's tables and pydantic-settings with no dhrflow "
    "code, takes about 0.38 s here (docs/benchmarks.md, The CLI's start)"
)
COMMANDS = (("--help",), ("actions", "--json"), ("show", "3.11.1"), ("reviews",))


def _run(args: tuple[str, ...], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """One whole process: its wall time and its CPU time, in seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([DHRFLOW, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"dhrflow {' '.join(args)} failed: {done.stderr.strip()}")
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def _measure(runs: int) -> list[Result]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTHONDONTWRITEBYTECODE")}
        env["DHRFLOW_DATA_DIR"] = str(root / "data")
        _run(("demo",), env, root)
        results = []
        for args in COMMANDS:
            _run(args, env, root)  # not counted: the bytecode caches, as after an installation's first use
            timed = [_run(args, env, root) for _ in range(runs)]
            wall = statistics.median(w for w, _ in timed)
            cpu = statistics.median(c for _, c in timed)
            detail = (
                f"median of {runs} whole processes (from {min(w for w, _ in timed):.2f} to "
                f"{max(w for w, _ in timed):.2f} s), CPU {cpu:.2f} s; SQLite, the demo's 13 actions"
            )
            results.append(
                Result(f"CLI: dhrflow {' '.join(args)}", wall * 1000, "ms", TARGET_MS, False, detail, WHY_NOT)
            )
    return results


async def read_commands(runs: int = 5) -> list[Result]:
    return await asyncio.to_thread(_measure, runs)
