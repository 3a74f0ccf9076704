"""Impact checks as people read them: those due (My tasks, ``dhrflow impact due``) and one action's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.access import visible_agencies
from domain.impact import ImpactCheck
from domain.roles import Actor
from storage.impact import ImpactDue
from workflows.context import person_named
from workflows.ports import Tx, UowFactory

__all__ = ["ImpactDue", "ImpactView", "impact_due", "impact_view"]


async def impact_due(reader: UowFactory, actor_email: str, *, today: date | None = None) -> list[ImpactDue]:
    """The unanswered impact checks of the person's partnership they may see, soonest first; with ``today``, only
    those due by then (on it or before)."""

    def read(tx: Tx) -> list[ImpactDue]:
        person = person_named(tx, actor_email)
        seen = visible_agencies([Actor(person.id, person.role, person.agency_id, person.name)])
        return tx.impact_checks.due(person.partnership_id, today, agency_ids=seen)

    async with reader() as uow:
        return await uow.run(read)


@dataclass(frozen=True)
class ImpactView:
    """An action's impact check as its page shows it, with who answered it."""

    check: ImpactCheck
    decided_by: str
    overdue: bool

    def to_json(self) -> dict[str, Any]:
        c = self.check
        return {
            "due_on": c.due_on.isoformat(),
            "outcome": str(c.outcome) if c.outcome else "",
            "reason": c.reason,
            "decided_by": self.decided_by,
            "decided_on": c.decided_on.isoformat() if c.decided_on else None,
            "decision_id": c.decision_id,
            "overdue": self.overdue,
        }


def impact_view(tx: Tx, action_id: int, today: date) -> ImpactView | None:
    """The action's impact check (``None``: it has none), inside a read the caller holds."""
    check = tx.impact_checks.for_action(action_id)
    if check is None:
        return None
    person = tx.people.by_id(check.decided_by) if check.decided_by is not None else None
    return ImpactView(check, person.name if person else "", check.overdue_on(today))
