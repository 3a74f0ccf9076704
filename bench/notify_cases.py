"""Benchmarks of the notifications issue: messages per second to a local aiosmtpd server.

The same run sends the same messages over reused connections (``notify_concurrency``
connections, each carrying its share of the batch) and over one connection per
message, with plain SMTP and with STARTTLS (a certificate generated for the run).
The dispatcher's own rate, end to end (resolve, claim, render, send, mark on SQLite),
is measured as well. The server is aiosmtpd in a process of its own on 127.0.0.1,
discarding what it accepts (its ``Sink`` handler), as a local relay would run.
"""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.harness import Result
from bench.tls import self_signed_certificate
from documents.importer import read_plan
from notifications.message_id import message_id
from notifications.sender import Outgoing, SmtpSender, Verdict
from notifications.settings import NotifySettings
from storage.repositories import outbox_rows
from workflows.commands.demo import seed_plan_path
from workflows.commands.dispatch import dispatch
from workflows.commands.import_plan import import_plan
from workflows.commands.people import NewPerson, add_person
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import open_app
from workflows.runtime.settings import Settings

LOOPBACK = (
    "on a loopback a new connection costs about one message's round trips (no network latency to save); "
    "docs/benchmarks.md, Notifications"
)

ROUNDS = 3
TEXT = "Dear colleague,\n\nAction 3.11.1 of review BDHR2011/12-03 is overdue.\n" * 8
HTML = f"<html><body><p>{TEXT}</p></body></html>"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _server(tls: tuple[Path, Path] | None) -> Iterator[int]:
    """aiosmtpd in a process of its own (as a relay would be), accepting and discarding; its port."""
    port = _free_port()
    command = [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"]
    if tls is not None:
        command += ["--tlscert", str(tls[0]), "--tlskey", str(tls[1])]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the aiosmtpd server did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _settings(port: int, security: str, ca: Path | None = None) -> NotifySettings:
    return NotifySettings(
        _env_file=None,
        smtp_port=port,
        smtp_security=security,
        smtp_ca_file=ca,
        mail_from="bench@dhrflow.test",
        base_url="http://127.0.0.1:8000",
    )


async def _rate(settings: NotifySettings, reuse: bool, count: int) -> float:
    messages = [
        Outgoing(f"bench:{i}", message_id(f"bench:{reuse}:{i}", "dhrflow.test"), "qa@bench.test", f"m{i}", TEXT, HTML)
        for i in range(count)
    ]
    sender = SmtpSender(settings, reuse=reuse)
    started = time.perf_counter()
    outcomes = await sender.send_batch(messages)
    elapsed = time.perf_counter() - started
    accepted = sum(1 for o in outcomes.values() if o.verdict is Verdict.ACCEPTED)
    if accepted != count:
        raise RuntimeError(f"only {accepted} of {count} accepted: {next(iter(outcomes.values())).reply}")
    return count / elapsed


async def transport(count: int = 2000) -> list[Result]:
    """Reused connections against a connection per message, plain and STARTTLS, in the same run."""
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as folder:
        cert = self_signed_certificate(Path(folder))
        for label, tls, security in (("plain", None, "plain"), ("STARTTLS", cert, "starttls")):
            with _server(tls) as port:
                settings = _settings(port, security, cert[0] if tls else None)
                naive_count = max(50, count // 5)  # a connection each is slow: fewer messages say enough
                one_at_a_time = settings.model_copy(update={"notify_concurrency": 1})
                await _rate(settings, True, 20)  # warm up: imports, first handshakes
                rounds: list[tuple[float, float, float]] = []
                for _ in range(ROUNDS):  # interleaved, so a busy moment of the machine hits all three alike
                    rounds.append(
                        (
                            await _rate(settings, True, count),
                            await _rate(settings, False, naive_count),
                            await _rate(one_at_a_time, False, naive_count),
                        )
                    )
                reused, naive, naive_serial = (statistics.median(r[i] for r in rounds) for i in range(3))
            conns = settings.notify_concurrency
            detail = f"median of {ROUNDS} rounds of {count:,} messages over {conns} reused connections"
            results.append(Result(f"SMTP messages/s, reused ({label})", reused, "/s", 300, True, detail))
            results.append(
                Result(
                    f"reused vs a connection each ({label})",
                    reused / naive,
                    "x",
                    5,
                    True,
                    f"{naive:,.0f}/s with a new connection per message, {conns} at a time ({naive_count:,} messages)",
                    LOOPBACK,
                )
            )
            results.append(
                Result(
                    f"reused vs one by one ({label})",
                    reused / naive_serial,
                    "x",
                    5,
                    True,
                    f"{naive_serial:,.0f}/s with a new connection per message, one at a time",
                    LOOPBACK,
                )
            )
    return results


async def dispatcher(count: int = 2000) -> list[Result]:
    """The whole dispatcher on SQLite: resolve role rows, claim, render, send, mark."""
    clock = FixedClock(datetime(2026, 11, 26, 7, tzinfo=UTC))
    with tempfile.TemporaryDirectory() as folder, _server(None) as port:
        where = Settings(data_dir=Path(folder), database_url=None)
        async with open_app(where, clock=clock, migrate_schema=True) as app:
            await import_plan(read_plan(seed_plan_path()), uow_factory=app.uow, clock=app.clock)
            assurer = NewPerson("QA", "qa@bench.test", "partnership_assurer", None)
            await add_person(assurer, uow_factory=app.uow, clock=app.clock)
            await _queue(app, count)
            settings = _settings(port, "plain")
            started = time.perf_counter()
            report = await dispatch(settings, uow_factory=app.uow, clock=app.clock, sender=SmtpSender(settings))
            elapsed = time.perf_counter() - started
    if report.sent != count:
        raise RuntimeError(f"sent {report.sent} of {count}: {report.replies}")
    detail = f"{count:,} escalations in {report.rounds} rounds of {settings.notify_batch_size}, SQLite WAL"
    return [Result("dispatcher end to end (plain SMTP)", count / elapsed, "/s", 300, True, detail)]


async def _queue(app: Any, count: int) -> None:
    """``count`` escalation rows for the partnership's assurers, as a sweep writes them."""
    from domain.events import DomainEvent, Recipient
    from domain.roles import Role

    async with app.reader() as uow:
        first = (await uow.connection.exec_driver_sql("SELECT id, review_id FROM action ORDER BY id")).first()
    event = DomainEvent("escalation", first[0], "3.1.1", (Recipient(Role.PARTNERSHIP_ASSURER),))
    rows = []
    for i in range(count):
        rows += outbox_rows(1, first[1], 1, [event], app.clock.now())
        rows[-1]["idempotency_key"] = f"bench:{i}"
    async with app.uow() as uow:
        await uow.run_and_commit(lambda tx: tx.outbox.add_rows(rows))
