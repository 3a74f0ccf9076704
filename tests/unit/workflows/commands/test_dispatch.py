"""Sending the outbox on in-memory storage, with a sender that answers as told: who a role row reaches,
and what each answer of the server does to the row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import pytest

from domain.deputies import DeputyPeriod
from domain.states import Event
from notifications.sender import Outcome, Outgoing, Verdict
from notifications.settings import NotifySettings
from storage.outbox import DEAD, PENDING, SENT
from tests.unit.fakes import FakeTx
from tests.unit.workflows.commands.world import ASSURER, AT, COMMISSIONER, LEAD, OTHER_LEAD, POLICE, TODAY, action
from workflows.commands.dispatch import dispatch
from workflows.commands.transitions import TransitionCommand, record_transition
from workflows.context import ActionKey
from workflows.ports import UowFactory
from workflows.runtime.clock import FixedClock


class Server:
    """Answers every message with ``verdict``; keeps what it was sent."""

    def __init__(self, verdict: Verdict = Verdict.ACCEPTED) -> None:
        self.verdict = verdict
        self.sent: list[Outgoing] = []

    async def send_batch(self, messages: Sequence[Outgoing], date_header: str | None = None) -> dict[str, Outcome]:
        self.sent += messages
        reply = {Verdict.ACCEPTED: "250 ok", Verdict.TEMPORARY: "451 later", Verdict.PERMANENT: "550 no such user"}
        return {m.key: Outcome(self.verdict, reply[self.verdict]) for m in messages}


SETTINGS = NotifySettings(_env_file=None, notify_max_attempts=2)


def decide(tx: FakeTx, who: str, event: Event, reason: str = "", note: str = "") -> None:
    record_transition(tx, TransitionCommand(who, ActionKey("3.11.1"), event, reason, note), (), (), AT)


async def test_a_row_for_a_role_reaches_who_holds_it_now_and_is_marked_sent(
    tx: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:
    decide(tx, LEAD.email, Event.SUBMIT_EVIDENCE, note="audit done")  # the commissioners are told
    server = Server()
    report = await dispatch(SETTINGS, uow_factory=uow, clock=clock, sender=server)
    assert (report.resolved, report.sent, report.emails) == (1, 1, 1)
    [mail] = server.sent
    assert mail.to == COMMISSIONER.email and "3.11.1" in mail.subject
    [delivery] = tx.outbox.deliveries()
    assert (delivery.status, delivery.attempts, delivery.last_reply) == (SENT, 1, "250 ok")
    assert (await dispatch(SETTINGS, uow_factory=uow, clock=clock, sender=server)).sent == 0  # nothing twice


async def test_whoever_stands_in_for_the_person_hears_what_they_would(
    tx: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:
    tx.deputies.put(1, DeputyPeriod(1, LEAD.id, OTHER_LEAD.id, TODAY, TODAY + timedelta(days=7), "leave"))
    tx.actions.put(action("3.11.2", id_=2))  # open still: the plan is not yet ready for its final audit
    decide(tx, ASSURER.email, Event.WITHDRAW, reason="superseded")  # the lead officer and the director are told
    server = Server()
    await dispatch(SETTINGS, uow_factory=uow, clock=clock, sender=server)
    assert sorted(m.to for m in server.sent) == sorted([LEAD.email, OTHER_LEAD.email, "director@wmp.test"])


async def test_a_role_nobody_holds_is_a_dead_letter_saying_what_to_add(
    tx: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:
    tx.agencies.rows[POLICE.id] = POLICE.__class__(POLICE.id, 1, POLICE.name)  # the police have no director
    tx.actions.put(action("3.11.2", id_=2))  # open still: the plan is not yet ready for its final audit
    decide(tx, ASSURER.email, Event.WITHDRAW, reason="superseded")
    report = await dispatch(SETTINGS, uow_factory=uow, clock=clock, sender=Server())
    assert (report.sent, report.dead) == (1, 1)
    [letter] = [r for r in tx.outbox.rows.values() if r.status == DEAD]
    assert letter.last_reply == "West Midlands Police has no director: add one"


@pytest.mark.parametrize(
    ("verdict", "status", "retrying"), [(Verdict.PERMANENT, DEAD, 0), (Verdict.TEMPORARY, PENDING, 1)]
)
async def test_a_refusal_is_final_and_a_temporary_failure_comes_back_later_until_attempts_run_out(
    tx: FakeTx, uow: UowFactory, clock: FixedClock, verdict: Verdict, status: str, retrying: int
) -> None:
    decide(tx, LEAD.email, Event.SUBMIT_EVIDENCE, note="audit done")
    report = await dispatch(SETTINGS, uow_factory=uow, clock=clock, sender=Server(verdict))
    [delivery] = tx.outbox.deliveries()
    assert (delivery.status, report.retrying) == (status, retrying)
    if verdict is Verdict.TEMPORARY:
        assert delivery.next_attempt_at is not None and delivery.next_attempt_at > AT
        later = FixedClock(AT + timedelta(days=1))
        again = await dispatch(SETTINGS, uow_factory=uow, clock=later, sender=Server(verdict))
        assert (again.dead, delivery.status, delivery.attempts) == (1, DEAD, 2)  # the second of two attempts
