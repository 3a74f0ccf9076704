"""``dhrflow serve``: the embedded topology on one machine.

It migrates the database, starts a local Prefect server as a child process
(its SQLite database and log under ``<data folder>/prefect``), then serves the
web app (uvicorn, ``--host``/``--port``) and the flows of ``workflows.flows`` on
their schedules from this process, until Ctrl-C or SIGTERM stops them all.
Prefect's temporary "ephemeral" mode cannot run schedules, hence the real server.

The Prefect server listens on 127.0.0.1 only: it has no sign-in. The web app has
its own sign-in; put it behind an HTTPS proxy before it leaves the machine.

Prefect is imported only here, after its environment is set: it reads its
settings once, at import, and other commands need not pay for the import.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.runner import fail, one_line, run
from web.clock_status import ClockStatus
from workflows.runtime.prefect_home import open_server_log, prefect_home

if TYPE_CHECKING:
    from aiosmtpd.controller import Controller
    from prefect.runner import Runner

    from workflows.runtime.container import App

HOST = "127.0.0.1"
"""The Prefect server has no authentication: it listens on this machine only."""
STARTUP_TIMEOUT_S = 60.0
"""A first start (creating Prefect's database) takes about 8 s; later ones about 3 s."""
STOP_TIMEOUT_S = 20.0
"""How long the server gets to stop before it is killed."""


class ServeError(Exception):
    """Serving cannot start or go on; the message is one line for the operator."""


class _Stop(Exception):
    """SIGTERM arrived while starting: stop as for Ctrl-C."""


def register(root: typer.Typer) -> None:
    """Add ``serve``."""
    root.command("serve")(serve)


def serve(
    host: Annotated[str, typer.Option("--host", help="Address the web app listens on.")] = HOST,
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port of the web app.")] = 8000,
    prefect_port: Annotated[
        int, typer.Option("--prefect-port", min=1, max=65535, help="Port of the local Prefect server and its UI.")
    ] = 4200,
    demo: Annotated[
        bool, typer.Option("--demo", help="Set up the demo first, as `dhrflow demo` does (what `make run` runs).")
    ] = False,
) -> None:
    """Run the embedded default: the web app, a local Prefect server (with its UI) and the flows on their
    schedules.

    The sweep runs at 07:00 Europe/London on working days and the notification
    dispatcher every minute. Stop with Ctrl-C; everything started stops with it.
    """
    _serve(prefect_port, Web(host, port), demo=demo)


@dataclass(frozen=True)
class Web:
    host: str
    port: int

    @property
    def url(self) -> str:
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{shown}:{self.port}"


def _serve(port: int, web: Web, *, demo: bool = False) -> None:
    data_dir = _set_up_demo() if demo else _migrate()
    try:
        home = prefect_home(data_dir)  # Prefect's database and logs: the service account's alone, as the data folder
    except OSError as exc:
        raise fail(f"{exc.filename or data_dir}: {exc.strerror or exc}") from None
    os.environ.update(prefect_environment(home, port, data_dir))
    log_path = home / "server.log"
    sink = _start_mail_sink(data_dir)
    server = PrefectServer(port, log_path)
    outcome: str | None = None
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    signal.signal(signal.SIGTERM, _raise_stop)
    try:
        if not port_is_free(HOST, port):
            raise ServeError(
                f"port {port} on {HOST} is in use (another `dhrflow serve` or Prefect server?): "
                "choose another with --prefect-port"
            )
        if not port_is_free(web.host, web.port):
            raise ServeError(f"port {web.port} on {web.host} is in use: choose another with --port")
        asyncio.run(serve_flows(server, lambda: _announce(port, log_path), web))
    except (KeyboardInterrupt, _Stop):
        pass  # Ctrl-C or SIGTERM while starting: stop what was started
    except ServeError as exc:
        outcome = str(exc)
    except Exception as exc:  # Prefect's own failures: one line and the log, not a traceback
        outcome = f"serving the flows failed: {one_line(exc)} (see {log_path})"
    finally:
        with _signals_ignored():  # a second Ctrl-C must not leave the server running
            if server.process is not None:
                stop_server(server.process)
            if sink is not None:
                sink.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
    if outcome is not None:
        raise fail(outcome)
    typer.echo("stopped")


@dataclass
class PrefectServer:
    """The local Prefect server, started once the pages answer: started beside the web app, its start took
    the two cores the web app's start needed."""

    port: int
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> subprocess.Popen[bytes]:
        if self.process is None:
            self.process = start_server(self.port, self.log_path)
        return self.process

    async def healthy(self) -> None:
        await wait_until_healthy(self.start(), self.port, self.log_path)


def _set_up_demo() -> Path:
    """``dhrflow demo`` in this process (one interpreter start less before the first page); the data folder."""
    from cli.commands.demo import set_up

    try:
        return set_up()
    except KeyboardInterrupt:
        typer.echo("stopped")
        raise typer.Exit(0) from None


def _migrate() -> Path:
    """Create or upgrade the database as ``dhrflow init`` does; returns the data folder, absolute."""

    async def work(a: App) -> Path:
        return a.settings.data_dir.resolve()

    try:
        return run(work, migrate_schema=True)
    except KeyboardInterrupt:
        typer.echo("stopped")
        raise typer.Exit(0) from None


def _start_mail_sink(data_dir: Path) -> Controller | None:
    """On a development machine with no mail server set (neither ``DHRFLOW_SMTP_HOST`` nor ``_PORT``), a
    local mail sink: the dispatcher (here and in every flow run) sends to it, and the web app shows what it
    kept on "Sent mail (demo)". Otherwise None: mail goes where the settings say."""
    from notifications.settings import NotifySettings
    from notifications.sink import start_sink
    from workflows.runtime.settings import Settings

    if Settings().environment == "production" or {"smtp_host", "smtp_port"} & NotifySettings().model_fields_set:
        return None
    folder = data_dir / "sent-mail"
    try:
        sink = start_sink(folder, free_port(HOST))
    except (OSError, RuntimeError) as exc:  # the demo goes on; mail then waits in the outbox for a server
        typer.echo(f"warning: the demo's mail sink did not start ({one_line(exc)}): mail will wait to be sent")
        return None
    os.environ.update(mail_sink_environment(folder, sink.port))
    typer.echo(
        "Mail goes to a local sink (no DHRFLOW_SMTP_HOST or _PORT set): read it on the web app's Sent mail (demo) page"
    )
    return sink


def mail_sink_environment(folder: Path, port: int) -> dict[str, str]:
    """What the web app and every flow run need to send to, and show, the demo's mail sink."""
    return {
        "DHRFLOW_SMTP_HOST": HOST,
        "DHRFLOW_SMTP_PORT": str(port),
        "DHRFLOW_SMTP_SECURITY": "plain",
        "DHRFLOW_MAIL_SINK_DIR": str(folder),
    }


def free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def prefect_environment(home: Path, port: int, data_dir: Path) -> dict[str, str]:
    """What this process, the server and every flow run must agree on.

    ``DHRFLOW_DATA_DIR`` is made absolute so flow runs (child processes) open
    the same database whatever their working folder.
    """
    return {
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": f"http://{HOST}:{port}/api",
        "PREFECT_UI_URL": f"http://{HOST}:{port}",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        # The API answers its own UI only: a page of any other site may not read it or create flow runs.
        "PREFECT_SERVER_API_CORS_ALLOWED_ORIGINS": f"http://{HOST}:{port}",
        "DO_NOT_TRACK": "1",
        "DHRFLOW_DATA_DIR": str(data_dir),
    }


def port_is_free(host: str, port: int) -> bool:
    """Whether the server could listen on ``port`` (with ``SO_REUSEADDR``, as uvicorn binds)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def start_server(port: int, log_path: Path) -> subprocess.Popen[bytes]:
    """``prefect server start`` in a session (and process group) of its own, its output to ``log_path``.

    Its own group: the terminal's Ctrl-C does not reach it (this process stops
    it after the flows), and stopping signals the whole group.
    """
    prefect = Path(sys.executable).parent / "prefect"
    command = [str(prefect)] if prefect.exists() else [sys.executable, "-m", "prefect"]
    command += ["server", "start", "--host", HOST, "--port", str(port)]
    with open_server_log(log_path) as log:
        log.write(f"\n--- dhrflow serve {time.strftime('%Y-%m-%d %H:%M:%S')}: {' '.join(command)}\n".encode())
        log.flush()
        return subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )


async def wait_until_healthy(server: subprocess.Popen[bytes], port: int, log_path: Path) -> None:
    """Return once ``GET /api/health`` answers; cancelled, it stops within one probe (2 s at most).

    Raises:
        ServeError: the server exited, or did not answer within ``STARTUP_TIMEOUT_S``.
    """
    url = f"http://{HOST}:{port}/api/health"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise ServeError(f"the Prefect server exited while starting (code {server.returncode}); see {log_path}")
        if await asyncio.to_thread(_answers, url):
            return
        await asyncio.sleep(0.2)
    raise ServeError(f"the Prefect server did not answer within {STARTUP_TIMEOUT_S:.0f} s; see {log_path}")


def _answers(url: str) -> bool:
    import urllib.error  # here, not at the top: http.client and ssl would add to every command's start
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False  # not listening yet


async def serve_flows(server: PrefectServer, ready: Callable[[], None], web: Web | None = None) -> None:
    """Register the flows' deployments and run their scheduled runs until a signal or the server stops;
    with ``web``, serve the web app too, first: the server starts once it answers, and its pages say when
    the clock runs.

    ``ready`` is called once the runner polls for runs.

    Raises:
        ServeError: the Prefect server exited while serving, or did not start.
    """
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    runner: Runner | None = None
    running: asyncio.Task[None] | None = None
    web_died = False
    waiters: list[asyncio.Task[Any]] = []
    clock = ClockStatus()
    site = _web_server(web, clock) if web is not None else None
    site_task: asyncio.Task[None] | None = None
    try:
        if site is not None and web is not None:
            site_task = asyncio.create_task(site.serve())
            while not site.started and not site_task.done():
                await asyncio.wait({site_task}, timeout=0.05)
            if site_task.done():
                raise ServeError(f"the web app did not start: {_failure(site_task)}")
            typer.echo(f"dhrflow serve: web app at {web.url} (starting the clock: the Prefect server and the flows)")
        # Prefect is imported once the pages answer: its import alone took seconds of the start.
        from prefect.runner import Runner
        from prefect.types.entrypoint import EntrypointType

        from workflows.flows import FLOWS, deployment_name, forget_legacy_deployments, schedules

        # Schedules stay active on shutdown: the server stops with us, and a restart must find them running.
        runner = Runner(name="dhrflow-embedded", pause_on_shutdown=False)
        starting = asyncio.create_task(server.healthy())
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not starting.done():
            starting.cancel()  # stopped while the server started: ``_serve`` stops it
            return
        starting.result()
        await forget_legacy_deployments()  # an upgrade: the old shared name's schedules would run beside these
        plan = schedules()
        for flow in FLOWS:
            deployment = await flow.ato_deployment(
                deployment_name(flow.name),
                schedule=plan[flow.name],
                entrypoint_type=EntrypointType.MODULE_PATH,
                description=(flow.description or "").split("\n")[0],
            )
            await runner.aadd_deployment(deployment)
        running = asyncio.create_task(runner.start())
        waiters = [asyncio.create_task(stop.wait()), asyncio.create_task(_until_exit(server.start()))]
        if site_task is not None:
            waiters.append(site_task)
        while not runner.started and not running.done() and not stop.is_set():
            await asyncio.wait({running}, timeout=0.05)
        if runner.started:
            clock.running_since = datetime.now(UTC)
            ready()
        await asyncio.wait({running, *waiters}, return_when=asyncio.FIRST_COMPLETED)
        # Read before stopping does: did the web app end on its own (not asked to, nor by a signal)?
        web_died = site_task is not None and site_task.done() and not stop.is_set()
    finally:
        # From here on signals are ignored: stopping must finish. (Left to the loop, they would fall
        # back to their defaults when it closes, and a second Ctrl-C would orphan the server.)
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
            signal.signal(sig, signal.SIG_IGN)
        for waiter in waiters:
            if waiter is not site_task:
                waiter.cancel()
        if runner is not None and running is not None:
            await _stop_runner(runner, running)
        if site is not None and site_task is not None:
            site.should_exit = True
            await asyncio.wait({site_task}, timeout=STOP_TIMEOUT_S)
    failure = running.exception() if running.done() and not running.cancelled() else None
    if failure is not None:
        raise failure
    if server.process is not None and server.process.poll() is not None:
        code = server.process.returncode
        raise ServeError(f"the Prefect server stopped unexpectedly (code {code}); stopped the flows")
    if web_died and site_task is not None:
        raise ServeError(f"the web app stopped unexpectedly: {_failure(site_task)}")


def _web_server(web: Web, clock: ClockStatus) -> Any:
    """A uvicorn server for the web app that leaves signals to ``serve`` (it stops everything in order); its
    pages show ``clock``."""
    import uvicorn

    from web.app import create_app
    from workflows.runtime.settings import Settings

    class Quiet(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield

    app = create_app(Settings())
    app.state.clock_status = clock
    config = uvicorn.Config(app, host=web.host, port=web.port, log_level="warning", lifespan="on", proxy_headers=True)
    return Quiet(config)


def _failure(task: asyncio.Task[None]) -> str:
    if task.cancelled():
        return "cancelled"
    exc = task.exception()
    return one_line(exc) if exc else "it exited"


async def _stop_runner(runner: Runner, running: asyncio.Task[None]) -> None:
    """Stop the runner (it cancels flow runs in progress) and wait for it; cancel it if it hangs.

    The runner installs its own SIGTERM handler when it starts, which stops it too.
    """
    if not running.done():
        if runner.started:
            await runner.astop()
        else:
            running.cancel()  # still starting: nothing is running yet
    await asyncio.wait({running}, timeout=STOP_TIMEOUT_S)
    if not running.done():
        running.cancel()
        await asyncio.wait({running}, timeout=5)


async def _until_exit(server: subprocess.Popen[bytes]) -> None:
    while server.poll() is None:  # noqa: ASYNC110  # a thread waiting on the process would block asyncio.run from returning
        await asyncio.sleep(1)


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Stop the server's whole process group, gently first; returns once the group is gone.

    SIGINT, not SIGTERM: measured with prefect 3.9.1, ``prefect server start``
    shuts uvicorn down cleanly on SIGINT (exit 0, about 1 s) but dies at once on
    SIGTERM. SIGKILL if it lingers.
    """
    group = server.pid  # leader of its own session, so its group id is its pid
    _signal_group(group, signal.SIGINT)
    try:
        server.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        _signal_group(group, signal.SIGKILL)
        server.wait()
    deadline = time.monotonic() + 5
    while _group_alive(group) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _group_alive(group):
        _signal_group(group, signal.SIGKILL)


def _signal_group(group: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, sig)


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def _announce(port: int, log_path: Path) -> None:
    typer.echo(f"the clock is running: Prefect UI at http://{HOST}:{port}")
    typer.echo("  escalation_sweep        07:00 Monday to Friday, Europe/London; skips bank holidays")
    typer.echo("  dispatch_notifications  every minute; sends what is due over SMTP (DHRFLOW_SMTP_*)")
    typer.echo("  import_plan             on demand, from the UI (give a file path on this machine)")
    typer.echo("  board_cycle             07:30 Monday to Friday; asks for progress updates before board meetings")
    typer.echo("  board_report            08:00 on the 1st of each month; sends the link to last month's board pack")
    typer.echo(f"Prefect server log: {log_path}")
    typer.echo("stop with Ctrl-C (or SIGTERM)")


def _raise_stop(_signum: int, _frame: FrameType | None) -> None:
    raise _Stop


@contextlib.contextmanager
def _signals_ignored() -> Iterator[None]:
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
