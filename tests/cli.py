"""The ``dhrflow`` command line as a user runs it, and the prepared data folders the CLI tests start from.

A plugin of the root conftest: its fixtures serve every test folder.

Two ways to run a command, both a process of its own with its own exit code, output and error:

- ``cli`` runs the installed ``dhrflow`` console script, exactly as a user types it.
- ``imported``, ``staffed`` and ``demo`` (the data folders most tests start from) run each command in
  a child forked from a process that has imported the CLI and the use cases once (``CliForker``): the
  same entry point, ``cli.main:main``, with the command's own arguments, environment, folder, exit code
  and exit handlers, but without paying the interpreter's start and the imports (about half a second)
  for every command. What differs: a module that reads the environment when it is imported read the
  forker's (the test session's), and the interpreter's teardown (where a leaked resource's warning
  would print) is skipped; the ``cli`` fixture's tests run the console script for both.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

DHRFLOW = str(Path(sys.executable).parent / "dhrflow")

# The forking process: imports the CLI, then for each request (one JSON line) forks a child that
# becomes the command, and answers with its exit code and output (one JSON line).
_FORKER = r"""
import atexit, json, os, signal, sys, tempfile, time, traceback

protocol = os.fdopen(os.dup(1), "w")
os.dup2(2, 1)  # whatever the imports print goes to stderr, not into the answers
import cli.main

# A command imports the use cases it runs as it runs (cli.main says why): import them all once, here.
import importlib, pkgutil, workflows.commands, workflows.queries, workflows.runtime.container
for package in (workflows.commands, workflows.queries):
    for found in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        importlib.import_module(found.name)


def become(request, out, err):
    # In the child: the command's folder, environment, standard streams and arguments; then its exit.
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(out.fileno(), 1)
    os.dup2(err.fileno(), 2)
    sys.argv = ["dhrflow", *request["args"]]
    cli.main.main()


for line in sys.stdin:
    request = json.loads(line)
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            become(request, out, err)
            code = 0
        except SystemExit as exit:
            if exit.code is None or isinstance(exit.code, int):
                code = exit.code or 0
            else:
                print(exit.code, file=sys.stderr)
        except BaseException:
            traceback.print_exc()
        finally:
            # The command's exit handlers run, as at a script's end. The interpreter's own teardown is
            # skipped: it would touch every object the forker imported, copying all of its memory.
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    deadline = time.monotonic() + request["timeout"]
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            code = None
            break
        time.sleep(0.002)
    out.seek(0)
    err.seek(0)
    text = {name: f.read().decode("utf-8", "replace") for name, f in (("stdout", out), ("stderr", err))}
    protocol.write(json.dumps({"code": code, **text}) + "\n")
    protocol.flush()
"""


class CliForker:
    """One process that has imported ``cli.main``; each command runs in a child forked from it."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-P", "-c", _FORKER],  # -P: imports never come from the command's folder
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).parents[1],
        )
        self._lock = threading.Lock()

    def run(self, args: list[str], env: dict[str, str], cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
        assert self._process.stdin and self._process.stdout
        request = {"args": args, "env": env, "cwd": str(cwd), "timeout": timeout}
        with self._lock:
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.flush()
            line = self._process.stdout.readline()
        if not line:
            raise RuntimeError(f"the CLI forker stopped (exit {self._process.poll()}): see the test's captured stderr")
        answer = json.loads(line)
        if answer["code"] is None:
            raise subprocess.TimeoutExpired(["dhrflow", *args], timeout, answer["stdout"], answer["stderr"])
        return subprocess.CompletedProcess(["dhrflow", *args], answer["code"], answer["stdout"], answer["stderr"])

    def close(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()
        self._process.wait(timeout=30)


class Cli:
    """``dhrflow`` on a data folder of its own: the console script, or forked from ``forker``."""

    def __init__(self, data_dir: Path, forker: CliForker | None = None) -> None:
        self.data_dir = data_dir
        self.forker = forker
        self.env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
            "DHRFLOW_DATA_DIR": str(data_dir),
            "COLUMNS": "200",
        }

    def __call__(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        cwd = self.data_dir.parent
        if self.forker is not None:
            done = self.forker.run(list(args), self.env, cwd, timeout=60)
        else:
            done = subprocess.run([DHRFLOW, *args], env=self.env, capture_output=True, text=True, timeout=60, cwd=cwd)
        if ok:
            assert done.returncode == 0, f"dhrflow {' '.join(args)} failed: {done.stderr}"
        else:
            assert done.returncode != 0, f"dhrflow {' '.join(args)} should have failed: {done.stdout}"
            assert "Traceback" not in done.stderr, done.stderr
            assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        return done

    def json(self, *args: str) -> object:
        return json.loads(self(*args, "--json").stdout)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """The installed console script on an empty data folder."""
    return Cli(tmp_path / "data")


@pytest.fixture(scope="session")
def cli_forker() -> Iterator[CliForker]:
    forker = CliForker()
    yield forker
    forker.close()


# Most tests start from the same few commands (init and import, or demo): each is run once per
# session and the data folder it leaves is copied into the test's own.
def _prepared(factory: pytest.TempPathFactory, forker: CliForker, *commands: tuple[str, ...]) -> Path:
    made = Cli(factory.mktemp("prepared") / "data", forker)
    for command in commands:
        made(*command)
    return made.data_dir


def _copy(prepared: Path, tmp_path: Path, forker: CliForker) -> Cli:
    shutil.copytree(prepared, tmp_path / "data")
    return Cli(tmp_path / "data", forker)


LEAD = "lead@wmp.test"
LEAD_ADD = ("people", "add", "--name", "Lead", "--email", LEAD, "--role", "lead_officer", "--agency", "police")
COMM_ADD = ("people", "add", "--name", "Comm", "--email", "comm@nhs.test", "--role", "commissioner", "--agency", "NHS")


@pytest.fixture(scope="session")
def _imported(tmp_path_factory: pytest.TempPathFactory, cli_forker: CliForker, seed_plan: Path) -> Path:
    return _prepared(tmp_path_factory, cli_forker, ("init",), ("import", str(seed_plan)))


@pytest.fixture(scope="session")
def _staffed(tmp_path_factory: pytest.TempPathFactory, cli_forker: CliForker, _imported: Path) -> Path:
    made = _copy(_imported, tmp_path_factory.mktemp("prepared"), cli_forker)
    made(*LEAD_ADD)
    made(*COMM_ADD)
    return made.data_dir


@pytest.fixture(scope="session")
def _demo(tmp_path_factory: pytest.TempPathFactory, cli_forker: CliForker) -> Path:
    return _prepared(tmp_path_factory, cli_forker, ("demo",))


@pytest.fixture
def imported(_imported: Path, tmp_path: Path, cli_forker: CliForker) -> Cli:
    """``dhrflow init`` and the seed imported."""
    return _copy(_imported, tmp_path, cli_forker)


@pytest.fixture
def staffed(_staffed: Path, tmp_path: Path, cli_forker: CliForker) -> Cli:
    """As ``imported``, with a police lead officer (lead@wmp.test) and an NHS commissioner (comm@nhs.test)."""
    return _copy(_staffed, tmp_path, cli_forker)


@pytest.fixture
def demo(_demo: Path, tmp_path: Path, cli_forker: CliForker) -> Cli:
    """``dhrflow demo`` run: the seed and the demo people."""
    return _copy(_demo, tmp_path, cli_forker)
