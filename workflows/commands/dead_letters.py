"""What an operator does with the outbox: see the dead letters, requeue them, set how a person is told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.errors import ErrorKind
from storage.outbox import DeadLetterRow
from storage.repositories import normal_email
from workflows.errors import InvalidInput, UnknownPerson, WorkflowError
from workflows.ports import Tx, UowFactory
from workflows.runtime.clock import Clock

PREFERENCES = ("immediate", "daily")
_ROLE_WORDS = {"lead_officer": "lead officers", "commissioner": "commissioners"}
"""A role row is for everyone who holds the role: plural where several may."""


class NoDeadLetter(WorkflowError):
    kind = ErrorKind.NOT_FOUND

    def __init__(self, row_id: int) -> None:
        self.row_id = row_id
        super().__init__(f"no dead letter with id {row_id}; `dhrflow notify failed` lists them")


@dataclass(frozen=True)
class DeadLetter:
    id: int
    kind: str
    review_ref: str
    action_ref: str
    recipient: str
    """``person:7 a@b.example`` for a delivery, the role (and agency id) for a role row nobody held."""
    attempts: int
    reply: str
    at: datetime


async def dead_letters(reader: UowFactory, limit: int = 500, partnership_id: int | None = None) -> list[DeadLetter]:
    """Every message that will not go without someone acting, newest first (of one partnership, given one)."""
    async with reader() as uow:
        rows = await uow.run(lambda tx: tx.outbox.dead(partnership_id, limit=limit))
    return [_letter(r) for r in rows]


def _letter(r: DeadLetterRow) -> DeadLetter:
    if r.parent_id is not None:
        recipient = f"{r.recipient_name or ''} <{r.recipient_email}>".strip()
    else:  # a role nobody held, said as people say it: "the director of West Midlands Police"
        label = _ROLE_WORDS.get(r.recipient_role, r.recipient_role.replace("_", " "))
        if r.recipient_agency_id is not None:
            recipient = f"the {label} of {r.recipient_agency_name or f'agency {r.recipient_agency_id}'}"
        else:
            recipient = f"the {label}" if r.recipient_role != "partnership_assurer" else "the partnership's assurers"
    return DeadLetter(
        id=r.id,
        kind=r.kind,
        review_ref=r.review_ref or "",
        action_ref=r.action_ref or "",
        recipient=recipient,
        attempts=r.attempts,
        reply=r.last_reply,
        at=r.next_attempt_at,
    )


async def requeue(
    row_id: int | None, *, uow_factory: UowFactory, clock: Clock, partnership_id: int | None = None
) -> list[int]:
    """Dead letters back in the queue, due now, with their attempts reset; ``None``: all of them.

    Raises:
        NoDeadLetter: ``row_id`` names no dead letter.
    """
    now = clock.now()
    async with uow_factory() as uow:
        ids = await uow.run_and_commit(lambda tx: tx.outbox.requeue(now, row_id, partnership_id))
    if row_id is not None and not ids:
        raise NoDeadLetter(row_id)
    return ids


async def set_preference(email: str, preference: str, *, uow_factory: UowFactory) -> None:
    """``immediate`` (each notification on its own) or ``daily`` (one digest a day) for a person.

    Raises:
        InvalidInput: not one of the two.
        UnknownPerson: no one has this email.
    """
    if preference not in PREFERENCES:
        raise InvalidInput(f"preference {preference!r}: give immediate or daily")
    async with uow_factory() as uow:
        changed = await uow.run_and_commit(_prefer, normal_email(email), preference)
    if not changed:
        raise UnknownPerson(email)


def _prefer(tx: Tx, email: str, preference: str) -> bool:
    return tx.people.set_notify(email, preference)


async def outbox_counts(reader: UowFactory) -> dict[str, int]:
    async with reader() as uow:
        return await uow.run(lambda tx: tx.outbox.status_counts())
