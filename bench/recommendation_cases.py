"""The national export at volume: every national-scope recommendation of 200,000 actions in 300 partnerships
(``dhrflow export national --all``, the operator's), read and written as JSON and as CSV, on SQLite and on
PostgreSQL.

The volume (``bench.volume``) makes a quarter of the recommendations national. On top of it, as years of work
leave a partnership: an ``assure`` decision for every assured action and a ``record_progress`` for a third of
the open ones (the status reads both), an impact check for half the assured actions (a third of them showing
no change), and half the reviews published. Timed after one warm-up run, ``ROUNDS`` times; the table gives
the slowest.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.harness import Result
from bench.page_cases import _database
from bench.volume import seed_volume
from documents.export_national import national_csv, national_json
from workflows.queries.recommendations import NATIONAL_COLUMNS, national_export
from workflows.runtime.container import open_app

ROUNDS = 5
TARGET_S = 2.0
_AT = datetime(2024, 6, 3, 10, tzinfo=UTC)

_DECISIONS = """
INSERT INTO decision (partnership_id, seq, review_id, review_ref, action_id, action_ref, actor_id, actor_name,
    actor_role, on_behalf_of_id, event, from_state, to_state, reason, note, evidence_hashes, payload, at,
    prev_hash, hash, seal)
SELECT r.partnership_id, {seq} + a.id, r.id, r.ref, a.id, a.ref, NULL, 'bench', 'partnership_assurer', NULL,
    '{event}', '{source}', '{target}', '', '', '[]', '{{}}', :at, 'bench', 'bench-{event}-' || a.id, NULL
FROM action a JOIN review r ON r.id = a.review_id WHERE {where}
"""


async def _lived_in(engine: AsyncEngine) -> None:
    """Decisions, impact checks and publications as a partnership's years of work leave them (see above)."""
    async with engine.begin() as conn:
        await conn.execute(
            text(
                _DECISIONS.format(
                    seq=10_000_000,
                    event="assure",
                    source="commissioner_verified",
                    target="partnership_assured",
                    where="a.state = 'partnership_assured'",
                )
            ),
            {"at": _AT},
        )
        await conn.execute(
            text(
                _DECISIONS.format(
                    seq=20_000_000,
                    event="record_progress",
                    source="open",
                    target="open",
                    where="a.state = 'open' AND a.id % 3 = 0",
                )
            ),
            {"at": _AT},
        )
        await conn.execute(
            text(
                "INSERT INTO impact_check (action_id, due_on, outcome, reason) SELECT id, :due, CASE WHEN id % 3 = 0"
                " THEN 'impact_not_shown' ELSE 'impact_confirmed' END, 'bench' FROM action"
                " WHERE state = 'partnership_assured' AND id % 2 = 0"
            ),
            {"due": date(2024, 12, 3)},
        )
        await conn.execute(
            text(
                "INSERT INTO review_milestone (review_id, milestone, happened_on, detail, recorded_by, recorded_at,"
                " decision_id) SELECT r.id, 'published', :on, '{}',"
                " (SELECT min(p.id) FROM person p WHERE p.partnership_id = r.partnership_id), :at,"
                " (SELECT min(d.id) FROM decision d) FROM review r WHERE r.id % 2 = 0"
            ),
            {"on": date(2024, 5, 1), "at": _AT},
        )
        await conn.execute(text("ANALYZE"))


async def national_export_at_volume(
    actions: int = 200_000, partnerships: int = 300, largest: int = 5000, *, databases: tuple[str, ...] = ("sqlite",)
) -> list[Result]:
    results: list[Result] = []
    for database in databases:
        async with _database(database) as settings, open_app(settings, migrate_schema=True) as app:
            volume = await seed_volume(
                app.engine, partnerships=partnerships, actions=actions, largest=largest, today=app.clock.today()
            )
            await _lived_in(app.engine)
            label = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[database]
            for kind in ("json", "csv"):
                slowest, count = 0.0, 0
                for round_ in range(ROUNDS + 1):
                    started = time.perf_counter()
                    found = await national_export(app.reader, today=app.clock.today(), every=True)
                    rows = found.rows()
                    data = national_json(found.to_json()) if kind == "json" else national_csv(rows, NATIONAL_COLUMNS)
                    took = time.perf_counter() - started
                    count = len(rows)
                    if round_:  # the first is the warm-up
                        slowest = max(slowest, took)
                detail = (
                    f"{count:,} national recommendations of {volume.actions:,} actions in {partnerships} "
                    f"partnerships, {len(data) / 1e6:.1f} MB, slowest of {ROUNDS}"
                )
                results.append(
                    Result(f"national export --all, {kind.upper()} ({label})", slowest, "s", TARGET_S, False, detail)
                )
    return results
