"""The final audit on real databases: started by the partnership, signed off once every action is done,
the plan frozen with its hash, and nothing imported into it afterwards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from documents.importer import read_plan
from domain.final_audit import FinalAuditRefused, snapshot_hash
from domain.model import ReviewStatus
from domain.states import Event
from storage.tables import OutboxRow, PlanSignOffRow
from tests.integration.helpers import ASSURER, COMMISSIONER, COORDINATOR, LEAD, seed
from workflows.commands.final_audit import sign_off, start_final_audit
from workflows.commands.import_plan import import_plan
from workflows.commands.transitions import TransitionCommand, take_transition
from workflows.context import ActionKey
from workflows.errors import InvalidInput
from workflows.queries.actions import ActionQuery, list_actions
from workflows.queries.log import verify_log
from workflows.queries.reviews import review_summaries
from workflows.runtime.container import App

REVIEW = "BDHR2011/12-03"


async def act(app: App, who: str, ref: str, event: Event, **kw: str) -> None:
    command = TransitionCommand(actor_email=who, action=ActionKey(ref), event=event, **kw)
    await take_transition(command, uow_factory=app.uow, clock=app.clock, store=app.store)


async def test_the_plan_is_signed_off_once_every_action_is_done_and_then_frozen(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    with pytest.raises(FinalAuditRefused, match="the partnership starts the final audit, not the lead officer"):
        await start_final_audit(LEAD, REVIEW, uow_factory=app.uow, clock=app.clock)
    with pytest.raises(FinalAuditRefused, match="start its final audit first"):
        await sign_off(ASSURER, REVIEW, uow_factory=app.uow, clock=app.clock)
    started = await start_final_audit(ASSURER, REVIEW, uow_factory=app.uow, clock=app.clock)
    assert (started.status, started.actions) == (ReviewStatus.FINAL_AUDIT, 13)
    with pytest.raises(FinalAuditRefused, match=r"13 action\(s\) not yet assured or withdrawn: 3\.1\.1"):
        await sign_off(ASSURER, REVIEW, uow_factory=app.uow, clock=app.clock)

    await act(app, LEAD, "3.11.1", Event.SUBMIT_EVIDENCE, note="Briefing sent")
    await act(app, COMMISSIONER, "3.11.1", Event.VERIFY)
    await act(app, ASSURER, "3.11.1", Event.ASSURE)
    views = await list_actions(app.reader, ActionQuery(), today=app.clock.today(), policy=app.rag_policy)
    for view in views:
        if view.ref != "3.11.1":
            await act(app, ASSURER, view.ref, Event.WITHDRAW, reason="Superseded by the national guidance")

    async with app.reader() as uow:
        ready = await uow.connection.execute(
            select(OutboxRow.recipient_role).where(OutboxRow.kind == "final_audit_ready")
        )  # type: ignore[call-overload,arg-type]
        assert ready.scalars().all() == ["partnership_assurer"]  # told once, when the last action was done

    signed = await sign_off(ASSURER, REVIEW, uow_factory=app.uow, clock=app.clock)
    assert signed.status is ReviewStatus.SIGNED_OFF and len(signed.sha256) == 64
    async with app.reader() as uow:
        row = (await uow.connection.execute(select(PlanSignOffRow))).mappings().one()  # type: ignore[call-overload]
    frozen = json.loads(row["snapshot"])
    assert snapshot_hash(frozen) == signed.sha256 == row["sha256"]
    assert [a["state"] for a in frozen["actions"]].count("partnership_assured") == 1
    [summary] = await review_summaries(app.reader, today=app.clock.today(), policy=app.rag_policy)
    assert (summary.status, summary.signed_off_sha256) == ("signed_off", signed.sha256)
    [log] = await verify_log(app.reader)
    assert log.ok, log.problems

    with pytest.raises(FinalAuditRefused, match="signed off already"):
        await sign_off(ASSURER, REVIEW, uow_factory=app.uow, clock=app.clock)
    with pytest.raises(InvalidInput, match="signed off: its plan is frozen"):
        await import_plan(read_plan(seed_plan), uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR)
