"""The ladders in force, and where each action stands on its ladder."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from domain.access import visible_agencies
from domain.ladders import Anchor, CatchUp, Ladder, LadderName, LadderStep, ladder_for
from domain.model import Action
from domain.states import State
from domain.working_days import WorkingCalendar
from storage.action_lists import ActionFilter
from workflows.context import Principal, partnership_id
from workflows.ports import Tx, UowFactory
from workflows.queries.desk import actors_of


async def ladders(reader: UowFactory, partnership: str | None = None) -> tuple[dict[LadderName, Ladder], CatchUp]:
    """The ladders in force in the partnership (its own, or the defaults) and its catch-up rule."""

    def read(tx: Tx) -> tuple[dict[LadderName, Ladder], CatchUp]:
        pid = partnership_id(tx, partnership)
        return tx.ladders.in_force(pid), tx.ladders.catch_up(pid)

    async with reader() as uow:
        return await uow.run(read)


_RUNNING = (str(State.OPEN), str(State.EVIDENCE_SUBMITTED), str(State.COMMISSIONER_VERIFIED))
_CHUNK = 5_000
"""Actions per ledger query: far below SQLite's limit on bound parameters."""


@dataclass(frozen=True)
class Position:
    action_id: int
    review_ref: str
    ref: str
    ladder: LadderName
    anchor: date | None
    """The day the ladder counts from (the target date, or when the evidence arrived); ``None``: none readable."""
    last: LadderStep | None
    """The highest step fired for this anchor."""
    next: LadderStep | None
    next_due_on: date | None


def position(
    review_ref: str, action: Action, ladder: Ladder, fired: set[tuple[str, str, date]], calendar: WorkingCalendar
) -> Position:
    """Where ``action`` stands on ``ladder``, given the steps fired for it (ladder, step, anchor)."""
    anchor = action.target_date if ladder.anchor is Anchor.TARGET_DATE else action.waiting_since
    done = {step for (name, step, at) in fired if name == ladder.name and at == anchor}
    fired_steps = [i for i, s in enumerate(ladder.steps) if s.key in done]
    highest = max(fired_steps, default=-1)
    last = ladder.steps[highest] if highest >= 0 else None
    rest = ladder.steps[highest + 1 :]
    following = rest[0] if rest and anchor is not None else None
    due = ladder.due_on(following, anchor, calendar) if following is not None and anchor is not None else None
    return Position(action.id, review_ref, action.ref, ladder.name, anchor, last, following, due)


async def ladder_positions(
    reader: UowFactory,
    principal: Principal,
    *,
    today: date,
    calendar: WorkingCalendar,
    review_ref: str | None = None,
    review_refs: Sequence[str] = (),
) -> list[Position]:
    """Each running action the person may see (of one review, or of some: a page of reviews), where it stands
    on its ladder, in document order."""

    def read(tx: Tx) -> list[Position]:
        pid = principal.person.partnership_id
        seen = visible_agencies(actor for _, actor in actors_of(tx, principal, today))
        f = ActionFilter(pid, review_ref, states=_RUNNING, visible=seen, review_refs=review_refs)
        rows = tx.actions.matching(f)
        ladders = tx.ladders.in_force(pid)
        fired: dict[int, set[tuple[str, str, date]]] = {}
        for chunk in _chunks([a.id for _, a in rows]):
            fired |= tx.escalations.fired(chunk)
        found = []
        for ref, action in rows:
            name = ladder_for(action)
            if name is not None:
                found.append(position(ref, action, ladders[name], fired.get(action.id, set()), calendar))
        return found

    async with reader() as uow:
        return await uow.run(read)


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]
