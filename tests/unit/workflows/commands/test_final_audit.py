"""The final audit on in-memory storage: the partnership starts it, and signs off a plan whose actions are done."""

from __future__ import annotations

import json

import pytest

from domain.final_audit import FinalAuditRefused
from domain.model import ReviewStatus
from domain.states import State
from tests.unit.fakes import FakeTx
from tests.unit.workflows.commands.world import ASSURER, DIRECTOR, REVIEW, action
from workflows.commands.final_audit import sign_off, start_final_audit
from workflows.errors import InvalidInput
from workflows.ports import UowFactory
from workflows.runtime.clock import FixedClock


async def test_only_the_partnership_starts_a_final_audit_once(tx: FakeTx, uow: UowFactory, clock: FixedClock) -> None:
    with pytest.raises(FinalAuditRefused, match="not the director"):
        await start_final_audit(DIRECTOR.email, REVIEW.ref, uow_factory=uow, clock=clock)
    with pytest.raises(InvalidInput, match="no review"):
        await start_final_audit(ASSURER.email, "BDHR1999", uow_factory=uow, clock=clock)
    started = await start_final_audit(ASSURER.email, REVIEW.ref, uow_factory=uow, clock=clock)
    assert (started.status, started.actions, tx.reviews.rows[REVIEW.id].status) == (
        ReviewStatus.FINAL_AUDIT,
        1,
        ReviewStatus.FINAL_AUDIT,
    )
    with pytest.raises(FinalAuditRefused, match="already started"):
        await start_final_audit(ASSURER.email, REVIEW.ref, uow_factory=uow, clock=clock)


async def test_a_plan_is_signed_off_once_every_action_is_done_its_snapshot_frozen_and_logged(
    tx: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:
    await start_final_audit(ASSURER.email, REVIEW.ref, uow_factory=uow, clock=clock)
    with pytest.raises(FinalAuditRefused, match=r"1 action\(s\) not yet assured or withdrawn: 3.11.1"):
        await sign_off(ASSURER.email, REVIEW.ref, uow_factory=uow, clock=clock)
    tx.actions.put(action(state=State.PARTNERSHIP_ASSURED))
    signed = await sign_off(ASSURER.email, REVIEW.ref, uow_factory=uow, clock=clock)
    frozen = tx.signoffs.rows[REVIEW.id]
    assert (signed.status, signed.sha256, frozen.sha256, frozen.signed_by) == (
        ReviewStatus.SIGNED_OFF,
        frozen.sha256,
        tx.decisions.drafts[-1].payload["snapshot_sha256"],
        ASSURER.id,
    )
    assert json.loads(frozen.snapshot)["log_head"]["seq"] == 1  # the log as it stood: the start of the audit
    with pytest.raises(FinalAuditRefused, match="signed off already"):
        await sign_off(ASSURER.email, REVIEW.ref, uow_factory=uow, clock=clock)
