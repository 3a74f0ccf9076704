"""Mail outages: the SMTP server down for a while, and a flaky one (421/451 replies, connections dropped
mid-DATA). Everything is delivered in the end under one Message-ID each; nothing is lost.

A message the server accepted just before the connection dropped (so the 250 never arrived) is sent
again under the same Message-ID: counted as ``resent_same_id``, the effectively-once guarantee.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from notifications.sender import SmtpSender
from notifications.settings import NotifySettings
from storage.tables import OutboxRow
from tests.faults import tally
from tests.faults.databases import CLOCK_AT
from tests.faults.test_crash_trials import mail_outcome
from tests.integration.helpers import seed
from tests.integration.smtp_server import Inbox, free_port, smtp_server
from workflows.commands.dispatch import dispatch
from workflows.commands.sweep import sweep
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import App
from workflows.runtime.working_days import england_and_wales

TRIALS = range(tally.trials())


@dataclass
class FlakyInbox(Inbox):
    """An aiosmtpd handler that fails at random: 451 to a recipient, 421 to the data, or the connection
    dropped in the middle of DATA (before accepting, and now and then just after)."""

    rng: random.Random = field(default_factory=random.Random)
    failure: float = 0.3

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:  # noqa: N802
        if self.rng.random() < self.failure / 3:
            return "451 4.3.0 Temporary local problem, try again"
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        roll = self.rng.random()
        if roll < self.failure / 3:
            return "421 4.3.2 Service shutting down"
        if roll < self.failure * 2 / 3:
            server.transport.close()  # dropped mid-DATA: nothing accepted, no reply
            return "451 never read"
        if roll < self.failure * 0.75:
            await super().handle_DATA(server, session, envelope)
            server.transport.close()  # accepted, but the 250 is lost with the connection
            return "250 never read"
        return await super().handle_DATA(server, session, envelope)


def _settings(port: int) -> NotifySettings:
    values: dict[str, Any] = {
        "smtp_port": port,
        "smtp_security": "plain",
        "smtp_timeout": 5,
        "mail_from": "dhrflow@bcsp.test",
        "notify_batch_size": 7,
        "notify_retry_base_s": 60,
        "notify_retry_max_s": 600,
        "notify_max_attempts": 40,  # the trials are about outages, not about giving up on them
    }
    return NotifySettings(_env_file=None, **values)  # type: ignore[call-arg]


async def _queued(app: App, seed_plan: Path) -> None:
    assert isinstance(app.clock, FixedClock)
    app.clock.at = CLOCK_AT  # every seed action long overdue: each step tells several people
    await seed(app, seed_plan)
    await sweep(app.clock.today(), uow_factory=app.uow, clock=app.clock, calendar=england_and_wales())


async def _pending(app: App) -> int:
    async with app.reader() as uow:
        stmt = select(func.count()).select_from(OutboxRow).where(OutboxRow.status == "pending")  # type: ignore[arg-type]
        return int((await uow.connection.execute(stmt)).scalar_one())


async def _dispatch_until_done(app: App, settings: NotifySettings, rng: random.Random, rounds: int = 200) -> bool:
    clock = app.clock
    assert isinstance(clock, FixedClock)
    for _ in range(rounds):
        await dispatch(settings, uow_factory=app.uow, clock=clock, sender=SmtpSender(settings), rng=rng)
        if await _pending(app) == 0:
            return True
        clock.at += timedelta(seconds=settings.notify_retry_max_s)
    return False


@pytest.mark.parametrize("trial", TRIALS)
async def test_smtp_down_for_a_while_then_up_delivers_everything_once(
    app: App, seed_plan: Path, trial: int, database_url: str
) -> None:
    rng = random.Random(f"down-{trial}")
    await _queued(app, seed_plan)
    port = free_port()
    settings = _settings(port)
    clock = app.clock
    assert isinstance(clock, FixedClock)
    for _ in range(rng.randint(1, 4)):  # nothing listens: every attempt is refused
        await dispatch(settings, uow_factory=app.uow, clock=clock, sender=SmtpSender(settings), rng=rng)
        clock.at += timedelta(seconds=settings.notify_retry_max_s)
    inbox = Inbox()
    with smtp_server(inbox, port):
        finished = await _dispatch_until_done(app, settings, rng)
    outcome = await mail_outcome(database_url, inbox, None)
    outcome.counts.crashes += not finished
    tally.record("smtp down then up", tally.kind(database_url), outcome.counts)
    assert outcome.counts.clean and outcome.distinct > 10, outcome


@pytest.mark.parametrize("trial", TRIALS)
async def test_a_flaky_smtp_server_gets_everything_in_the_end_and_nothing_twice(
    app: App, seed_plan: Path, trial: int, database_url: str
) -> None:
    rng = random.Random(f"flaky-{trial}")
    await _queued(app, seed_plan)
    port = free_port()
    settings = _settings(port)
    inbox = FlakyInbox(rng=random.Random(f"server-{trial}"))
    with smtp_server(inbox, port):
        finished = await _dispatch_until_done(app, settings, rng)
    outcome = await mail_outcome(database_url, inbox, None)
    outcome.counts.crashes += not finished
    tally.record("smtp flaky", tally.kind(database_url), outcome.counts)
    assert outcome.counts.clean and outcome.distinct > 10, outcome
