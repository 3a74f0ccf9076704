"""The decision use case's own rules, on in-memory storage (the real databases: tests/integration)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from domain.errors import GuardFailed
from domain.model import Action, ActionColumns, Person, Route
from domain.roles import Role
from domain.states import Event, State
from storage.errors import ConcurrencyConflict
from storage.evidence_store import EvidenceStore
from tests.unit.fakes import FakeDecisionTx, FakeUnitOfWork
from workflows.commands.transitions import TransitionCommand, record_transition, take_transition
from workflows.context import ActionKey
from workflows.errors import AmbiguousAction, UnknownPerson
from workflows.runtime.clock import FixedClock

POLICE, NHS = 4, 1
AT = datetime(2013, 10, 1, 9, 0, tzinfo=UTC)
LEAD = Person(10, 1, "Lead", "lead@wmp.test", Role.LEAD_OFFICER, POLICE)
COMMISSIONER = Person(20, 1, "Commissioner", "comm@nhs.test", Role.COMMISSIONER, NHS)
ASSURER = Person(30, 1, "Assurer", "qa@bcsp.test", Role.PARTNERSHIP_ASSURER, None)
OTHER_PARTNERSHIP_LEAD = Person(40, 2, "Elsewhere", "lead@else.test", Role.LEAD_OFFICER, POLICE)


def action(ref: str = "3.11.1", id_: int = 1, **kw: object) -> Action:
    values: dict[str, object] = {"route": Route.COMMISSIONER} | kw
    return Action(id_, 1, POLICE, ref, ActionColumns(action="Audit s136"), date(2013, 6, 30), **values)  # type: ignore[arg-type]


@pytest.fixture
def tx() -> FakeDecisionTx:
    fake = FakeDecisionTx([LEAD, COMMISSIONER, ASSURER, OTHER_PARTNERSHIP_LEAD])
    fake.actions.put(1, "BDHR2011/12-03", action())
    return fake


def command(who: Person, event: Event, **kw: object) -> TransitionCommand:
    return TransitionCommand(who.email, ActionKey("3.11.1"), event, **kw)  # type: ignore[arg-type]


def test_a_submission_moves_the_action_logs_the_decision_and_tells_the_checker(tx: FakeDecisionTx) -> None:
    result = record_transition(tx, command(LEAD, Event.SUBMIT_EVIDENCE, note=" Briefing sent "), ("ab" * 32,), (), AT)
    assert (result.from_state, result.to_state, result.version) == (State.OPEN, State.EVIDENCE_SUBMITTED, 1)
    [draft] = tx.decisions.drafts
    assert (draft.actor_id, draft.actor_role, draft.event, draft.note) == (
        10,
        "lead_officer",
        "submit_evidence",
        "Briefing sent",
    )
    assert list(draft.evidence_hashes) == ["ab" * 32]
    assert tx.outbox.rows == [("evidence_submitted", "commissioner:*")]
    assert tx.actions.stored(1).submitted_by == LEAD.id


def test_a_refused_decision_writes_nothing(tx: FakeDecisionTx) -> None:
    with pytest.raises(GuardFailed, match="reason is required"):
        record_transition(tx, command(ASSURER, Event.WITHDRAW, reason=" "), (), (), AT)
    assert (tx.decisions.drafts, tx.outbox.rows, tx.actions.stored(1).version) == ([], [], 0)


def test_a_stale_expected_version_is_a_conflict(tx: FakeDecisionTx) -> None:
    record_transition(tx, command(LEAD, Event.RECORD_PROGRESS, note="drafting"), (), (), AT)
    with pytest.raises(ConcurrencyConflict, match="you had version 0, it is now version 1"):
        record_transition(tx, command(LEAD, Event.SUBMIT_EVIDENCE, note="x", expected_version=0), (), (), AT)


def test_people_act_only_within_their_partnership(tx: FakeDecisionTx) -> None:
    from workflows.errors import ActionNotFound

    with pytest.raises(ActionNotFound, match=r"no action 3\.11\.1"):
        record_transition(tx, command(OTHER_PARTNERSHIP_LEAD, Event.RECORD_PROGRESS, note="x"), (), (), AT)
    with pytest.raises(UnknownPerson, match=r"nobody@x\.test"):
        record_transition(tx, TransitionCommand("nobody@x.test", ActionKey("3.11.1"), Event.VERIFY), (), (), AT)


def test_a_ref_in_two_reviews_must_name_the_review(tx: FakeDecisionTx) -> None:
    tx.actions.put(1, "BDHR2014/15-01", action(id_=2))
    with pytest.raises(AmbiguousAction, match="BDHR2011/12-03, BDHR2014/15-01"):
        record_transition(tx, command(LEAD, Event.RECORD_PROGRESS, note="x"), (), (), AT)
    named = TransitionCommand(LEAD.email, ActionKey("3.11.1", "BDHR2014/15-01"), Event.RECORD_PROGRESS, note="x")
    assert record_transition(tx, named, (), (), AT).review_ref == "BDHR2014/15-01"


def test_withdrawal_tells_the_lead_officer_and_the_director(tx: FakeDecisionTx) -> None:
    tx.actions.put(1, "BDHR2011/12-03", action("3.11.2", id_=2))  # still open: the plan is not done
    record_transition(tx, command(ASSURER, Event.WITHDRAW, reason="Superseded by 3.11.2"), (), (), AT)
    assert tx.outbox.rows == [
        ("action_withdrawn", f"lead_officer:{POLICE}"),
        ("action_withdrawn", f"director:{POLICE}"),
    ]


def test_the_last_action_done_tells_the_partnership_the_plan_is_ready_for_its_final_audit(tx: FakeDecisionTx) -> None:
    record_transition(tx, command(ASSURER, Event.WITHDRAW, reason="Superseded by the national guidance"), (), (), AT)
    assert tx.outbox.rows[-1] == ("final_audit_ready", "partnership_assurer:*")


async def test_without_a_version_a_decision_landing_in_between_is_decided_again(
    tx: FakeDecisionTx, tmp_path: Path
) -> None:
    uow = FakeUnitOfWork(tx)
    tx.actions.conflicts_to_raise = 2
    result = await take_transition(
        command(LEAD, Event.RECORD_PROGRESS, note="drafting"),
        uow_factory=lambda: uow,  # type: ignore[arg-type, return-value]
        clock=FixedClock(AT),
        store=EvidenceStore(tmp_path),
    )
    assert result.version == 3  # two decisions landed first; this one is the third
    assert (uow.commits, len(tx.decisions.drafts)) == (1, 1)


async def test_with_a_version_a_decision_landing_in_between_is_the_callers_conflict(
    tx: FakeDecisionTx, tmp_path: Path
) -> None:
    uow = FakeUnitOfWork(tx)
    tx.actions.conflicts_to_raise = 1
    with pytest.raises(ConcurrencyConflict):
        await take_transition(
            command(LEAD, Event.RECORD_PROGRESS, note="drafting", expected_version=0),
            uow_factory=lambda: uow,  # type: ignore[arg-type, return-value]
            clock=FixedClock(AT),
            store=EvidenceStore(tmp_path),
        )
    assert (uow.commits, tx.decisions.drafts) == (0, [])
