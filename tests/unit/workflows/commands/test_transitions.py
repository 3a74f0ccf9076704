"""The decision use case's own rules, on in-memory storage (the real databases: tests/integration)."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.errors import GuardFailed, RoleNotAllowed
from domain.roles import Role
from domain.states import Event, State
from storage.errors import ConcurrencyConflict
from storage.evidence_store import EvidenceStore
from tests.unit.fakes import FakeTx
from tests.unit.workflows.commands.world import ASSURER, AT, LEAD, POLICE, REVIEW, STRANGER, action
from workflows.commands.transitions import TransitionCommand, record_transition, take_transition
from workflows.context import ActionKey
from workflows.errors import ActionNotFound, AmbiguousAction, UnknownPerson
from workflows.ports import UowFactory
from workflows.runtime.clock import FixedClock


def command(
    who_email: str, event: Event, *, reason: str = "", note: str = "", expected_version: int | None = None
) -> TransitionCommand:
    key = ActionKey("3.11.1")
    return TransitionCommand(who_email, key, event, reason, note, expected_version=expected_version)


def test_a_submission_moves_the_action_logs_the_decision_and_tells_the_checker(tx: FakeTx) -> None:
    note = " Briefing sent "
    result = record_transition(tx, command(LEAD.email, Event.SUBMIT_EVIDENCE, note=note), ("ab" * 32,), (), AT)
    assert (result.from_state, result.to_state, result.version) == (State.OPEN, State.EVIDENCE_SUBMITTED, 1)
    [draft] = tx.decisions.drafts
    assert (draft.actor_id, draft.actor_role, draft.event, draft.note) == (
        LEAD.id,
        "lead_officer",
        "submit_evidence",
        "Briefing sent",
    )
    assert list(draft.evidence_hashes) == ["ab" * 32]
    assert tx.outbox.told() == [("evidence_submitted", "commissioner:*")]
    assert tx.actions.stored(1).submitted_by == LEAD.id
    assert tx.actions.due_on[1] == AT.date()  # the sweep looks at it again: its ladder changed


def test_a_refused_decision_writes_nothing(tx: FakeTx) -> None:
    with pytest.raises(GuardFailed, match="reason is required"):
        record_transition(tx, command(ASSURER.email, Event.WITHDRAW, reason=" "), (), (), AT)
    assert (tx.decisions.drafts, tx.outbox.told(), tx.actions.stored(1).version) == ([], [], 0)


def test_a_stale_expected_version_is_a_conflict(tx: FakeTx) -> None:
    record_transition(tx, command(LEAD.email, Event.RECORD_PROGRESS, note="drafting"), (), (), AT)
    with pytest.raises(ConcurrencyConflict, match="you had version 0, it is now version 1"):
        record_transition(tx, command(LEAD.email, Event.SUBMIT_EVIDENCE, note="x", expected_version=0), (), (), AT)


def test_people_act_only_within_their_partnership(tx: FakeTx) -> None:
    with pytest.raises(ActionNotFound, match=r"no action 3\.11\.1"):
        record_transition(tx, command(STRANGER.email, Event.RECORD_PROGRESS, note="x"), (), (), AT)
    with pytest.raises(UnknownPerson, match=r"nobody@x\.test"):
        record_transition(tx, command("nobody@x.test", Event.VERIFY), (), (), AT)


def test_a_ref_in_two_reviews_must_name_the_review(tx: FakeTx) -> None:
    tx.reviews.put(REVIEW.__class__(2, 1, "BDHR2014/15-01", "Adult E"))
    tx.actions.put(action(id_=2, review_id=2))
    with pytest.raises(AmbiguousAction, match="BDHR2011/12-03, BDHR2014/15-01"):
        record_transition(tx, command(LEAD.email, Event.RECORD_PROGRESS, note="x"), (), (), AT)
    named = TransitionCommand(LEAD.email, ActionKey("3.11.1", "BDHR2014/15-01"), Event.RECORD_PROGRESS, note="x")
    assert record_transition(tx, named, (), (), AT).review_ref == "BDHR2014/15-01"


def test_withdrawal_tells_the_lead_officer_and_the_director(tx: FakeTx) -> None:
    tx.actions.put(action("3.11.2", id_=2))  # still open: the plan is not done
    record_transition(tx, command(ASSURER.email, Event.WITHDRAW, reason="Superseded by 3.11.2"), (), (), AT)
    assert tx.outbox.told() == [
        ("action_withdrawn", f"person:{LEAD.id}"),
        ("action_withdrawn", f"director:{POLICE.id}"),
    ]
    assert tx.actions.due_on[1] is None  # closed: no ladder runs


def test_the_last_action_done_tells_the_partnership_the_plan_is_ready_for_its_final_audit(tx: FakeTx) -> None:
    record_transition(
        tx, command(ASSURER.email, Event.WITHDRAW, reason="Superseded by the national guidance"), (), (), AT
    )
    assert tx.outbox.told()[-1] == ("final_audit_ready", f"{Role.PARTNERSHIP_ASSURER}:*")


async def test_without_a_version_a_decision_landing_in_between_is_decided_again(
    tx: FakeTx, uow: UowFactory, tmp_path: Path
) -> None:
    tx.actions.conflicts_to_raise = 2
    result = await take_transition(
        command(LEAD.email, Event.RECORD_PROGRESS, note="drafting"),
        uow_factory=uow,
        clock=FixedClock(AT),
        store=EvidenceStore(tmp_path),
    )
    assert result.version == 3  # two decisions landed first; this one is the third
    assert (tx.commits, len(tx.decisions.drafts)) == (1, 1)


async def test_with_a_version_a_decision_landing_in_between_is_the_callers_conflict(
    tx: FakeTx, uow: UowFactory, tmp_path: Path
) -> None:
    tx.actions.conflicts_to_raise = 1
    with pytest.raises(ConcurrencyConflict):
        await take_transition(
            command(LEAD.email, Event.RECORD_PROGRESS, note="drafting", expected_version=0),
            uow_factory=uow,
            clock=FixedClock(AT),
            store=EvidenceStore(tmp_path),
        )
    assert (tx.commits, tx.decisions.drafts) == (0, [])


async def test_a_refused_submission_stores_no_evidence_file(tx: FakeTx, uow: UowFactory, tmp_path: Path) -> None:
    """The files are checked against the decision first: a person who may not submit leaves nothing behind."""
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    with pytest.raises(RoleNotAllowed):
        await take_transition(
            TransitionCommand(ASSURER.email, ActionKey("3.11.1"), Event.SUBMIT_EVIDENCE, uploads=[("a.pdf", pdf)]),
            uow_factory=uow,
            clock=FixedClock(AT),
            store=EvidenceStore(tmp_path),
        )
    assert list(tmp_path.rglob("*.pdf")) == [] and tx.evidence.rows == {}
