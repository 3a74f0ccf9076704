"""The Prefect flows: what runs on a schedule or on demand, as thin wrappers over the use cases.

A flow holds no business rule. It works out which day or file it is about,
then runs one task that opens the application from ``Settings()`` and calls a
use case, which does its own batching. The number of task runs is fixed per
flow (Prefect costs milliseconds per task run; one per action would cost
minutes at scale), and tasks take ids, dates and paths, never records.

The plain functions below (``sweep_day``, ``not_a_working_day``, ``run_sweep``, ``run_dispatch``,
``import_plan_file``, ...) do the work and are callable without Prefect; the ``@task`` and ``@flow``
objects only wrap them. Each returns its use case's own report (``SweepReport``, ``DispatchReport``,
``ImportReport``, ...), kept small: counts and the first failures, never the records.
The database must already be migrated (``dhrflow init``; ``dhrflow serve`` does it).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import structlog
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State, TaskRun
from prefect.context import FlowRunContext
from prefect.logging import get_run_logger
from prefect.schedules import Cron, Interval, Schedule
from prefect.tasks import Task
from sqlalchemy.exc import OperationalError

from documents.importer import read_plan
from domain.board_cycle import CycleDays
from notifications.sender import SmtpSender
from notifications.settings import NotifySettings
from storage.errors import DatabaseBusy
from workflows.commands.board_cycle import CycleReport, run_board_cycle
from workflows.commands.board_report import IssueReport, issue_board_packs
from workflows.commands.dispatch import DispatchReport, dispatch
from workflows.commands.import_plan import ImportReport, for_partnership, import_plan
from workflows.commands.sweep import SweepReport, sweep
from workflows.isolation import Incomplete, log_failures
from workflows.runtime.clock import LONDON, Clock, SystemClock
from workflows.runtime.container import open_app
from workflows.runtime.observability import configure_logging
from workflows.runtime.settings import Settings
from workflows.runtime.working_days import england_and_wales

SWEEP_CRON = "0 7 * * 1-5"
BOARD_CYCLE_CRON = "30 7 * * 1-5"
"""07:30 Monday to Friday, after the sweep; the flow skips bank holidays as the sweep does."""
BOARD_REPORT_CRON = "0 8 1 * *"
"""08:00 on the first of each month: the pack for the month just ended."""
"""07:00 Monday to Friday; the flow itself skips bank holidays (cron cannot know them)."""
TIMEZONE = "Europe/London"
DISPATCH_EVERY_S = 60

_TRANSIENT = (OperationalError, DatabaseBusy, ConnectionError, TimeoutError)
"""Failures worth a retry: a locked or unreachable database. Bad input and a missing schema are not."""


# --- the work, callable without Prefect -----------------------------------------------------------------


def sweep_day(on: str | None, scheduled_for: datetime | None, clock: Clock) -> date:
    """The day a sweep is for: ``on`` if given, else the day the run was scheduled for, in England and Wales.

    A scheduled run that starts late (the machine was asleep past midnight)
    still sweeps for the day it was meant for.

    Raises:
        ValueError: ``on`` is not a YYYY-MM-DD date.
    """
    if on is not None:
        try:
            return date.fromisoformat(on)
        except ValueError:
            raise ValueError(f"on={on!r} is not a date: give YYYY-MM-DD") from None
    if scheduled_for is not None:
        return scheduled_for.astimezone(LONDON).date()
    return clock.today()


def check_sweep_ahead(day: date, today: date) -> None:
    """A flow sweeps no later than the next working day: a sweep for a day to come fires its steps (decisions
    that stay in the log, mail that goes out) before they are due. The operator may still sweep any day from
    the CLI (``dhrflow sweep --on``), which does not go through Prefect.

    Raises:
        ValueError: ``day`` is after the next working day.
    """
    furthest = england_and_wales().add_working_days(today, 1)
    if day > furthest:
        raise ValueError(
            f"on={day.isoformat()} is after the next working day ({furthest.isoformat()}): a flow does not sweep "
            "ahead; the operator can, from the CLI (dhrflow sweep --on)"
        )


def not_a_working_day(day: date) -> str:
    """Why ``day`` gets no sweep in England and Wales ("Saturday", "a bank holiday"); empty on a working day."""
    if england_and_wales().is_working_day(day):
        return ""
    return f"{day:%A}" if day.weekday() >= 5 else "a bank holiday in England and Wales"


async def run_sweep(day: date, settings: Settings) -> SweepReport:
    """Open the application and sweep for ``day`` (the use case batches internally).

    The report keeps no ``Firing`` (``keep=0``): a run's result stays small whatever the sweep fired; the
    ledger and the log hold them.
    """
    async with open_app(settings) as app:
        report = await sweep(day, uow_factory=app.uow, clock=app.clock, calendar=england_and_wales(), keep=0)
    log_failures("sweep_action_failed", report.failures)
    return report


async def run_dispatch(settings: Settings, mail: NotifySettings, clock: Clock | None = None) -> DispatchReport:
    """Open the application and send what is due (the use case claims and batches internally)."""
    async with open_app(settings, clock=clock) as app:
        return await dispatch(mail, uow_factory=app.uow, clock=app.clock, sender=SmtpSender(mail))


async def import_plan_file(
    path: Path, settings: Settings, *, actor_email: str | None = None, partnership: str | None = None
) -> ImportReport:
    """Read the plan at ``path`` and import it (idempotent: a second import adds nothing twice).

    ``partnership`` names the partnership of a plan that does not say; a plan
    that names another is refused, as ``dhrflow import --partnership`` refuses it.

    Raises:
        PlanImportError: the file cannot be read as a plan, or names another partnership.
    """
    draft = for_partnership(read_plan(path, partnership_short_name=partnership), partnership)
    async with open_app(settings) as app:
        return await import_plan(draft, uow_factory=app.uow, clock=app.clock, actor_email=actor_email)


async def run_board_cycle_day(day: date, settings: Settings) -> CycleReport:
    """Open the application and send the progress requests and reminders due ``day``."""
    days = CycleDays(settings.board_request_working_days, settings.board_reminder_working_days)
    async with open_app(settings) as app:
        report = await run_board_cycle(
            day, uow_factory=app.uow, clock=app.clock, calendar=england_and_wales(), days=days
        )
    log_failures("board_cycle_failed", report.failures)
    return report


async def run_board_report(day: date, settings: Settings) -> IssueReport:
    """Open the application and issue each partnership's board pack for the month before ``day``."""
    async with open_app(settings) as app:
        report = await issue_board_packs(day, uow_factory=app.uow, clock=app.clock)
    log_failures("board_pack_failed", report.failures)
    return report


def check_delivered(report: DispatchReport) -> None:
    """A dispatch that left mail failing ends as failed, so that Prefect shows it: some message went to
    the dead letters, or nothing it tried went (the server is down or refusing; the rows wait to retry).

    Raises:
        Incomplete: naming the servers' replies and how often each came.
    """
    if not report.dead and not (report.retrying and not report.sent):
        return
    replies = [f"{reply} (x{n})" for reply, n in sorted(report.replies.items(), key=lambda r: -r[1])]
    what = f"dispatch: {report.sent} sent, {report.retrying} to retry, {report.dead} failed for good"
    raise Incomplete(what, replies or ["no reply recorded"], report.dead + report.retrying)


# --- tasks: one per flow run, each opening the application itself ---------------------------------------


def _transient(_task: Task[..., Any], _run: TaskRun, state: State[Any]) -> bool:
    return isinstance(state.data, _TRANSIENT)


@contextmanager
def _flow_run_bound() -> Iterator[None]:
    """Bind ``flow_run_id`` for the use cases' structlog events, so they can be matched to the run.

    A flow run may be the first dhrflow code in its process (Prefect runs served
    flows in processes of their own): structlog is set up here when nothing has.
    """
    if not structlog.is_configured():
        configure_logging(logging.INFO)
    ctx = FlowRunContext.get()
    run_id = str(ctx.flow_run.id) if ctx is not None and ctx.flow_run is not None else ""
    with structlog.contextvars.bound_contextvars(flow_run_id=run_id):
        yield


# Sweeping and importing are idempotent (a fired step and an imported action are never written twice),
# so a retry after a locked or unreachable database is safe.
@task(name="sweep_due", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=30, retry_condition_fn=_transient)
async def sweep_task(day: date) -> SweepReport:
    with _flow_run_bound():
        return await run_sweep(day, Settings())


# A retry is safe: a row is marked sent only after the server accepted it, and rows claimed by a
# failed attempt wait for their lease to end before they go again (under the same Message-ID).
@task(
    name="send_notifications", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=10, retry_condition_fn=_transient
)
async def dispatch_task() -> DispatchReport:
    with _flow_run_bound():
        return await run_dispatch(Settings(), NotifySettings())


@task(name="import_plan_file", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=10, retry_condition_fn=_transient)
async def import_task(path: str, actor_email: str | None, partnership: str | None) -> ImportReport:
    with _flow_run_bound():
        return await import_plan_file(Path(path), Settings(), actor_email=actor_email, partnership=partnership)


# The ledger (board cycle) and the outbox keys (board report) make a rerun send nothing twice.
@task(name="ask_for_progress", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=30, retry_condition_fn=_transient)
async def board_cycle_task(day: date) -> CycleReport:
    with _flow_run_bound():
        return await run_board_cycle_day(day, Settings())


@task(name="issue_board_packs", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=30, retry_condition_fn=_transient)
async def board_report_task(day: date) -> IssueReport:
    with _flow_run_bound():
        return await run_board_report(day, Settings())


# --- flows ----------------------------------------------------------------------------------------------


def _scheduled_for() -> datetime | None:
    ctx = FlowRunContext.get()
    return ctx.flow_run.expected_start_time if ctx is not None and ctx.flow_run is not None else None


@flow(name="escalation_sweep")
async def escalation_sweep(on: str | None = None) -> SweepReport:
    """Fire every ladder step due by the day (default: the scheduled day in England and Wales).

    Weekends and bank holidays are skipped: the ladder counts working days, so
    nothing falls due on them, and the next working day's sweep fires what is due.

    Args:
        on: the day as YYYY-MM-DD; leave out for the day the run was scheduled for.
    """
    logger = get_run_logger()
    clock = SystemClock()
    day = sweep_day(on, _scheduled_for(), clock)
    check_sweep_ahead(day, clock.today())
    why = not_a_working_day(day)
    if why:
        logger.info("no sweep for %s: it is %s", day.isoformat(), why)
        return SweepReport(day, dry_run=False, keep=0, skipped=why)
    report = await sweep_task(day)
    logger.info(
        "sweep for %s: %d action(s) examined in %d batch(es), %d step(s) fired",
        report.today.isoformat(),
        report.examined,
        report.batches,
        report.fired_count,
    )
    if report.failed_count:  # the others were swept; the run is failed so that the broken data is seen
        raise Incomplete(f"sweep for {report.today}", [str(f) for f in report.failures], report.failed_count)
    return report


@flow(name="dispatch_notifications")
async def dispatch_notifications() -> DispatchReport:
    """Send the notifications due now over SMTP (settings: ``DHRFLOW_SMTP_*``), in one task run.

    Two runs at once (a slow round overlapping the next minute's) share the work: rows are claimed.
    """
    logger = get_run_logger()
    report = await dispatch_task()
    logger.info(
        "%d notification(s) sent in %d email(s), %d to retry, %d failed (see `dhrflow notify failed`)",
        report.sent,
        report.emails,
        report.retrying,
        report.dead,
    )
    check_delivered(report)
    return report


@flow(name="import_plan")
async def import_plan_flow(path: str, actor_email: str | None = None, partnership: str | None = None) -> ImportReport:
    """Import the action plan at ``path`` (a path on the machine that runs the flow).

    Args:
        path: a ``.txt``, ``.docx``, ``.xlsx`` or ``.csv`` plan.
        actor_email: the coordinator importing; may be left out for a partnership's first import.
        partnership: the partnership's short name when the file does not give it.
    """
    logger = get_run_logger()
    report = await import_task(path, actor_email, partnership)
    logger.info(
        "imported %s %s: %d added, %d updated, %d unchanged, %d missing from the file, %d warning(s)",
        report.partnership,
        report.review_ref,
        len(report.added),
        len(report.updated),
        report.unchanged,
        len(report.missing),
        len(report.warnings),
    )
    return report


@flow(name="board_cycle")
async def board_cycle(on: str | None = None) -> CycleReport:
    """Ask lead officers with open actions for a progress update before each board meeting, and remind
    those who gave none (settings: ``DHRFLOW_BOARD_REQUEST_WORKING_DAYS``, ``..._REMINDER_WORKING_DAYS``).

    Args:
        on: the day as YYYY-MM-DD; leave out for the day the run was scheduled for.
    """
    logger = get_run_logger()
    day = sweep_day(on, _scheduled_for(), SystemClock())
    why = not_a_working_day(day)
    if why:
        logger.info("no board cycle for %s: it is %s", day.isoformat(), why)
        return CycleReport(day, skipped=why)
    report = await board_cycle_task(day)
    logger.info("board cycle for %s: %d request(s), %d reminder(s)", report.day, report.requests, report.reminders)
    if report.failures:
        raise Incomplete(f"board cycle for {report.day}", [str(f) for f in report.failures], len(report.failures))
    return report


@flow(name="board_report")
async def board_report(on: str | None = None) -> IssueReport:
    """Send each partnership the link to its board pack for the month before the day (monthly).

    Args:
        on: a day as YYYY-MM-DD (the pack covers the month before it); leave out for the scheduled day.
    """
    logger = get_run_logger()
    day = sweep_day(on, _scheduled_for(), SystemClock())
    report = await board_report_task(day)
    logger.info("board packs for %s to %s: %d partnership(s) told", report.first, report.last, report.partnerships)
    if report.failures:
        what = f"board packs for {report.first} to {report.last}"
        raise Incomplete(what, [str(f) for f in report.failures], len(report.failures))
    return report


def schedules() -> dict[str, Schedule | None]:
    """Each flow's schedule by flow name; ``None``: run on demand only."""
    return {
        "escalation_sweep": Cron(SWEEP_CRON, timezone=TIMEZONE),
        "dispatch_notifications": Interval(DISPATCH_EVERY_S),
        "import_plan": None,
        "board_cycle": Cron(BOARD_CYCLE_CRON, timezone=TIMEZONE),
        "board_report": Cron(BOARD_REPORT_CRON, timezone=TIMEZONE),
    }


FLOWS = (escalation_sweep, dispatch_notifications, import_plan_flow, board_cycle, board_report)

LEGACY_DEPLOYMENT = "dhrflow"
"""The name every deployment had before each was named after its flow: ``forget_legacy_deployments`` removes
them, so an upgraded installation does not keep their schedules beside the new ones."""


def deployment_name(flow_name: str) -> str:
    """A flow's deployment is named after the flow (``escalation_sweep/escalation-sweep``), so the Prefect UI's
    list of deployments says what each one runs rather than "dhrflow" five times."""
    return flow_name.replace("_", "-")


async def forget_legacy_deployments() -> list[str]:
    """Delete the deployments made under the old shared name; their flows are deployed under their own now.

    Returns the full names deleted (``escalation_sweep/dhrflow``), none on a new installation.
    """
    from prefect import get_client
    from prefect.exceptions import ObjectNotFound

    deleted = []
    async with get_client() as client:
        for flow in FLOWS:
            full = f"{flow.name}/{LEGACY_DEPLOYMENT}"
            try:
                old = await client.read_deployment_by_name(full)
            except ObjectNotFound:
                continue
            await client.delete_deployment(old.id)
            deleted.append(full)
    return deleted
