"""Use cases that move an action: submit evidence, verify, reject, assure, withdraw, record progress.

Each is one unit of work: load the action (with its version), let the
lifecycle table decide, then write the new state, the decision, the evidence
rows and the outbox rows, and commit them together.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import structlog

from domain import lifecycle
from domain.model import Action, Person
from domain.roles import Actor
from domain.states import Event, State
from storage.errors import ConcurrencyConflict
from storage.evidence_store import EvidenceStore, StoredFile
from storage.repositories import DecisionDraft
from storage.uow import SqlUnitOfWork
from workflows.clock import Clock
from workflows.errors import ActionNotFound, AmbiguousAction, EvidenceFileError, UnknownPerson
from workflows.unit_of_work import UowFactory

log = structlog.get_logger(__name__)

MAX_EVIDENCE_BYTES = 25 * 1024 * 1024


@dataclass(frozen=True)
class ActionKey:
    """How a person names an action: its ref, and the review where the ref alone is ambiguous."""

    ref: str
    review_ref: str | None = None


@dataclass(frozen=True)
class TransitionCommand:
    actor_email: str
    action: ActionKey
    event: Event
    reason: str = ""
    note: str = ""
    files: Sequence[Path] = field(default_factory=tuple)
    expected_version: int | None = None
    """The version the person saw; ``None`` takes the current one (the CLI's default)."""


@dataclass(frozen=True)
class TransitionResult:
    review_ref: str
    action_ref: str
    event: Event
    from_state: State
    to_state: State
    version: int
    decision_id: int
    evidence: tuple[StoredFile, ...]
    notifications: int


async def actor_for(uow: SqlUnitOfWork, email: str) -> tuple[Person, Actor]:
    person = await uow.people.by_email(email)
    if person is None:
        raise UnknownPerson(email)
    return person, Actor(person.id, person.role, person.agency_id, person.name)


async def find_action(uow: SqlUnitOfWork, partnership_id: int, key: ActionKey) -> tuple[str, Action]:
    """The action ``key`` names in the partnership, with its review's ref."""
    return _one_action(key, await uow.actions.find(partnership_id, key.ref, key.review_ref))


def _one_action(key: ActionKey, found: list[tuple[str, Action]]) -> tuple[str, Action]:
    if not found:
        raise ActionNotFound(key.ref, key.review_ref)
    if len(found) > 1:
        raise AmbiguousAction(key.ref, sorted(review_ref for review_ref, _ in found))
    return found[0]


def _read_files(paths: Sequence[Path]) -> list[tuple[bytes, str]]:
    contents = []
    for path in paths:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise EvidenceFileError(str(path), "no such file") from None
        except IsADirectoryError:
            raise EvidenceFileError(str(path), "is a folder, not a file") from None
        except OSError as exc:
            raise EvidenceFileError(str(path), exc.strerror or "cannot be read") from None
        if not data:
            raise EvidenceFileError(str(path), "is empty")
        if len(data) > MAX_EVIDENCE_BYTES:
            raise EvidenceFileError(str(path), f"is larger than {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB")
        contents.append((data, path.name))
    return contents


async def take_transition(
    command: TransitionCommand, *, uow_factory: UowFactory, clock: Clock, store: EvidenceStore
) -> TransitionResult:
    """Fire ``command.event`` on the action as the person ``command.actor_email``.

    Raises:
        UnknownPerson, ActionNotFound, AmbiguousAction, EvidenceFileError: bad input.
        domain.errors.DomainError: the lifecycle table refuses (state, role or a guard).
        ConcurrencyConflict: the action changed since ``expected_version`` or while deciding.
    """
    files = _read_files(command.files)  # before the transaction: a bad path writes nothing
    async with uow_factory() as uow:
        key = command.action
        person, found = await uow.actions.with_actor(command.actor_email, key.ref, key.review_ref)
        if person is None:
            raise UnknownPerson(command.actor_email)
        actor = Actor(person.id, person.role, person.agency_id, person.name)
        review_ref, action = _one_action(key, found)
        structlog.contextvars.bind_contextvars(review_ref=review_ref, action_ref=action.ref)
        loaded_version = action.version
        if command.expected_version is not None and command.expected_version != loaded_version:
            raise ConcurrencyConflict(action.ref, command.expected_version, loaded_version)

        request = lifecycle.Request(
            event=command.event,
            reason=command.reason,
            note=command.note,
            evidence_hashes=tuple(hashlib.sha256(data).hexdigest() for data, _ in files),
        )
        outcome = lifecycle.decide(action, actor, request)
        stored = tuple(store.put(data, name) for data, name in files)  # only once the decision stands
        lifecycle.apply(action, outcome, actor)
        new_version = await uow.actions.save_state(action, loaded_version)

        at = clock.now()
        decision_id = await uow.decisions.append(
            DecisionDraft(
                partnership_id=person.partnership_id,
                actor_id=person.id,
                actor_name=person.name,
                actor_role=str(actor.role),
                event=str(command.event),
                at=at,
                review_id=action.review_id,
                review_ref=review_ref,
                action_id=action.id,
                action_ref=action.ref,
                from_state=str(outcome.source),
                to_state=str(outcome.target),
                reason=command.reason.strip(),
                note=command.note.strip(),
                evidence_hashes=request.evidence_hashes,
            )
        )
        for f in stored:
            await uow.evidence.add(
                {
                    "action_id": action.id,
                    "decision_id": decision_id,
                    "sha256": f.sha256,
                    "size": f.size,
                    "content_type": f.content_type,
                    "name": f.name,
                    "stored_path": f.stored_path,
                    "at": at,
                }
            )
        sent = await uow.outbox.add_for_events(person.partnership_id, action.review_id, decision_id, outcome.events, at)
        await uow.commit()
    log.info(
        "decision_recorded", lifecycle_event=str(command.event), to_state=str(outcome.target), decision_id=decision_id
    )
    return TransitionResult(
        review_ref=review_ref,
        action_ref=action.ref,
        event=command.event,
        from_state=outcome.source,
        to_state=outcome.target,
        version=new_version,
        decision_id=decision_id,
        evidence=stored,
        notifications=sent,
    )
