"""The sweep's fast paths write what the ordinary ones did: driver-level inserts, bulk firings, lean claims."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import String, cast, func, insert, select

from domain.events import DomainEvent, Recipient
from domain.ladders import ESCALATED
from domain.roles import Role
from storage.escalations import ESCALATION
from storage.firings import StepFiring
from storage.repositories import ACTION, DECISION, OUTBOX, DecisionDraft, insert_many
from storage.uow import Tx
from tests.integration.helpers import seed
from workflows.commands.sweep import sweep
from workflows.context import ActionKey
from workflows.queries.actions import action_detail
from workflows.runtime.container import App
from workflows.runtime.working_days import england_and_wales

TODAY = date(2026, 11, 26)


def _write_both_ways(tx: Tx, table: Any, rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """``rows[0]`` through SQLAlchemy's insert, ``rows[1:]`` through ``insert_many``; all read back by
    ``key``, each column both as its type reads it and as the text the database holds."""
    tx.connection.execute(insert(table), [rows[0]])
    insert_many(tx.connection, table, rows[1:])
    keys = [r[key] for r in rows]
    as_text = [cast(c, String).label(f"{c.name}_text") for c in table.c]
    stmt = select(table, *as_text).where(table.c[key].in_(keys))
    found = {r[key]: dict(r) for r in tx.connection.execute(stmt).mappings()}
    return [found[k] for k in keys]


async def test_rows_inserted_through_the_driver_read_back_as_sqlalchemy_writes_them(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    at = datetime(2026, 11, 26, 7, 0, 0, 123456, tzinfo=UTC)

    def write(tx: Tx) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        decision = tx.connection.execute(select(DECISION).limit(1)).mappings().one()
        action_id = tx.connection.execute(select(ACTION.c.id).limit(1)).scalar_one()
        common = {
            "partnership_id": decision["partnership_id"],
            "decision_id": decision["id"],
            "kind": "escalation",
            "review_id": decision["review_id"],
            "action_id": action_id,
            "recipient_role": "director",
            "recipient_agency_id": None,
            "recipient_person_id": None,
            "next_attempt_at": at,
            "created_at": at,
        }
        outbox = _write_both_ways(
            tx, OUTBOX, [{"idempotency_key": f"test:{i}"} | common for i in range(3)], "idempotency_key"
        )
        ledger = [
            {
                "partnership_id": decision["partnership_id"],
                "action_id": action_id,
                "ladder": "lead_officer",
                "ladder_version": 1,
                "step": step,
                "anchor_date": date(2013, 1, 31),
                "due_on": date(2013, 2, 28),
                "fired_on": TODAY,
                "decision_id": decision["id"],
            }
            for step in ("a", "b", "c")
        ]
        return outbox, _write_both_ways(tx, ESCALATION, ledger, "step")

    async with app.uow() as uow:
        outbox, ledger = await uow.run(write)  # rolled back: only read here
    assert outbox[0]["status"] == "pending" and outbox[0]["attempts"] == 0  # the table's defaults
    own_text = {"id_text", "idempotency_key_text", "step_text"}
    for rows, own in ((outbox, {"id", "idempotency_key"} | own_text), (ledger, {"id", "step"} | own_text)):
        first = {k: v for k, v in rows[0].items() if k not in own}
        assert all({k: v for k, v in r.items() if k not in own} == first for r in rows[1:])
    assert isinstance(ledger[1]["anchor_date"], date) and ledger[1]["anchor_date"] == date(2013, 1, 31)


async def test_a_fired_step_is_on_the_actions_timeline_with_its_ledger_and_outbox_rows(
    app: App, seed_plan: Path
) -> None:
    await seed(app, seed_plan)
    await sweep(TODAY, uow_factory=app.uow, clock=app.clock, calendar=england_and_wales())
    detail = await action_detail(app.reader, ActionKey("3.11.1"), today=TODAY, policy=app.rag_policy)
    [escalated] = [d for d in detail.timeline if d.event == "escalated"]

    def read(tx: Tx) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
        decision = tx.connection.execute(select(DECISION).where(DECISION.c.hash == escalated.hash)).mappings().one()
        ledger = tx.connection.execute(select(ESCALATION).where(ESCALATION.c.decision_id == decision["id"]))
        outbox = tx.connection.execute(select(OUTBOX).where(OUTBOX.c.decision_id == decision["id"]))
        told = outbox.mappings().all()
        assert [r["recipient_role"] for r in told] == ["partnership_assurer", "director"]  # a catch-up: both
        return dict(decision), [dict(r) for r in ledger.mappings()], dict(told[0])

    async with app.reader() as uow:
        decision, ledger, outbox = await uow.run(read)
    assert decision["action_ref"] == "3.11.1"
    assert [(r["action_id"], r["step"], r["fired_on"]) for r in ledger] == [
        (decision["action_id"], "partnership", TODAY)
    ]
    payload = json.loads(decision["payload"])
    assert (payload["step"], payload["passed_over"], payload["also_told"]) == (
        "partnership",
        ["reminder", "overdue", "director"],
        ["director"],
    )
    assert payload["anchor_date"] == ledger[0]["anchor_date"].isoformat()
    assert payload["due_on"] == ledger[0]["due_on"].isoformat()
    assert (outbox["action_id"], outbox["recipient_role"], outbox["status"]) == (
        decision["action_id"],
        "partnership_assurer",
        "pending",
    )


async def test_firings_written_in_bulk_are_row_for_row_what_a_decision_at_a_time_writes(
    app: App, seed_plan: Path
) -> None:
    """Decisions (chained, hashed), ledger and outbox rows: the same values, ids aside (PostgreSQL's
    sequences move on in a transaction rolled back)."""
    await seed(app, seed_plan)
    at = datetime(2026, 11, 26, 7, 0, 0, 123456, tzinfo=UTC)
    payload = {"ladder": "lead_officer", "step": "director", "notify": ["lead_officer", "director", "partnership"]}

    def actions(tx: Tx) -> list[tuple[int, str, int, str, StepFiring]]:
        stmt = select(ACTION.c.id, ACTION.c.ref, ACTION.c.review_id, ACTION.c.agency_id).order_by(ACTION.c.id).limit(3)
        rows = tx.connection.execute(stmt).all()
        partnership_id = tx.connection.execute(select(DECISION.c.partnership_id).limit(1)).scalar_one()
        people = (
            Recipient(Role.LEAD_OFFICER, rows[0].agency_id, None),
            Recipient(Role.DIRECTOR, rows[0].agency_id),
            Recipient(Role.PARTNERSHIP_ASSURER),
        )
        step = StepFiring(
            partnership_id, "lead_officer", 1, "director", "escalation", date(2013, 1, 31), date(2013, 2, 7), "open",
            payload, people,
        )  # fmt: skip
        return [(r.id, r.ref, r.review_id, "BDHR2011/12-03", step) for r in rows]

    def written(tx: Tx, after: int) -> list[list[dict[str, Any]]]:
        decisions = tx.connection.execute(select(DECISION).where(DECISION.c.id > after).order_by(DECISION.c.id))
        place = {}
        found: list[list[dict[str, Any]]] = [[], [], []]
        for row in decisions.mappings():
            place[row["id"]] = len(place)
            found[0].append(dict(row) | {"id": place[row["id"]]})
        for i, table in ((1, ESCALATION), (2, OUTBOX)):
            rows = tx.connection.execute(select(table).where(table.c.decision_id > after).order_by(table.c.id))
            for row in rows.mappings():
                key = row.get("idempotency_key")
                rewritten = {"id": None, "decision_id": place[row["decision_id"]]}
                if key is not None:
                    rewritten["idempotency_key"] = key.replace(f"decision:{row['decision_id']}:", "decision:#:")
                found[i].append(dict(row) | rewritten)
        return found

    def in_bulk(tx: Tx) -> list[list[dict[str, Any]]]:
        after = tx.connection.execute(select(func.max(DECISION.c.id))).scalar_one()
        tx.firings.record(actions(tx), at=at, today=TODAY, actor_name="dhrflow", actor_role="system")
        return written(tx, after)

    def one_at_a_time(tx: Tx) -> list[list[dict[str, Any]]]:
        after = tx.connection.execute(select(func.max(DECISION.c.id))).scalar_one()
        for action_id, ref, review_id, review_ref, step in actions(tx):
            draft = DecisionDraft(
                step.partnership_id, "dhrflow", "system", ESCALATED, at, review_id=review_id, review_ref=review_ref,
                action_id=action_id, action_ref=ref, from_state="open", to_state="open", payload=payload,
            )  # fmt: skip
            decision_id = tx.decisions.append(draft)
            ledger = {
                "partnership_id": step.partnership_id, "action_id": action_id, "ladder": step.ladder,
                "ladder_version": step.ladder_version, "step": step.step, "anchor_date": step.anchor_date,
                "due_on": step.due_on, "fired_on": TODAY, "decision_id": decision_id,
            }  # fmt: skip
            tx.connection.execute(insert(ESCALATION), ledger)
            event = DomainEvent(step.kind, action_id, ref, step.recipients)
            tx.outbox.add_for_events(step.partnership_id, review_id, decision_id, [event], at)
        return written(tx, after)

    async with app.uow() as uow:
        bulk = await uow.run(in_bulk)  # rolled back: the same head for both
    async with app.uow() as uow:
        ordinary = await uow.run(one_at_a_time)
    assert [len(rows) for rows in bulk] == [3, 3, 9]
    assert bulk == ordinary
