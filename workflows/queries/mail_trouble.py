"""Mail that is not going, for the people who can do something about it: the coordinator and the partnership's
assurers see it on every page (a banner linking the notifications page) until it is sent or requeued."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.roles import Role
from workflows.context import Principal
from workflows.ports import Tx, UowFactory

OPERATORS = (Role.COORDINATOR, Role.PARTNERSHIP_ASSURER)
"""Who runs the notifications page, and so is shown the banner."""


@dataclass(frozen=True)
class MailTrouble:
    dead: int
    """Messages that will not go until someone acts (a missing person, an address refused)."""
    retrying: int
    """Messages a try failed for (the server down or refusing for now), waiting to try again."""
    failing_since: datetime | None
    """When the oldest of those waiting was queued."""
    last_reply: str
    """The newest reason, as the server or the dispatcher gave it."""


async def mail_trouble(reader: UowFactory, principal: Principal) -> MailTrouble | None:
    """What of the person's partnership's mail is not going; ``None`` when all goes, or they do not run it."""
    if principal.person.role not in OPERATORS:
        return None
    pid = principal.person.partnership_id

    def read(tx: Tx) -> MailTrouble | None:
        row = tx.outbox.trouble(pid)
        if not row.dead and not row.retrying:
            return None
        return MailTrouble(row.dead, row.retrying, row.failing_since, row.last_reply)

    async with reader() as uow:
        return await uow.run(read)
