"""Who sees which action, and which of its transitions they may take: one place for every door.

Seeing: the partnership's own staff (commissioners, assurers, the coordinator,
viewers) see every action of their partnership; a lead officer or a director sees
their own agency's. Acting: the transitions ``lifecycle.available`` gives the
person's role and the action's state, for an action they see. Viewers and the
coordinator have no row in the lifecycle table, so they read only. Partnership
scoping (a person sees nothing of another partnership) is the caller's: an action
is always looked up within the person's own partnership.
"""

from __future__ import annotations

from collections.abc import Iterable

from domain.lifecycle import TRANSITIONS, Transition, available
from domain.model import Action
from domain.roles import Actor, Role

SEES_EVERY_AGENCY = frozenset({Role.COMMISSIONER, Role.PARTNERSHIP_ASSURER, Role.COORDINATOR, Role.VIEWER})


def may_see(actor: Actor, action: Action) -> bool:
    if actor.role in SEES_EVERY_AGENCY:
        return True
    return actor.agency_id is not None and actor.agency_id == action.agency_id


def visible_agencies(actors: Iterable[Actor]) -> frozenset[int] | None:
    """The agencies whose actions one of ``actors`` may see (``may_see``), as a query can apply it: ``None``
    when one of them sees every agency of the partnership; an empty set when none sees any.

    A list that pages must apply the rule in the database, before the page is cut: filtered afterwards, its
    pages would come out short and its total wrong.
    """
    agencies: set[int] = set()
    for actor in actors:
        if actor.role in SEES_EVERY_AGENCY:
            return None
        if actor.agency_id is not None:
            agencies.add(actor.agency_id)
    return frozenset(agencies)


def moves(actor: Actor, action: Action) -> list[Transition]:
    """The transitions ``actor`` may start on ``action`` now (what they type is checked when they send it)."""
    return available(action, actor) if may_see(actor, action) else []


MOVERS = frozenset(t.role for t in TRANSITIONS)
"""The roles with a row in the lifecycle table; the others (viewers, the coordinator, directors) never move one."""


def may_ever_move(actor: Actor, action: Action) -> bool:
    """Whether ``actor`` could take some step on ``action`` in some state: a role with a row in the lifecycle
    table and sight of the action. Coarser than ``moves`` (no state, no guards): a check cheap enough to run
    before a request's body is read, so one who could never act is refused without it."""
    return actor.role in MOVERS and may_see(actor, action)


def may_read_partnership_documents(actor: Actor) -> bool:
    """The board pack, the public version, the sign-off certificate and the decision log cover every
    agency of the partnership: they are for its own staff, as the whole decision log is. A lead officer
    or a director gets the plan itself, holding their own agency's actions only."""
    return actor.role in SEES_EVERY_AGENCY
