"""Use cases that move an action: submit evidence, verify, reject, assure, withdraw, record progress.

Each is one unit of work: load the action (with its version), let the
lifecycle table decide, then write the new state, the decision, the evidence
rows and the outbox rows, and commit them together.
"""

from __future__ import annotations

import asyncio
import hashlib
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import structlog

from domain import lifecycle
from domain.access import may_see
from domain.events import DomainEvent, Recipient
from domain.evidence import check_evidence, checked_name, safe_name
from domain.impact import check_due_on, due_after
from domain.model import Action, Person
from domain.roles import Actor, Role
from domain.states import Event, State
from storage.errors import ConcurrencyConflict
from storage.evidence_store import EvidenceStore, StoredFile
from workflows.context import ActionKey, acting, check_length, decision_about, one_action
from workflows.errors import EvidenceFileError, InvalidInput, NotVisible
from workflows.ports import Tx, UowFactory
from workflows.runtime.clock import LONDON, Clock
from workflows.runtime.observability import get_logger

log = get_logger(__name__)

MAX_EVIDENCE_BYTES = 25 * 1024 * 1024
FINAL_AUDIT_READY = "final_audit_ready"


@dataclass(frozen=True)
class TransitionCommand:
    actor_email: str
    action: ActionKey
    event: Event
    reason: str = ""
    note: str = ""
    files: Sequence[Path] = field(default_factory=tuple)
    """Evidence files on this machine (the CLI)."""
    uploads: Sequence[tuple[str, bytes]] = field(default_factory=tuple)
    """Evidence sent with the request, as (name, content) (the web app and the API)."""
    expected_version: int | None = None
    """The version the person saw; ``None`` takes the current one (the CLI's default)."""
    on_behalf_of: str | None = None
    """The email of the person ``actor_email`` stands in for as their deputy (``domain.deputies``)."""
    impact_due_on: date | None = None
    """On ``assure``: the assurer's own day for the impact check, instead of the partnership's months after."""


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
    action_id: int = 0
    impact_due_on: date | None = None
    """Assured: the day its impact check falls due (``None``: no check)."""

    def to_json(self) -> dict[str, Any]:
        """An action's state change as the CLI (``--json``) and the API both give it: one shape."""
        impact = {"impact_check_due_on": self.impact_due_on.isoformat()} if self.impact_due_on else {}
        return impact | {
            "action_id": self.action_id,
            "review_ref": self.review_ref,
            "ref": self.action_ref,
            "event": str(self.event),
            "from_state": str(self.from_state),
            "to_state": str(self.to_state),
            "version": self.version,
            "decision_id": self.decision_id,
            "evidence": [{"name": f.name, "sha256": f.sha256, "size": f.size} for f in self.evidence],
            "notifications": self.notifications,
        }


def _keyed(tx: Tx, partnership_id: int, key: ActionKey, actor: Actor) -> tuple[str, Action]:
    if key.action_id is None:
        return one_action(key, tx.actions.find(partnership_id, key.ref, key.review_ref))
    found = tx.actions.by_id(partnership_id, key.action_id)
    if found is not None and not may_see(actor, found[1]):
        raise NotVisible(f"action {found[1].ref} belongs to another agency")
    return one_action(key, [found] if found else [])


CONFLICT_RETRIES = 5
"""Attempts for a command without an expected version, when another decision lands in between."""


def _read_files(paths: Sequence[Path]) -> list[tuple[bytes, str]]:
    """Read evidence files, refusing what is not a regular file or is too large before reading it."""
    contents = []
    for path in paths:
        try:
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):
                problem = "is a folder, not a file" if stat.S_ISDIR(info.st_mode) else "is not a regular file"
                raise EvidenceFileError(str(path), problem)
            if info.st_size > MAX_EVIDENCE_BYTES:
                raise EvidenceFileError(str(path), f"is larger than {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB")
            with path.open("rb") as handle:
                data = handle.read(MAX_EVIDENCE_BYTES + 1)
        except FileNotFoundError:
            raise EvidenceFileError(str(path), "no such file") from None
        except PermissionError:
            raise EvidenceFileError(str(path), "cannot be read (permission denied)") from None
        except OSError as exc:
            raise EvidenceFileError(str(path), exc.strerror or "cannot be read") from None
        if not data:
            raise EvidenceFileError(str(path), "is empty")
        if len(data) > MAX_EVIDENCE_BYTES:  # it grew while we read it
            raise EvidenceFileError(str(path), f"is larger than {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB")
        contents.append((data, path.name))
    return contents


def _checked_upload(name: str, data: bytes) -> tuple[bytes, str]:
    if len(data) > MAX_EVIDENCE_BYTES:
        raise EvidenceFileError(safe_name(name), f"is larger than {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB")
    return data, name


async def read_evidence(
    paths: Sequence[Path], uploads: Sequence[tuple[str, bytes]]
) -> tuple[list[tuple[bytes, str]], list[str], tuple[str, ...]]:
    """Evidence files (on this machine, or sent with the request) read and checked before anything is written:
    their (content, name), content types and SHA-256s.

    Raises:
        EvidenceFileError: a file missing, unreadable, empty or too large.
        domain.evidence.EvidenceRefused: a name, type or content not accepted.
    """
    for name in [path.name for path in paths] + [name for name, _ in uploads]:
        checked_name(name)  # a name that would show as another is refused before any file is read
    files = await asyncio.to_thread(_read_files, paths) if paths else []
    files += [_checked_upload(name, data) for name, data in uploads]
    types = [check_evidence(name, data) for data, name in files]
    return files, types, tuple(hashlib.sha256(data).hexdigest() for data, _ in files)


def _check_text(command: TransitionCommand) -> None:
    for name, value in (("--reason", command.reason), ("--note", command.note)):
        check_length(name, value)


@dataclass(frozen=True)
class Decided:
    """Who acts, on which action, and what the lifecycle table made of it."""

    person: Person
    actor: Actor
    review_ref: str
    action: Action
    request: lifecycle.Request
    outcome: lifecycle.Outcome


def decide_transition(
    tx: Tx, command: TransitionCommand, hashes: tuple[str, ...], today: date, *, writing: bool = False
) -> Decided:
    """Load who acts and on what, and let the lifecycle table decide.

    ``writing`` takes the partnership's log lock before reading the action, so
    what is decided on is current and no other decision can slip in between.
    """
    key = command.action
    person, actor = acting(tx, command.actor_email, command.on_behalf_of, today)
    if writing:
        tx.decisions.lock_chain(person.partnership_id)
    review_ref, action = _keyed(tx, person.partnership_id, key, actor)
    if command.expected_version is not None and command.expected_version != action.version:
        raise ConcurrencyConflict(action.ref, command.expected_version, action.version)
    request = lifecycle.Request(command.event, reason=command.reason, note=command.note, evidence_hashes=hashes)
    return Decided(person, actor, review_ref, action, request, lifecycle.decide(action, actor, request))


async def take_transition(
    command: TransitionCommand, *, uow_factory: UowFactory, clock: Clock, store: EvidenceStore
) -> TransitionResult:
    """Fire ``command.event`` on the action as the person ``command.actor_email``.

    Evidence files are read and checked before anything else, and stored only
    once the lifecycle table has accepted the decision (a refused submission
    leaves no file), outside the write transaction. Without an expected version,
    a decision that lands in between is not the caller's conflict: the decision
    is taken again on the new state (it may then be refused on its merits).

    Raises:
        UnknownPerson, ActionNotFound, AmbiguousAction, EvidenceFileError, InvalidInput: bad input.
        domain.evidence.EvidenceRefused: an evidence file's name, type or content is not accepted.
        domain.errors.DomainError: the lifecycle table refuses (state, role or a guard).
        ConcurrencyConflict: the action is no longer at ``expected_version``.
    """
    _check_text(command)
    files, types, hashes = await read_evidence(command.files, command.uploads)
    stored: tuple[StoredFile, ...] = ()
    if files:
        async with uow_factory() as uow:  # the check alone: nothing is committed
            await uow.run(decide_transition, command, hashes, clock.now().astimezone(LONDON).date())
        stored = await asyncio.to_thread(
            lambda: tuple(
                store.put(data, name, sha256=h, content_type=t)
                for (data, name), h, t in zip(files, hashes, types, strict=True)
            )
        )
    attempts = 1 if command.expected_version is not None else CONFLICT_RETRIES
    for attempt in range(1, attempts + 1):
        try:
            return await _record(command, hashes, stored, uow_factory=uow_factory, clock=clock)
        except ConcurrencyConflict:
            if attempt == attempts:
                raise
            log.info("decision_retried_after_conflict", attempt=attempt)
    raise AssertionError("unreachable: the loop returns or raises")


async def _record(
    command: TransitionCommand,
    hashes: tuple[str, ...],
    stored: tuple[StoredFile, ...],
    *,
    uow_factory: UowFactory,
    clock: Clock,
) -> TransitionResult:
    at = clock.now()
    async with uow_factory() as uow:
        result = await uow.run_and_commit(record_transition, command, hashes, stored, at)
    with structlog.contextvars.bound_contextvars(review_ref=result.review_ref, action_ref=result.action_ref):
        log.info("decision_recorded", lifecycle_event=str(command.event), to_state=str(result.to_state))
    return result


def record_transition(
    tx: Tx, command: TransitionCommand, hashes: tuple[str, ...], stored: tuple[StoredFile, ...], at: datetime
) -> TransitionResult:
    """The transaction's work: decide, move the action, log the decision, its evidence and notifications."""
    today = at.astimezone(LONDON).date()
    if command.impact_due_on is not None and command.event is not Event.ASSURE:
        raise InvalidInput(f"an impact check date goes with assure, not with {command.event}")
    d = decide_transition(tx, command, hashes, today, writing=True)
    action, person, outcome = d.action, d.person, d.outcome
    loaded_version = action.version
    lifecycle.apply(action, outcome, d.actor, today)
    impact_due = _impact_due(tx, person.partnership_id, action.ref, command, today)
    # Any move may change which ladder runs and from when (an assured action's impact check has one too): the next
    # sweep works it out.
    recheck = None if action.state.is_final and impact_due is None else today
    new_version = tx.actions.save_state(action, loaded_version, recheck)
    if impact_due is not None:
        tx.impact_checks.add(action.id, impact_due)
    draft = decision_about(
        d.actor,
        person.partnership_id,
        str(command.event),
        at,
        review_id=action.review_id,
        review_ref=d.review_ref,
        action_id=action.id,
        action_ref=action.ref,
        from_state=str(outcome.source),
        to_state=str(outcome.target),
        reason=command.reason.strip(),
        note=command.note.strip(),
        evidence_hashes=hashes,
    )
    if impact_due is not None:
        draft.payload = {"impact_check_due_on": impact_due.isoformat()}
    decision_id = tx.decisions.append(draft)
    for f in stored:
        tx.evidence.add(action.id, decision_id, f, at)
    events = outcome.events
    if action.state.is_final and tx.actions.unfinished(action.review_id) == 0:
        # The review's last action is done: the partnership is told its plan is ready for the final audit.
        ready = DomainEvent(FINAL_AUDIT_READY, action.id, action.ref, (Recipient(Role.PARTNERSHIP_ASSURER),))
        events = (*events, ready)
    sent = tx.outbox.add_for_events(person.partnership_id, action.review_id, decision_id, events, at)
    return TransitionResult(
        review_ref=d.review_ref,
        action_ref=action.ref,
        event=command.event,
        from_state=outcome.source,
        to_state=outcome.target,
        version=new_version,
        decision_id=decision_id,
        evidence=stored,
        notifications=sent,
        action_id=action.id,
        impact_due_on=impact_due,
    )


def _impact_due(tx: Tx, partnership_id: int, action_ref: str, command: TransitionCommand, today: date) -> date | None:
    """The day an action assured today is checked for impact: the assurer's own, or the partnership's months
    after (none when it does no impact checks)."""
    if command.event is not Event.ASSURE:
        return None
    if command.impact_due_on is not None:
        check_due_on(action_ref, today, command.impact_due_on)
        return command.impact_due_on
    return due_after(today, tx.impact_checks.months(partnership_id))
