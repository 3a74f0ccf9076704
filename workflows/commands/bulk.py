"""Bulk moves: one move (verify, assure, acknowledge, reassign) on several actions chosen from a list.

Each action is its own decision, taken by the use case the single move uses (``take_transition``,
``acknowledge_action``, ``reassign_lead``) in a transaction of its own, so the same guards decide it and a
refusal of one undoes none of the others. Each action carries the version the person saw on the list: if it
moved since, that one is refused as a conflict rather than decided on a state nobody looked at. The report
says what was done and what was refused, each with one line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import structlog

from domain.access import may_see
from domain.errors import DhrflowError
from domain.states import Event
from storage.evidence_store import EvidenceStore
from workflows.commands.acknowledgements import acknowledge_action
from workflows.commands.extensions import reassign_lead
from workflows.commands.transitions import TransitionCommand, take_transition
from workflows.context import ActionKey, acting, check_length
from workflows.errors import InvalidInput
from workflows.ports import Tx, UowFactory
from workflows.queries.story import STATE_WORDS
from workflows.runtime.clock import Clock

log = structlog.get_logger(__name__)

MAX_ACTIONS = 500
"""Actions in one bulk move: a filtered list rarely holds more, and each is a transaction of its own."""


class BulkMove(StrEnum):
    VERIFY = "verify"
    ASSURE = "assure"
    ACKNOWLEDGE = "acknowledge"
    REASSIGN = "reassign"

    @property
    def takes_comment(self) -> bool:
        """Whether the move keeps a comment with each decision (a reassignment records none)."""
        return self is not BulkMove.REASSIGN


@dataclass(frozen=True)
class Seen:
    """An action as the person saw it on the list."""

    action: ActionKey
    version: int | None = None
    """The version shown; ``None`` acts on the action as it is now (the CLI without ``REF@VERSION``)."""


@dataclass(frozen=True)
class BulkCommand:
    actor_email: str
    move: BulkMove
    actions: Sequence[Seen]
    comment: str = ""
    """Kept with each decision (verify, assure, acknowledge)."""
    to: str = ""
    """The new lead officer's email (reassign)."""
    on_behalf_of: str | None = None
    """The email of the person ``actor_email`` stands in for as their deputy, for every action."""


@dataclass(frozen=True)
class BulkItem:
    """One action of a bulk move: done, or refused and why."""

    action_id: int | None
    """``None`` when the action named was not found (a ref on the command line)."""
    review_ref: str
    action_ref: str
    done: bool
    detail: str
    """What was done ("now checked by the commissioner") or why not: the refusal's own line."""
    kind: str = ""
    """The refusal's kind (``domain.errors.ErrorKind``: conflict, not_now, not_yours, ...); empty when done."""
    to_state: str = ""
    """The action's state after a verify or an assure."""

    def to_json(self) -> dict[str, Any]:
        named = {"action_id": self.action_id, "review_ref": self.review_ref, "ref": self.action_ref}
        if not self.done:
            return named | {"kind": self.kind, "reason": self.detail}
        return named | {"detail": self.detail} | ({"to_state": self.to_state} if self.to_state else {})


@dataclass(frozen=True)
class BulkReport:
    move: BulkMove
    items: tuple[BulkItem, ...]
    """In the order the actions were named."""

    @property
    def done(self) -> tuple[BulkItem, ...]:
        return tuple(i for i in self.items if i.done)

    @property
    def refused(self) -> tuple[BulkItem, ...]:
        return tuple(i for i in self.items if not i.done)

    def to_json(self) -> dict[str, Any]:
        """The CLI's ``--json`` and the API's answer alike."""
        return {
            "move": str(self.move),
            "done": [i.to_json() for i in self.done],
            "refused": [i.to_json() for i in self.refused],
        }


async def bulk_move(command: BulkCommand, *, uow_factory: UowFactory, clock: Clock, store: EvidenceStore) -> BulkReport:
    """Make ``command.move`` on each action of ``command.actions``, each one its own decision.

    What is wrong for the whole batch (no action, a comment too long or where none is kept, no new lead officer,
    an unknown person, a deputy period not in force) refuses the batch before any action is touched. After that,
    an action the move's use case refuses (its state, the person's role, a guard, a stale version) is reported
    and the next one is taken; only an error of the installation (no database) stops the batch, leaving what was
    done done.

    Raises:
        InvalidInput, UnknownPerson, DeputyRefused: the batch as a whole cannot be taken.
    """
    seen = _checked(command)
    async with uow_factory() as uow:
        names = await uow.run(_names, command, seen, clock.today())
    items = []
    for one, (review_ref, ref, action_id) in zip(seen, names, strict=True):
        try:
            detail, to_state = await _move(command, one, uow_factory=uow_factory, clock=clock, store=store)
        except DhrflowError as exc:
            if exc.kind is None:  # the installation's, not this action's: the next would fail the same way
                raise
            items.append(BulkItem(action_id, review_ref, ref, False, str(exc), str(exc.kind)))
            continue
        items.append(BulkItem(action_id, review_ref, ref, True, detail, to_state=to_state))
    report = BulkReport(command.move, tuple(items))
    log.info("bulk_move_taken", move=str(command.move), done=len(report.done), refused=len(report.refused))
    return report


def _checked(command: BulkCommand) -> list[Seen]:
    """The actions named, each once (the first version given counts); the batch refused if it cannot be taken."""
    first: dict[ActionKey, Seen] = {}
    for one in command.actions:
        first.setdefault(one.action, one)
    unique = list(first.values())
    if not unique:
        raise InvalidInput("choose at least one action")
    if len(unique) > MAX_ACTIONS:
        raise InvalidInput(f"{len(unique)} actions at once; the most is {MAX_ACTIONS}: narrow the list")
    check_length("the comment", command.comment)
    if command.comment.strip() and not command.move.takes_comment:
        raise InvalidInput(f"{command.move} keeps no comment: leave it empty")
    if command.move is BulkMove.REASSIGN and not command.to.strip():
        raise InvalidInput("reassign needs the new lead officer: give their email")
    return unique


def _names(tx: Tx, command: BulkCommand, seen: list[Seen], today: date) -> list[tuple[str, str, int | None]]:
    """Who acts (refusing an unknown person or a deputy period not in force once, for the whole batch), and each
    action's review, ref and id for the report, where the person may see it; else as it was named."""
    person, actor = acting(tx, command.actor_email, command.on_behalf_of, today)
    names: list[tuple[str, str, int | None]] = []
    for one in seen:
        key = one.action
        if key.action_id is not None:
            found = tx.actions.by_id(person.partnership_id, key.action_id)
            rows = [found] if found is not None else []
        else:
            rows = tx.actions.find(person.partnership_id, key.ref, key.review_ref)
        if len(rows) == 1 and may_see(actor, rows[0][1]):
            review_ref, action = rows[0]
            names.append((review_ref, action.ref, action.id))
        else:
            names.append((key.review_ref or "", key.ref, key.action_id))
    return names


async def _move(
    command: BulkCommand, one: Seen, *, uow_factory: UowFactory, clock: Clock, store: EvidenceStore
) -> tuple[str, str]:
    """The single move's use case on one action; what it did, in one line, and the state it left (a transition's
    only)."""
    email, behalf, comment = command.actor_email, command.on_behalf_of, command.comment
    if command.move is BulkMove.ACKNOWLEDGE:
        views = await acknowledge_action(
            email,
            one.action,
            comment,
            uow_factory=uow_factory,
            clock=clock,
            expected_version=one.version,
            on_behalf_of=behalf,
        )
        return f"{len(views)} escalation{'s' if len(views) != 1 else ''} acknowledged", ""
    if command.move is BulkMove.REASSIGN:
        done = await reassign_lead(
            email,
            one.action,
            command.to.strip(),
            uow_factory=uow_factory,
            clock=clock,
            on_behalf_of=behalf,
            expected_version=one.version,
        )
        return f"lead officer is now {done.lead_officer}", ""
    transition = TransitionCommand(
        email,
        one.action,
        Event(str(command.move)),
        note=comment,
        expected_version=one.version,
        on_behalf_of=behalf,
    )
    result = await take_transition(transition, uow_factory=uow_factory, clock=clock, store=store)
    return f"now {STATE_WORDS.get(result.to_state, result.to_state)}", str(result.to_state)
