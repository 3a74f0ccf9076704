"""The coordinator sets the partnership's ladders and its catch-up rule; each change is a decision.

A new ladder is a new version (the ledger names the version that fired each
step). Every action still under way is looked at again by the next sweep, so a
step the new ladder makes due fires then, once, under the catch-up rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.ladders import DEFAULT_LADDERS, CatchUp, Ladder, LadderName, LadderStep
from workflows.context import acting_coordinator, decision_about
from workflows.ports import Tx, UowFactory
from workflows.runtime.clock import LONDON, Clock


@dataclass(frozen=True)
class LadderSet:
    ladder: Ladder
    rechecked: int
    """Actions under way the next sweep looks at again."""


async def set_ladder(
    name: LadderName,
    steps: Sequence[LadderStep],
    *,
    uow_factory: UowFactory,
    clock: Clock,
    actor_email: str | None = None,
    partnership: str | None = None,
) -> LadderSet:
    """Make ``steps`` the partnership's ``name`` ladder, as its next version.

    Raises:
        InvalidLadder: the steps do not make a ladder (order, roles, kinds, names).
        InvalidInput, UnknownPerson: ``actor_email`` is not one of the partnership's coordinators.
    """
    ladder = Ladder(name, DEFAULT_LADDERS[name].anchor, tuple(steps))  # checks it before anything is opened
    at = clock.now()
    async with uow_factory() as uow:
        return await uow.run_and_commit(_set_in, partnership, actor_email, ladder, at)


def _set_in(tx: Tx, partnership: str | None, actor_email: str | None, ladder: Ladder, at: datetime) -> LadderSet:
    actor, pid = acting_coordinator(tx, partnership, actor_email, "sets the ladders")
    stored = tx.ladders.add_version(pid, ladder, at)
    tx.decisions.append(
        decision_about(actor, actor.partnership_id, event="ladder_set", at=at, payload=stored.to_json())
    )
    rechecked = tx.escalations.recheck(pid, at.astimezone(LONDON).date())
    return LadderSet(stored, rechecked)


async def set_catch_up(
    catch_up: CatchUp,
    *,
    uow_factory: UowFactory,
    clock: Clock,
    actor_email: str | None = None,
    partnership: str | None = None,
) -> CatchUp:
    """Set what a sweep fires for an action with several steps due at once; returns the rule before."""
    at = clock.now()
    async with uow_factory() as uow:
        return await uow.run_and_commit(_catch_up_in, partnership, actor_email, catch_up, at)


def _catch_up_in(tx: Tx, partnership: str | None, actor_email: str | None, catch_up: CatchUp, at: datetime) -> CatchUp:
    actor, pid = acting_coordinator(tx, partnership, actor_email, "sets the catch-up rule")
    before = tx.ladders.catch_up(pid)
    tx.ladders.set_catch_up(pid, catch_up)
    tx.decisions.append(
        decision_about(
            actor, actor.partnership_id, event="catch_up_set", at=at, payload={"from": str(before), "to": str(catch_up)}
        )
    )
    return before
