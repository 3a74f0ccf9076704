"""Bulk moves on real SQLite and PostgreSQL: each action its own committed decision, chained in the log, a stale
one refused as a conflict while the others stand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, select

from domain.states import Event, State
from storage.tables import DecisionRow
from tests.integration.helpers import COMMISSIONER, COORDINATOR, LEAD, LEAD_BSMHFT, POLICE, POLICE_COMMISSIONER, seed
from workflows.commands.bulk import BulkCommand, BulkMove, BulkReport, Seen, bulk_move
from workflows.commands.people import NewPerson, add_person
from workflows.commands.sweep import sweep
from workflows.commands.transitions import TransitionCommand, take_transition
from workflows.context import ActionKey
from workflows.queries.actions import ActionView, action_detail
from workflows.queries.log import verify_log
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import App
from workflows.runtime.working_days import england_and_wales

DIRECTOR = "director.wmp@bcsp.test"


async def view(app: App, ref: str) -> ActionView:
    detail = await action_detail(app.reader, ActionKey(ref), today=app.clock.today(), policy=app.rag_policy)
    return detail.action


async def submit(app: App, who: str, ref: str) -> None:
    command = TransitionCommand(who, ActionKey(ref), Event.SUBMIT_EVIDENCE, note="Minutes attached")
    await take_transition(command, uow_factory=app.uow, clock=app.clock, store=app.store)


async def bulk(app: App, who: str, move: BulkMove, seen: list[ActionView], **kw: str) -> BulkReport:
    command = BulkCommand(who, move, [Seen(ActionKey.by_id(v.id), v.version) for v in seen], **kw)
    return await bulk_move(command, uow_factory=app.uow, clock=app.clock, store=app.store)


async def decisions(app: App) -> int:
    async with app.reader() as uow:
        return int((await uow.connection.execute(select(func.count(DecisionRow.id)))).scalar_one())  # type: ignore[attr-defined,arg-type]  # the real unit of work's connection


async def test_a_commissioner_verifies_three_and_the_one_moved_meanwhile_is_refused(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    for who, ref in ((LEAD, "3.11.1"), (LEAD, "3.11.2"), (LEAD_BSMHFT, "3.8.2")):
        await submit(app, who, ref)
    listed = [await view(app, ref) for ref in ("3.11.1", "3.11.2", "3.8.2")]
    # Between the list and the move, the police's commissioner returns the trust's evidence.
    back = TransitionCommand(POLICE_COMMISSIONER, ActionKey("3.8.2"), Event.REJECT, reason="No audit figures")
    await take_transition(back, uow_factory=app.uow, clock=app.clock, store=app.store)
    before = await decisions(app)

    report = await bulk(app, COMMISSIONER, BulkMove.VERIFY, listed, comment="Checked against the audit")

    assert [(i.action_ref, i.done, i.kind) for i in report.items] == [
        ("3.11.1", True, ""),
        ("3.11.2", True, ""),
        ("3.8.2", False, "conflict"),
    ]
    assert "you had version 1, it is now version 2" in report.refused[0].detail
    assert [(await view(app, r)).state for r in ("3.11.1", "3.11.2", "3.8.2")] == [
        State.COMMISSIONER_VERIFIED,
        State.COMMISSIONER_VERIFIED,
        State.OPEN,
    ]
    assert await decisions(app) == before + 2
    detail = await action_detail(app.reader, ActionKey("3.11.2"), today=app.clock.today(), policy=app.rag_policy)
    assert (detail.timeline[-1].event, detail.timeline[-1].note) == ("verify", "Checked against the audit")
    [log] = await verify_log(app.reader)
    assert log.ok, log.problems


async def test_a_director_acknowledges_and_reassigns_in_bulk_within_their_agency(app: App, seed_plan: Path) -> None:
    assert isinstance(app.clock, FixedClock)
    app.clock.at = datetime(2013, 6, 3, 9, tzinfo=UTC)
    await seed(app, seed_plan)
    new_lead = NewPerson("Second Lead WMP", "lead2.wmp@bcsp.test", "lead_officer", POLICE)
    await add_person(new_lead, uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR)
    await sweep(date(2013, 7, 15), uow_factory=app.uow, clock=app.clock, calendar=england_and_wales())
    listed = [await view(app, ref) for ref in ("3.11.1", "3.11.2", "3.2.3")]

    acknowledged = await bulk(app, DIRECTOR, BulkMove.ACKNOWLEDGE, listed[:2], comment="Chasing IMS")
    assert [(i.action_ref, i.done, i.kind) for i in acknowledged.items] == [
        ("3.11.1", True, ""),  # 11 working days late: its director step fired
        ("3.11.2", False, "not_now"),  # due in September: nothing escalated yet
    ]
    assert (await view(app, "3.11.1")).version == listed[0].version  # a note about the action, not a change to it

    reassigned = await bulk(app, DIRECTOR, BulkMove.REASSIGN, listed, to="lead2.wmp@bcsp.test")
    assert [i.action_ref for i in reassigned.done] == ["3.11.1", "3.11.2"]
    [trusts] = reassigned.refused  # the trust's action: not the police director's to see or reassign
    assert (trusts.action_id, trusts.kind) == (listed[2].id, "not_yours")
    assert (await view(app, "3.11.1")).version == listed[0].version + 1
    [log] = await verify_log(app.reader)
    assert log.ok, log.problems
