"""The benchmark cases of the foundation issue."""

from __future__ import annotations

import hashlib
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from bench.databases import SQLITE, scratch
from bench.harness import Result
from documents.importer import read_plan
from domain.states import Event
from workflows.commands.demo import seed_plan_path
from workflows.commands.import_plan import import_plan
from workflows.commands.people import NewPerson, add_person
from workflows.commands.transitions import TransitionCommand, take_transition
from workflows.context import ActionKey
from workflows.runtime.container import open_app
from workflows.runtime.settings import Settings

ROUNDS = 5
"""The machine is shared: the median of several rounds, with their spread, says more than one run."""

COMMISSIONER_ROUTE_REFS = ["3.2.3", "3.2.4", "3.5.1", "3.8.1", "3.8.2", "3.9.1", "3.11.1", "3.11.2"]


async def transitions_per_second(transitions: int = 5000, kind: str = SQLITE) -> list[Result]:
    """Submit and reject in turn through the use cases: one commit each, with decision and outbox rows."""
    with tempfile.TemporaryDirectory() as folder:
        async with scratch(kind, Path(folder)) as settings, open_app(settings, migrate_schema=True) as app:
            await import_plan(read_plan(seed_plan_path()), uow_factory=app.uow, clock=app.clock)
            people = [
                NewPerson("Lead BSMHFT", "lead.bsmhft@bench.test", "lead_officer", "BSMHFT"),
                NewPerson("Lead WMP", "lead.wmp@bench.test", "lead_officer", "Police"),
                NewPerson("Commissioner", "commissioner@bench.test", "commissioner", "NHS"),
            ]
            for person in people:
                await add_person(person, uow_factory=app.uow, clock=app.clock)
            commands = []
            for i in range(transitions // 2):
                ref = COMMISSIONER_ROUTE_REFS[i % len(COMMISSIONER_ROUTE_REFS)]
                lead = "lead.wmp@bench.test" if ref.startswith("3.11") else "lead.bsmhft@bench.test"
                commands.append(TransitionCommand(lead, ActionKey(ref), Event.SUBMIT_EVIDENCE, note=f"evidence {i}"))
                commands.append(
                    TransitionCommand("commissioner@bench.test", ActionKey(ref), Event.REJECT, reason=f"gap {i}")
                )
            # Interleave: submit all eight, reject all eight, so each action sees submit then reject.
            ordered = []
            for start in range(0, len(commands), 2 * len(COMMISSIONER_ROUTE_REFS)):
                block = commands[start : start + 2 * len(COMMISSIONER_ROUTE_REFS)]
                ordered += block[0::2] + block[1::2]
            rates = []
            per_round = len(ordered) // ROUNDS
            cpu_started = time.process_time()  # the machine is shared: CPU time says what the wall clock cannot
            for start in range(0, per_round * ROUNDS, per_round):
                started = time.perf_counter()
                for command in ordered[start : start + per_round]:
                    await take_transition(command, uow_factory=app.uow, clock=app.clock, store=app.store)
                rates.append(per_round / (time.perf_counter() - started))
            cpu_us = (time.process_time() - cpu_started) / (per_round * ROUNDS) * 1e6
            plain = _plain_sqlite_transitions(settings.data_dir / "dhrflow.db", per_round) if kind == SQLITE else 0
    where = "SQLite WAL" if kind == SQLITE else "PostgreSQL at 127.0.0.1"
    detail = f"median of {ROUNDS} rounds of {per_round} (from {min(rates):,.0f} to {max(rates):,.0f}), {where}"
    detail += f"; {cpu_us:,.0f} µs CPU a transition"
    if plain:
        detail += f"; plain sqlite3, the same statements, just after: {plain:,.0f}/s"
    target = 2000 if kind == SQLITE else 0  # the issue asks PostgreSQL's figure, reported
    return [Result(f"transitions per second ({kind})", statistics.median(rates), "/s", target, True, detail)]


def _plain_sqlite_transitions(path: Path, transitions: int) -> float:
    """What SQLite itself costs: the statements of a submit-or-reject, in its transaction, from ``sqlite3`` with
    nothing else (no domain, no SQLAlchemy), on the case's own file. The floor under the use case's rate."""
    db = sqlite3.connect(path, isolation_level=None)
    db.row_factory = sqlite3.Row  # columns by name, as the repositories read them
    try:
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
            db.execute(f"PRAGMA {pragma}")
        started = time.perf_counter()
        for i in range(transitions):
            ref = COMMISSIONER_ROUTE_REFS[i % len(COMMISSIONER_ROUTE_REFS)]
            db.execute("BEGIN IMMEDIATE")
            person_id, partnership_id = db.execute(
                "SELECT id, partnership_id, name, email, role, agency_id, notify FROM person WHERE email = ?",
                ("commissioner@bench.test",),
            ).fetchone()[:2]
            action = db.execute(
                "SELECT action.*, review.ref AS review_ref_ FROM action JOIN review ON review.id = action.review_id "
                "WHERE review.partnership_id = ? AND action.ref = ?",
                (partnership_id, ref),
            ).fetchone()
            action_id, review_id, version = action["id"], action["review_id"], action["version"]
            updated = db.execute(
                "UPDATE action SET state = ?, version = ?, submitted_by = ?, submitted_for = NULL, verified_by = NULL,"
                " verified_for = NULL, returned = 0, waiting_since = '2026-12-07', next_step_due_on = '2026-12-07' "
                "WHERE action.id = ? AND action.version = ?",
                ("open" if i % 2 else "evidence_submitted", version + 1, person_id, action_id, version),
            )
            assert updated.rowcount == 1
            seq, prev = db.execute(
                "SELECT seq, hash, seal FROM decision WHERE partnership_id = ? ORDER BY seq DESC LIMIT 1 OFFSET 0",
                (partnership_id,),
            ).fetchone()[:2]
            at = "2026-12-07 13:18:15.214182"
            decision_id = db.execute(
                "INSERT INTO decision (partnership_id, seq, review_id, review_ref, action_id, action_ref, actor_id,"
                " actor_name, actor_role, on_behalf_of_id, event, from_state, to_state, reason, note, evidence_hashes,"
                " payload, at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, 'Commissioner', 'commissioner', NULL,"
                " 'reject', 'evidence_submitted', 'open', ?, '', '[]', '{}', ?, ?, ?)",
                (
                    partnership_id,
                    seq + 1,
                    review_id,
                    action["review_ref_"],
                    action_id,
                    ref,
                    person_id,
                    f"gap {i}",
                    at,
                    prev,
                    hashlib.sha256(f"{prev}{i}".encode()).hexdigest(),
                ),
            ).lastrowid
            db.execute(
                "INSERT INTO outbox (idempotency_key, partnership_id, decision_id, kind, review_id, action_id,"
                " recipient_role, recipient_agency_id, recipient_person_id, status, attempts, next_attempt_at,"
                " message_id, created_at, last_reply, recipient_email) VALUES (?, ?, ?, 'returned', ?, ?,"
                " 'lead_officer', NULL, NULL, 'pending', 0, ?, '', ?, '', '')",
                (f"plain:{i}", partnership_id, decision_id, review_id, action_id, at, at),
            )
            db.execute("COMMIT")
        return transitions / (time.perf_counter() - started)
    finally:
        db.close()


async def seed_imported_many_times(times: int = 1000) -> list[Result]:
    """The seed read and imported ``times`` times, each as a review of its own (13 actions each)."""
    text = seed_plan_path().read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        files = []
        for i in range(times):
            path = root / f"plan-{i}.txt"
            path.write_text(text.replace("BDHR2011/12-03", f"BDHR2011/12-{i + 100:04d}"), encoding="utf-8")
            files.append(path)
        async with open_app(Settings(data_dir=root / "data", database_url=None), migrate_schema=True) as app:
            started = time.perf_counter()
            for path in files:
                await import_plan(read_plan(path), uow_factory=app.uow, clock=app.clock)
            elapsed = time.perf_counter() - started
            started = time.perf_counter()
            for path in files[:100]:
                await import_plan(read_plan(path), uow_factory=app.uow, clock=app.clock)
            again = (time.perf_counter() - started) * times / 100
    return [
        Result(f"seed imported {times} times (new reviews)", elapsed, "s", 10, False, f"{times * 13:,} actions"),
        Result(f"seed re-imported {times} times (unchanged)", again, "s", 10, False, "estimated from 100"),
    ]
