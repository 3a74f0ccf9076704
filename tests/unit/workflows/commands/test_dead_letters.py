"""What an operator does with the outbox, on in-memory storage: dead letters, requeueing, preferences."""

from __future__ import annotations

import pytest

from storage.outbox import DEAD, PENDING, OutboxEntry
from tests.unit.fakes import FakeTx
from tests.unit.fakes.notices import OutboxRow
from tests.unit.workflows.commands.world import AT, LEAD, POLICE, REVIEW
from workflows.commands.dead_letters import NoDeadLetter, dead_letters, requeue, set_preference
from workflows.errors import InvalidInput, UnknownPerson
from workflows.ports import UowFactory
from workflows.runtime.clock import FixedClock

NO_DIRECTOR = "West Midlands Police has no director: add one"


@pytest.fixture
def dead(tx: FakeTx) -> FakeTx:
    """A director's escalation nobody could be found for, and a lead officer's reminder the server refused."""
    role = OutboxEntry(
        "decision:1:escalation:director:4", 1, None, "escalation", "director", AT, REVIEW.id, 1, POLICE.id
    )
    tx.outbox.rows[1] = OutboxRow(1, role, status=DEAD, last_reply="West Midlands Police has no director: add one")
    mine = OutboxEntry("decision:1:reminder:person:10>person:10", 1, None, "reminder", "lead_officer", AT, 1, 1, 4, 10)
    tx.outbox.rows[2] = OutboxRow(2, mine, DEAD, 5, AT, 1, "old@wmp.test", "<m@x>", None, "550 no such user")
    return tx


async def test_dead_letters_say_who_they_were_for_newest_first(dead: FakeTx, uow: UowFactory) -> None:
    letters = await dead_letters(uow)
    assert [(d.id, d.recipient, d.review_ref, d.action_ref, d.reply) for d in letters] == [
        (2, f"{LEAD.name} <old@wmp.test>", REVIEW.ref, "3.11.1", "550 no such user"),
        (1, "the director of West Midlands Police", REVIEW.ref, "3.11.1", NO_DIRECTOR),
    ]


async def test_a_requeued_letter_is_due_now_afresh_at_the_persons_address_today(
    dead: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:
    with pytest.raises(NoDeadLetter, match="no dead letter with id 9"):
        await requeue(9, uow_factory=uow, clock=clock)
    assert await requeue(2, uow_factory=uow, clock=clock) == [2]
    row = dead.outbox.rows[2]
    assert (row.status, row.attempts, row.recipient_email) == (PENDING, 0, LEAD.email)
    assert await requeue(None, uow_factory=uow, clock=clock) == [1]


async def test_a_person_is_told_immediately_or_daily_and_nothing_else(dead: FakeTx, uow: UowFactory) -> None:
    with pytest.raises(InvalidInput, match="give immediate or daily"):
        await set_preference(LEAD.email, "weekly", uow_factory=uow)
    with pytest.raises(UnknownPerson):
        await set_preference("nobody@x.test", "daily", uow_factory=uow)
    await set_preference(" Lead@WMP.test ", "daily", uow_factory=uow)
    assert dead.people.notify == {LEAD.id: "daily"}
