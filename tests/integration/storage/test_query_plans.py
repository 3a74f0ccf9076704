"""The lists read the action table through its indexes: every statement the actions list, the API's slices, the
reviews page, the ladder positions, the recommendations and My tasks run is explained by the database (``EXPLAIN
QUERY PLAN`` on SQLite, ``EXPLAIN`` on PostgreSQL), and none may read the whole of ``action``, ``review`` or
``escalation``.

Costs are never timed here (``bench/`` measures them): a plan that scans a table is the regression this catches,
before a partnership of five thousand actions waits on a page built from two hundred thousand. PostgreSQL is
told not to scan where it can help it (``enable_seqscan = off``): on a test's small tables a scan is the
cheaper plan, and the question is whether an index could serve, not which is cheaper today.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import event

from bench.volume import Volume, seed_volume
from domain.model import Scope
from domain.rag import Rag, RagPolicy
from workflows.context import Principal
from workflows.queries.action_list import Order, Sort, cursor_page, numbered_page
from workflows.queries.actions import ActionQuery
from workflows.queries.ladders import ladder_positions
from workflows.queries.recommendations import RecommendationQuery, recommendations
from workflows.queries.reviews import review_page
from workflows.queries.tasks import tasks
from workflows.runtime.container import App
from workflows.runtime.working_days import england_and_wales

TODAY = date(2013, 10, 1)
POLICY = RagPolicy()
WATCHED = ("action", "review", "escalation")
_SQLITE_SCAN = re.compile(rf"\bSCAN ({'|'.join(WATCHED)})\b")
"""SQLite reading a whole table, in its order or an index's (``SCAN action USING INDEX ...``)."""


@contextmanager
def statements(app: App) -> Iterator[list[tuple[str, Any]]]:
    """Every statement run on ``app``'s engine meanwhile, as the driver got it, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool) -> None:
        if not many and statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(app.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", record)


async def _principal(app: App, email: str) -> Principal:
    async with app.reader() as uow:
        person = await uow.run(lambda tx: tx.people.by_email(email))
    assert person is not None, email
    return Principal(person)


async def _read_every_list(app: App, volume: Volume) -> None:
    """What the pages and the API read, for the people who see the most and the least."""
    everything = [
        ActionQuery(),
        ActionQuery(overdue=True),
        ActionQuery(states=("evidence_submitted",)),
        ActionQuery(rags=(Rag.RED, Rag.AMBER)),
        ActionQuery(text="training"),
        ActionQuery(lead=volume.lead),
        ActionQuery(agency="Police"),
    ]
    for email in (volume.coordinator, volume.lead, volume.director):
        principal = await _principal(app, email)
        for query in everything:
            await numbered_page(app.reader, principal, query, page=2, today=TODAY, policy=POLICY)
        for sort in Sort:
            for descending in (False, True):
                order = Order(sort, descending)
                await numbered_page(app.reader, principal, ActionQuery(), order, today=TODAY, policy=POLICY)
                first = await cursor_page(
                    app.reader, principal, ActionQuery(), order, limit=10, today=TODAY, policy=POLICY
                )
                assert first.next is not None
                await cursor_page(
                    app.reader, principal, ActionQuery(), order, limit=10, cursor=first.next, today=TODAY, policy=POLICY
                )
        shown = await review_page(app.reader, principal.person.partnership_id, today=TODAY, policy=POLICY)
        refs = [s.review_ref for s in shown.summaries]
        await ladder_positions(app.reader, principal, today=TODAY, calendar=england_and_wales(), review_refs=refs)
        await recommendations(app.reader, RecommendationQuery(scope=Scope.NATIONAL), principal=principal)
    for email in (volume.coordinator, volume.assurer, volume.commissioner, volume.lead, volume.director):
        await tasks(app.reader, await _principal(app, email), today=TODAY)


def _pg_scans(node: dict[str, Any]) -> list[str]:
    """The nodes of a PostgreSQL plan (``EXPLAIN (FORMAT JSON)``) that read a watched table whole: a sequential
    scan, or an index walked from end to end (no ``Index Cond``: only its order was wanted)."""
    found = []
    if node.get("Relation Name") in WATCHED:
        kind = node["Node Type"]
        if kind == "Seq Scan" or (kind in ("Index Scan", "Index Only Scan") and "Index Cond" not in node):
            found.append(f"{kind} on {node['Relation Name']} ({node.get('Index Name', 'no index')})")
    for child in node.get("Plans", []):
        found += _pg_scans(child)
    return found


async def test_no_list_reads_the_whole_action_table(app: App) -> None:
    volume = await seed_volume(app.engine, partnerships=40, actions=8000, largest=400, today=TODAY)
    with statements(app) as seen:
        await _read_every_list(app, volume)
    dialect = app.engine.dialect.name
    explain = "EXPLAIN (FORMAT JSON) " if dialect == "postgresql" else "EXPLAIN QUERY PLAN "
    scanned: dict[str, list[str]] = {}
    async with app.engine.connect() as conn:
        if dialect == "postgresql":
            await conn.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in {(s, repr(p)): (s, p) for s, p in seen}.values():
            if not any(re.search(rf"\b{table}\b", statement) for table in WATCHED):
                continue
            rows = (await conn.exec_driver_sql(explain + statement, parameters)).all()
            if dialect == "postgresql":
                plan = rows[0][0]
                found = _pg_scans((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"])
            else:
                found = [str(r[-1]) for r in rows if _SQLITE_SCAN.search(str(r[-1]))]
            if found:
                scanned[statement] = found
    assert len(seen) > 100  # the reads ran, and were seen
    assert scanned == {}
