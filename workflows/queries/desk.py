"""What a signed-in person sees and may do: the actions they may see, one action, its files.

Every read goes through ``domain.access``: the same rule decides what a page
lists, what the API returns and which buttons an action page shows. An action
outside the person's partnership does not exist for them (404); one of another
agency in it is refused (403).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.access import SEES_EVERY_AGENCY, may_ever_move, may_see, moves
from domain.assignment import may_reassign
from domain.deputies import acting_for
from domain.extension import may_decide, may_request
from domain.lifecycle import Transition
from domain.model import Action, Person
from domain.rag import RagPolicy
from domain.roles import Actor, Role
from storage.evidence_store import EvidenceStore
from storage.repositories import EvidenceRecord, LoggedDecision
from workflows.context import ActionKey, Principal, partnership_by_id
from workflows.errors import ActionNotFound, NotVisible
from workflows.ports import Tx, UowFactory
from workflows.queries.actions import ActionDetail, ActionView, detail_for, views_of
from workflows.queries.escalation_steps import Staff, waiting_on
from workflows.runtime.clock import LONDON, Clock


@dataclass(frozen=True)
class Card:
    """An action as a list shows it, with the moves the person may start on it now."""

    view: ActionView
    moves: tuple[Transition, ...]
    returned: bool = False
    on_behalf_of: str = ""
    """The name of the person whose moves these are, when the person stands in for them as deputy."""
    may_reassign: bool = False
    """Whether the person may name another lead officer for it (its agency's director, while it is under way)."""
    escalations_waiting: int = 0
    """How many of its escalations wait on the person to acknowledge them."""


@dataclass(frozen=True)
class Waiting:
    """An extension waiting for a decision."""

    new_date: date
    reason: str


@dataclass(frozen=True)
class Powers:
    """What one actor may do on an action now: the person in their own right, or as someone's deputy."""

    moves: tuple[Transition, ...]
    may_request_extension: bool = False
    may_decide_extension: bool = False
    lead_choices: tuple[str, ...] = ()
    """Emails of the agency's lead officers, for a director who may reassign the action."""
    for_email: str = ""
    """Whose deputy the person acts as (empty: in their own right)."""
    for_name: str = ""

    @property
    def anything(self) -> bool:
        return bool(self.moves or self.may_request_extension or self.may_decide_extension or self.lead_choices)


@dataclass(frozen=True)
class ActionPage:
    detail: ActionDetail
    moves: tuple[Transition, ...]
    waiting: Waiting | None = None
    may_request_extension: bool = False
    may_decide_extension: bool = False
    lead_choices: tuple[str, ...] = ()
    """Emails of the agency's lead officers, for a director who may reassign the action."""
    stand_ins: tuple[Powers, ...] = ()
    """What the person may do on it as the deputy of someone (one per person they stand in for today)."""


def actors_of(tx: Tx, principal: Principal, today: date) -> list[tuple[Person | None, Actor]]:
    """The person as themselves, then as the deputy of each person they stand in for today."""
    person = principal.person
    actors: list[tuple[Person | None, Actor]] = [(None, principal.actor)]
    for period in tx.deputies.standing_in(person.id, today):
        stood_for = tx.people.by_id(period.principal_id)
        if stood_for is not None:
            actors.append((stood_for, acting_for(stood_for, person, [period], today)))
    return actors


def cards_of(
    tx: Tx, principal: Principal, rows: list[tuple[str, Action]], today: date, policy: RagPolicy
) -> list[Card]:
    """``rows`` (actions the person may see, with their reviews' refs) as cards: each with the person's own
    moves, whether they may reassign it and how many of its escalations wait on them (what waits on them is
    ``workflows.queries.tasks``). Reads only what ``rows`` need: a page of a list costs what it shows."""
    if not rows:
        return []
    pid = principal.person.partnership_id
    views = views_of(tx, pid, rows, today, policy)
    own = principal.actor
    staff, history = Staff.of(tx, pid), tx.ladders.history(pid)
    waiting = Counter(r.action_id for r in waiting_on(tx, pid, own, staff, history, action_ids=[a.id for _, a in rows]))
    return [
        Card(
            view,
            tuple(moves(own, action)),
            action.returned,
            may_reassign=may_reassign(action, own),
            escalations_waiting=waiting[action.id],
        )
        for view, (_, action) in zip(views, rows, strict=True)
    ]


async def lead_officers(reader: UowFactory, principal: Principal) -> list[Person]:
    """The lead officers of the agency ``principal`` directs, to hand an action to (none for anyone else)."""
    person = principal.person
    if person.role is not Role.DIRECTOR or person.agency_id is None:
        return []

    def read(tx: Tx) -> list[Person]:
        people = tx.people.in_partnership(person.partnership_id)
        return [p for p in people if p.role is Role.LEAD_OFFICER and p.agency_id == person.agency_id]

    async with reader() as uow:
        return await uow.run(read)


async def action_page(
    reader: UowFactory, principal: Principal, action_id: int, *, today: date, policy: RagPolicy
) -> ActionPage:
    """One action with its timeline, evidence and the person's moves.

    Raises:
        ActionNotFound: no such action in the person's partnership.
        NotVisible: an action of another agency.
    """

    def read(tx: Tx) -> ActionPage:
        review_ref, action = _visible_action_in(tx, principal, action_id, today)
        pid = principal.person.partnership_id
        detail = detail_for(tx, pid, review_ref, action, today, policy)
        pending = tx.extensions.pending(action.id)
        request = pending

        def powers(actor: Actor, stood_for: Person | None) -> Powers:
            leads: tuple[str, ...] = ()
            if may_reassign(action, actor):
                people = tx.people.in_partnership(pid)
                agency = action.agency_id
                leads = tuple(p.email for p in people if p.role is Role.LEAD_OFFICER and p.agency_id == agency)
            return Powers(
                tuple(moves(actor, action)),
                may_request(action, actor, pending=request is not None),
                request is not None and may_decide(action, actor, request),
                leads,
                stood_for.email if stood_for else "",
                stood_for.name if stood_for else "",
            )

        [own, *stand_ins] = [powers(actor, stood_for) for stood_for, actor in actors_of(tx, principal, today)]
        return ActionPage(
            detail,
            own.moves,
            Waiting(request.new_date, request.reason) if request else None,
            own.may_request_extension,
            own.may_decide_extension,
            own.lead_choices,
            tuple(p for p in stand_ins if p.anything),
        )

    async with reader() as uow:
        return await uow.run(read)


async def action_key(reader: UowFactory, principal: Principal, action_id: int, today: date) -> ActionKey:
    """How the use cases name action ``action_id``, once the person may see it (a cheap check before a write).

    Raises:
        ActionNotFound, NotVisible: as for ``action_page``.
    """
    async with reader() as uow:
        review_ref, action = await uow.run(_visible_action_in, principal, action_id, today)
    return ActionKey(action.ref, review_ref)


async def check_may_move(reader: UowFactory, principal: Principal, action_id: int, today: date) -> None:
    """Refuse one who could take no step on action ``action_id`` in any state, as themselves or as a deputy:
    the web checks this before it reads a transition's form, which may carry 64 MB of evidence.

    Raises:
        ActionNotFound, NotVisible: as for ``action_page``.
        NotVisible: the person, and everyone they stand in for today, holds a role that moves no action.
    """

    def check(tx: Tx) -> None:
        _, action = _visible_action_in(tx, principal, action_id, today)
        if not any(may_ever_move(actor, action) for _, actor in actors_of(tx, principal, today)):
            raise NotVisible(f"action {action.ref}: a {principal.person.role.label} takes no step on an action")

    async with reader() as uow:
        await uow.run(check)


def _visible_action_in(tx: Tx, principal: Principal, action_id: int, today: date) -> tuple[str, Action]:
    """The action, if the person may see it as themselves or as the deputy of someone who may."""
    found = tx.actions.by_id(principal.person.partnership_id, action_id)
    if found is None:
        raise ActionNotFound(f"#{action_id}", None)
    if not may_see(principal.actor, found[1]) and not any(
        may_see(actor, found[1]) for _, actor in actors_of(tx, principal, today)[1:]
    ):
        raise NotVisible(f"action {found[1].ref} belongs to another agency")
    return found


@dataclass(frozen=True)
class EvidenceFile:
    name: str
    content_type: str
    content: bytes
    sha256: str


async def evidence_file(
    uow_factory: UowFactory,
    principal: Principal,
    action_id: int,
    evidence_id: int,
    *,
    store: EvidenceStore,
    clock: Clock,
) -> EvidenceFile:
    """An evidence file of an action the person may see; the download is logged.

    Raises:
        ActionNotFound, NotVisible: as for ``action_page``; a file of another action is not found.
    """
    at = clock.now()
    async with uow_factory() as uow:
        found = await uow.run_and_commit(_evidence_in, principal, action_id, evidence_id, at)
    content = store.open(found.stored_path)
    return EvidenceFile(found.name, found.content_type, content, found.sha256)


def _evidence_in(tx: Tx, principal: Principal, action_id: int, evidence_id: int, at: datetime) -> EvidenceRecord:
    _visible_action_in(tx, principal, action_id, at.astimezone(LONDON).date())
    found = tx.evidence.by_id(evidence_id)
    if found is None or found.action_id != action_id:
        raise ActionNotFound(f"#{action_id} evidence {evidence_id}", None)
    tx.evidence_access.log(evidence_id, principal.person.id, at)
    return found


@dataclass(frozen=True)
class LogPage:
    partnership: str
    decisions: list[dict[str, Any]]
    """Each decision as recorded, with its hash and the previous one's."""
    next_after: int | None
    """The ``after`` of the next page; ``None`` at the end."""


async def decision_log(reader: UowFactory, principal: Principal, *, after: int = 0, limit: int = 500) -> LogPage:
    """The partnership's decision log from ``seq`` ``after`` on, for its own staff (every agency's decisions
    are in it, so lead officers and directors, who see their own agency's actions, do not read it whole).

    Raises:
        NotVisible: the person is an agency's, not the partnership's.
    """
    if principal.person.role not in SEES_EVERY_AGENCY:
        raise NotVisible("the whole decision log is for the partnership's own staff")

    def read(tx: Tx) -> LogPage:
        pid = principal.person.partnership_id
        short = partnership_by_id(tx, pid).short_name
        rows = tx.decisions.page(pid, after, limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        return LogPage(short, [_decision_json(d) for d in rows], rows[-1].seq if more else None)

    async with reader() as uow:
        return await uow.run(read)


def _decision_json(d: LoggedDecision) -> dict[str, Any]:
    return {
        "seq": d.seq,
        "event": d.event,
        "actor_name": d.actor_name,
        "actor_role": d.actor_role,
        "review_ref": d.review_ref,
        "action_ref": d.action_ref,
        "from_state": d.from_state,
        "to_state": d.to_state,
        "reason": d.reason,
        "note": d.note,
        "prev_hash": d.prev_hash,
        "hash": d.hash,
        "at": d.at.isoformat(),
        "evidence_hashes": list(d.evidence_hashes),
        "payload": d.payload,
    }


async def partnership_name(reader: UowFactory, principal: Principal) -> str:
    """The short name of the person's partnership (shown in labels)."""

    def read(tx: Tx) -> str:
        pid = principal.person.partnership_id
        return next((p.short_name for p in tx.partnerships.all() if p.id == pid), "")

    async with reader() as uow:
        return await uow.run(read)
