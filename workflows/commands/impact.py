"""Use cases of impact checks: the partnership records whether an assured action changed practice, and the
coordinator sets how long after assurance the check falls due.

An answer is a decision about the action that leaves it as it was (assured); its evidence, like a submission's,
is stored content-addressed and named by the decision; the check's row takes the answer in the same transaction,
and the action's impact ladder stops (the next sweep finds nothing to climb).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from domain.access import may_see
from domain.impact import IMPACT_MONTHS_SET, ImpactCheck, ImpactOutcome, ImpactRefused, check_answer, check_months
from domain.model import Action
from domain.roles import Actor
from storage.evidence_store import EvidenceStore, StoredFile
from workflows.commands.transitions import read_evidence
from workflows.context import (
    ActionKey,
    about_action,
    acting,
    acting_coordinator,
    check_length,
    decision_about,
    find_action,
)
from workflows.errors import NotVisible
from workflows.ports import Tx, UowFactory
from workflows.runtime.clock import LONDON, Clock


@dataclass(frozen=True)
class ImpactCommand:
    actor_email: str
    action: ActionKey
    outcome: ImpactOutcome
    reason: str = ""
    """Why impact was not shown (required then); what was found, for a confirmation (optional)."""
    note: str = ""
    """What changed in practice: evidence in words, beside or instead of a file."""
    files: Sequence[Path] = field(default_factory=tuple)
    uploads: Sequence[tuple[str, bytes]] = field(default_factory=tuple)
    decided_on: date | None = None
    """The day the partnership found it (today when not given; never a day to come)."""
    on_behalf_of: str | None = None


@dataclass(frozen=True)
class ImpactResult:
    review_ref: str
    action_ref: str
    outcome: ImpactOutcome
    due_on: date
    decided_on: date
    decision_id: int
    evidence: tuple[StoredFile, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "review_ref": self.review_ref,
            "ref": self.action_ref,
            "outcome": str(self.outcome),
            "due_on": self.due_on.isoformat(),
            "decided_on": self.decided_on.isoformat(),
            "decision_id": self.decision_id,
            "evidence": [{"name": f.name, "sha256": f.sha256, "size": f.size} for f in self.evidence],
        }


async def record_impact(
    command: ImpactCommand, *, uow_factory: UowFactory, clock: Clock, store: EvidenceStore
) -> ImpactResult:
    """Answer the action's impact check as ``command.actor_email``: ``impact_confirmed`` (with evidence: a file
    and/or a note) or ``impact_not_shown`` (with a reason).

    Evidence is read and checked first, stored only once the answer would stand, then the decision, the evidence
    rows and the check's answer commit together.

    Raises:
        UnknownPerson, ActionNotFound, AmbiguousAction, EvidenceFileError, InvalidInput: bad input.
        ImpactRefused: not the partnership assurer, not assured, answered already, no reason or evidence, a date
            to come.
    """
    for name, text in (("--reason", command.reason), ("--note", command.note)):
        check_length(name, text)
    files, types, hashes = await read_evidence(command.files, command.uploads)
    stored: tuple[StoredFile, ...] = ()
    if files:
        async with uow_factory() as uow:  # the check alone: nothing is committed
            await uow.run(_decide, command, len(files), clock.now())
        stored = await asyncio.to_thread(
            lambda: tuple(
                store.put(data, name, sha256=h, content_type=t)
                for (data, name), h, t in zip(files, hashes, types, strict=True)
            )
        )
    at = clock.now()
    async with uow_factory() as uow:
        return await uow.run_and_commit(_record_in, command, hashes, stored, at)


@dataclass(frozen=True)
class _Decided:
    partnership_id: int
    actor: Actor
    review_ref: str
    action: Action
    check: ImpactCheck
    decided_on: date


def _decide(tx: Tx, command: ImpactCommand, evidence: int, at: datetime, *, writing: bool = False) -> _Decided:
    today = at.astimezone(LONDON).date()
    person, actor = acting(tx, command.actor_email, command.on_behalf_of, today)
    if writing:
        tx.decisions.lock_chain(person.partnership_id)
    review_ref, action = find_action(tx, person.partnership_id, command.action)
    if command.action.action_id is not None and not may_see(actor, action):
        raise NotVisible(f"action {action.ref} belongs to another agency")
    check = tx.impact_checks.for_action(action.id)
    decided_on = command.decided_on or today
    check_answer(
        action,
        actor,
        check,
        command.outcome,
        reason=command.reason,
        note=command.note,
        evidence=evidence,
        on=today,
        decided_on=decided_on,
    )
    assert check is not None  # check_answer refuses an action without one
    return _Decided(person.partnership_id, actor, review_ref, action, check, decided_on)


def _record_in(
    tx: Tx, command: ImpactCommand, hashes: tuple[str, ...], stored: tuple[StoredFile, ...], at: datetime
) -> ImpactResult:
    d = _decide(tx, command, len(hashes), at, writing=True)
    actor, review_ref, action = d.actor, d.review_ref, d.action
    draft = decision_about(
        actor,
        d.partnership_id,
        str(command.outcome),
        at,
        **about_action(action, review_ref),
        reason=command.reason.strip(),
        note=command.note.strip(),
        evidence_hashes=hashes,
    )
    draft.payload = {"due_on": d.check.due_on.isoformat(), "decided_on": d.decided_on.isoformat()}
    decision_id = tx.decisions.append(draft)
    for f in stored:
        tx.evidence.add(action.id, decision_id, f, at)
    answered = ImpactCheck(
        action.id,
        d.check.due_on,
        command.outcome,
        command.reason.strip(),
        actor.acting_id,
        d.decided_on,
        decision_id,
    )
    if not tx.impact_checks.answer(answered):
        raise ImpactRefused(action.ref, "its impact check was answered meanwhile")
    return ImpactResult(review_ref, action.ref, command.outcome, d.check.due_on, d.decided_on, decision_id, stored)


@dataclass(frozen=True)
class MonthsSet:
    partnership: str
    before: int
    months: int


async def set_impact_months(
    months: int,
    *,
    uow_factory: UowFactory,
    clock: Clock,
    actor_email: str | None = None,
    partnership: str | None = None,
) -> MonthsSet:
    """Set how many months after assurance the partnership's impact checks fall due (0: none), for actions
    assured from now on; a decision.

    Raises:
        ImpactRefused: months below 0 or above ``domain.impact.MAX_MONTHS``.
        InvalidInput, UnknownPerson: not one of the partnership's coordinators.
    """
    check_months(months)
    at = clock.now()
    async with uow_factory() as uow:
        return await uow.run_and_commit(_months_in, partnership, actor_email, months, at)


def _months_in(tx: Tx, partnership: str | None, actor_email: str | None, months: int, at: datetime) -> MonthsSet:
    actor, pid = acting_coordinator(tx, partnership, actor_email, "sets the months to an impact check")
    before = tx.impact_checks.months(pid)
    tx.impact_checks.set_months(pid, months)
    tx.decisions.append(decision_about(actor, pid, IMPACT_MONTHS_SET, at, payload={"from": before, "to": months}))
    short = next(p.short_name for p in tx.partnerships.all() if p.id == pid)
    return MonthsSet(short, before, months)
