"""Many partnerships and many actions, fast: rows written straight through the storage's bulk insert
(``storage.repositories.insert_many``), not through the use cases (the log of decisions is left empty: reads
do not need it, and 200,000 imports would take an hour).

One partnership is the largest (``largest`` actions); the others share the rest. Each has its agencies, a lead
officer per agency, a director, a commissioner, an assurer, a coordinator and a viewer, and reviews of about
25 actions with a recommendation for every four. The actions' states, dates and lead officers are spread as a
partnership's years of work leave them: most open, many past their target date, some with evidence waiting for
a check, a quarter assured.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.repositories import insert_many
from storage.tables import metadata

ACTIONS_PER_REVIEW = 25
AGENCIES = (
    *("Police", "Health Trust", "Mental Health Trust", "Children's Services", "Adult Social Care", "Housing"),
    *("Probation", "Domestic Abuse Service"),
)
TOPICS = (
    *("risk assessment", "information sharing", "training", "MARAC referrals", "safeguarding", "housing"),
    *("GP records", "substance misuse", "multi-agency audit", "case supervision"),
)
_STATES = (
    *(("open", 55), ("evidence_submitted", 10), ("commissioner_verified", 5)),
    *(("partnership_assured", 25), ("withdrawn", 5)),
)
_TABLES = ("partnership", "agency", "person", "review", "recommendation", "action", "decision", "escalation")
ESCALATED_SHARE = 0.3
"""Of the open actions more than five working weeks past their target date, the share whose director was told
(a fired step of the lead officer's ladder, not yet acknowledged)."""


@dataclass(frozen=True)
class Volume:
    """What was made, and who to sign in as in the largest partnership."""

    partnerships: int
    actions: int
    largest_id: int
    largest_actions: int
    coordinator: str
    assurer: str
    commissioner: str
    lead: str
    director: str
    viewer: str


def emails(n: int) -> dict[str, str]:
    """The people of partnership number ``n`` (from 0) by role; lead officers are ``lead{a}@...`` per agency."""
    domain = f"p{n}.bench.invalid"
    roles = ("coordinator", "assurer", "commissioner", "director", "viewer")
    return {role: f"{role}@{domain}" for role in roles} | {"lead": f"lead0@{domain}"}


async def seed_volume(
    engine: AsyncEngine, *, partnerships: int, actions: int, largest: int, today: date, seed: int = 17
) -> Volume:
    """``actions`` actions in ``partnerships`` partnerships, the first of ``largest`` actions, on a migrated
    database (empty or not: ids continue after the rows there)."""
    rng = random.Random(seed)
    async with engine.begin() as conn:
        await conn.run_sync(_seed, partnerships, actions, largest, today, rng)
        if conn.dialect.name == "postgresql":
            for table in _TABLES:
                await conn.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                )
    async with engine.begin() as conn:
        await conn.execute(text("ANALYZE"))
        first = (await conn.execute(text("SELECT min(id) FROM partnership WHERE short_name = 'P0'"))).scalar_one()
    people = emails(0)
    return Volume(
        partnerships,
        actions,
        int(first),
        largest,
        people["coordinator"],
        people["assurer"],
        people["commissioner"],
        people["lead"],
        people["director"],
        people["viewer"],
    )


def _next_ids(conn: Connection) -> dict[str, int]:
    return {t: int(conn.execute(text(f"SELECT coalesce(max(id), 0) FROM {t}")).scalar_one()) + 1 for t in _TABLES}


def _seed(conn: Connection, partnerships: int, actions: int, largest: int, today: date, rng: random.Random) -> None:
    ids = _next_ids(conn)
    rest = actions - largest
    sizes = [largest] + [
        rest // (partnerships - 1) + (1 if n < rest % (partnerships - 1) else 0) for n in range(1, partnerships)
    ]
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in _TABLES}
    directors: list[tuple[int, int]] = []
    for n, size in enumerate(sizes):
        pid = ids["partnership"]
        ids["partnership"] += 1
        rows["partnership"].append(
            {"id": pid, "name": f"Bench partnership {n}", "short_name": f"P{n}", "catch_up": "highest_only"}
        )
        agency_ids = list(range(ids["agency"], ids["agency"] + len(AGENCIES)))
        ids["agency"] += len(AGENCIES)
        for agency_id, name in zip(agency_ids, AGENCIES, strict=True):
            rows["agency"].append({"id": agency_id, "partnership_id": pid, "name": name, "director_id": None})
        people = emails(n)
        leads: dict[int, int] = {}

        def person(email: str, role: str, agency_id: int | None, pid: int = pid) -> int:
            person_id = ids["person"]
            ids["person"] += 1
            values = {"id": person_id, "partnership_id": pid, "name": email.split("@")[0].title(), "email": email}
            rows["person"].append(values | {"role": role, "agency_id": agency_id, "notify": "immediate"})
            return person_id

        for a, agency_id in enumerate(agency_ids):
            leads[agency_id] = person(f"lead{a}@p{n}.bench.invalid", "lead_officer", agency_id)
        directors.append((agency_ids[0], person(people["director"], "director", agency_ids[0])))
        person(people["commissioner"], "commissioner", agency_ids[1])
        for role in ("assurer", "coordinator", "viewer"):
            person(people[role], {"assurer": "partnership_assurer"}.get(role, role), None)
        first_action = len(rows["action"])
        _reviews(rows, ids, pid, n, size, agency_ids, leads, today, rng)
        _escalations(rows, ids, pid, rows["action"][first_action:], today, rng)
    for table in _TABLES:
        for start in range(0, len(rows[table]), 10_000):
            insert_many(conn, metadata.tables[table], rows[table][start : start + 10_000])
    agency = metadata.tables["agency"]
    for agency_id, director_id in directors:
        conn.execute(agency.update().where(agency.c.id == agency_id).values(director_id=director_id))


def _escalations(
    rows: dict[str, list[dict[str, Any]]],
    ids: dict[str, int],
    pid: int,
    actions: list[dict[str, Any]],
    today: date,
    rng: random.Random,
) -> None:
    """The director step fired on some long overdue actions: its decision (the log's chain is not kept: its
    hashes are placeholders) and its ledger row."""
    refs = {r["id"]: r["ref"] for r in rows["review"] if r["partnership_id"] == pid}
    seq = 0
    for a in actions:
        target = a["target_date"]
        if a["state"] != "open" or target is None or target > today - timedelta(days=40):
            continue
        if rng.random() >= ESCALATED_SHARE:
            continue
        seq += 1
        fired = target + timedelta(days=7)
        step = {"anchor_date": target.isoformat(), "ladder": "lead_officer", "ladder_version": 1, "step": "director"}
        payload = json.dumps(step, sort_keys=True)
        rows["decision"].append(
            {
                "id": ids["decision"],
                "partnership_id": pid,
                "seq": seq,
                "review_id": a["review_id"],
                "review_ref": refs[a["review_id"]],
                "action_id": a["id"],
                "action_ref": a["ref"],
                "actor_id": None,
                "actor_name": "dhrflow",
                "actor_role": "system",
                "on_behalf_of_id": None,
                "event": "escalated",
                "from_state": "open",
                "to_state": "open",
                "reason": "",
                "note": "",
                "evidence_hashes": "[]",
                "payload": payload,
                "at": datetime.combine(fired, time(7), UTC),
                "prev_hash": "bench",
                "hash": f"bench-{ids['decision']}",
                "seal": None,
            }
        )
        rows["escalation"].append(
            {
                "id": ids["escalation"],
                "partnership_id": pid,
                "action_id": a["id"],
                "ladder": "lead_officer",
                "ladder_version": 1,
                "step": "director",
                "anchor_date": target,
                "due_on": fired,
                "fired_on": fired,
                "decision_id": ids["decision"],
                "acknowledged_by": None,
                "acknowledged_at": None,
            }
        )
        ids["decision"] += 1
        ids["escalation"] += 1


def _reviews(
    rows: dict[str, list[dict[str, Any]]],
    ids: dict[str, int],
    pid: int,
    n: int,
    size: int,
    agency_ids: list[int],
    leads: dict[int, int],
    today: date,
    rng: random.Random,
) -> None:
    states = [s for s, weight in _STATES for _ in range(weight)]
    for r in range(-(-size // ACTIONS_PER_REVIEW)):
        review_id = ids["review"]
        ids["review"] += 1
        ref = f"DHR{2012 + r % 12}-{r:04d}"
        values = {"id": review_id, "partnership_id": pid, "ref": ref, "title": f"Review {r} of P{n}"}
        rows["review"].append(values | {"status": "active", "notes": "[]"})
        count = min(ACTIONS_PER_REVIEW, size - r * ACTIONS_PER_REVIEW)
        recs = []
        for k in range(-(-count // 4)):
            recs.append(ids["recommendation"])
            body = f"Recommendation {k + 1}: agencies should improve {rng.choice(TOPICS)} (review {ref})"
            rows["recommendation"].append(
                {
                    "id": ids["recommendation"],
                    "review_id": review_id,
                    "text": body,
                    "text_sha256": f"{review_id}-{k}",
                    "numbers": str(k + 1),
                    "position": k,
                    "scope": ("local", "regional", "national", "")[k % 4],
                }
            )
            ids["recommendation"] += 1
        for i in range(count):
            rows["action"].append(
                _action(ids, review_id, recs[i // 4], i, rng.choice(agency_ids), leads, states, today, rng)
            )


def _action(
    ids: dict[str, int],
    review_id: int,
    recommendation_id: int,
    i: int,
    agency_id: int,
    leads: dict[int, int],
    states: list[str],
    today: date,
    rng: random.Random,
) -> dict[str, Any]:
    action_id = ids["action"]
    ids["action"] += 1
    state = rng.choice(states)
    target = today + timedelta(days=rng.randint(-700, 365)) if rng.random() > 0.05 else None
    waiting = (
        today - timedelta(days=rng.randint(0, 60)) if state in ("evidence_submitted", "commissioner_verified") else None
    )
    topic = rng.choice(TOPICS)
    return {
        "id": action_id,
        "review_id": review_id,
        "agency_id": agency_id,
        "recommendation_id": recommendation_id,
        "ref": f"{i // 4 + 1}.{i % 4 + 1}",
        "position": i,
        "action": f"Action {action_id}: review {topic} arrangements, brief every team and audit the first "
        f"{rng.randint(10, 90)} cases against the new standard, reporting to the board",
        "lead": "Named manager",
        "target_date_text": target.strftime("%d/%m/%Y") if target else "Ongoing",
        "desired_outcome": f"Staff understand and apply the {topic} standard in every case. " * 3,
        "monitoring": "Quarterly report to the partnership board",
        "success_measure": "Audit shows 90% compliance",
        "outcome_progress": "Training delivered to most teams; audit planned. " * 2 if state == "open" else "Done",
        "evidence_location": "Shared drive",
        "status_rag": "",
        "quality_assured_by": "",
        "extra": "{}",
        "target_date": target,
        "route": "commissioner" if i % 3 else "final_audit",
        "state": state if not (state == "commissioner_verified" and i % 3 == 0) else "evidence_submitted",
        "version": 0,
        "lead_officer_id": leads[agency_id] if rng.random() < 0.5 else None,
        "submitted_by": None,
        "submitted_for": None,
        "verified_by": None,
        "verified_for": None,
        "returned": state == "open" and rng.random() < 0.03,
        "waiting_since": waiting,
        "original_target_date": None,
        "next_step_due_on": None if state in ("partnership_assured", "withdrawn") else (target or today),
        "reported_complete": state == "open" and rng.random() < 0.02,
        "reported_complete_on": None,
    }
