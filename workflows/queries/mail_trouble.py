"""Mail that is not going, for the people who can do something about it: the coordinator and the partnership's
assurers see it on every page (a banner linking the notifications page) until it is sent or requeued."""

from __future__ import annotations

from domain.roles import Role
from storage.outbox import MailTroubleRow
from workflows.context import Principal
from workflows.ports import Tx, UowFactory

OPERATORS = (Role.COORDINATOR, Role.PARTNERSHIP_ASSURER)
"""Who runs the notifications page, and so is shown the banner."""


async def mail_trouble(reader: UowFactory, principal: Principal) -> MailTroubleRow | None:
    """What of the person's partnership's mail is not going; ``None`` when all goes, or they do not run it."""
    if principal.person.role not in OPERATORS:
        return None
    pid = principal.person.partnership_id

    def read(tx: Tx) -> MailTroubleRow | None:
        row = tx.outbox.trouble(pid)
        return row if row.dead or row.retrying else None

    async with reader() as uow:
        return await uow.run(read)
