"""The outbox as a read: notifications waiting to go, by kind (what the next dispatch will take)."""

from __future__ import annotations

from datetime import datetime

from workflows.ports import UowFactory


async def pending_by_kind(reader: UowFactory, now: datetime) -> dict[str, int]:
    """Outbox rows pending whose next attempt is due by ``now``, counted by message kind."""
    async with reader() as uow:
        return await uow.run(lambda tx: tx.outbox.pending_by_kind(now))
