"""The monthly board report: each partnership's board pack for the month just ended, sent to the partnership.

The email carries a link to the pack (PDF, every review), not the pack itself:
the pack names staff and lists overdue actions by agency, so it stays behind
sign-in and the access rules (only the partnership's own staff may open it),
and nothing of it sits in mailboxes. A ``board_pack_issued`` decision records
each month's issue; the outbox rows (the partnership assurers and the board's
viewers) are keyed by partnership, period and role, so a rerun sends nothing twice.
The decision's payload holds the decision log's head as it stood when the email
was queued, and the email prints it: the head at issue, not at sending.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from domain.roles import Role
from storage.outbox import OutboxEntry
from workflows.context import SYSTEM_ACTOR, Attribution, decision_about, partnership_names
from workflows.isolation import DATA_ERRORS, Failure, failure, named
from workflows.ports import Tx, UowFactory
from workflows.queries.exports import log_head
from workflows.runtime.clock import Clock

BOARD_PACK_ISSUED = "board_pack_issued"
KIND = "board_pack"
TOLD = (Role.PARTNERSHIP_ASSURER, Role.VIEWER)
"""The partnership's DHR lead and quality-assurance group, and the board members (viewers)."""


@dataclass(frozen=True)
class IssueReport:
    first: date
    last: date
    partnerships: int = 0
    """Partnerships whose pack went out on this run (a rerun for the same month: 0)."""
    failures: list[Failure] = field(default_factory=list)
    """Partnerships whose pack could not be issued (their data is broken); the others' went out."""


def month_before(day: date) -> tuple[date, date]:
    """The calendar month before the one ``day`` is in, both days included."""
    last = day.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


async def issue_board_packs(day: date, *, uow_factory: UowFactory, clock: Clock) -> IssueReport:
    """Tell each partnership with a review that its pack for the month before ``day`` is ready, once."""
    first, last = month_before(day)
    async with uow_factory() as uow:
        names = await uow.run(partnership_names)
    pids = list(names)
    issued = 0
    failures: list[Failure] = []
    for pid in pids:
        try:
            async with uow_factory() as uow:
                issued += await uow.run_and_commit(_issue_in, pid, names[pid], first, last, clock.now())
        except DATA_ERRORS as error:  # one partnership's broken data: the others' packs still go out
            failures.append(failure(pid, "board pack", error))
    return IssueReport(first, last, issued, named(failures, names))


def _issue_in(tx: Tx, pid: int, short_name: str, first: date, last: date, at: datetime) -> int:
    tx.decisions.lock_chain(pid)
    if not tx.reviews.in_partnership(pid):
        return 0
    key = f"board_pack:{pid}:{last.isoformat()}"
    if tx.board_meetings.outbox_key_taken(f"{key}:{Role.PARTNERSHIP_ASSURER}"):
        return 0
    system = Attribution(pid, None, SYSTEM_ACTOR, "system")
    # Read under the chain's lock (above): no decision can land between this head and the issue's own.
    head = log_head(tx, pid, short_name).text
    payload = {"from": first.isoformat(), "to": last.isoformat(), "format": "pdf", "review": "all", "log_head": head}
    decision_id = tx.decisions.append(
        decision_about(system, system.partnership_id, event=BOARD_PACK_ISSUED, at=at, payload=payload)
    )
    tx.outbox.queue([OutboxEntry(f"{key}:{role}", pid, decision_id, KIND, str(role), at) for role in TOLD])
    return 1
