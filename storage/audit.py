"""Checks that go beyond the hash chain: the action table and the evidence must agree with the log.

Every change to an action is a decision about it, so an action's ``version`` is
the number of its decisions (escalations, which tell people about an action
without changing it, aside) and its ``state`` is where the last one left it. An
edit of the action table that bypassed the use cases breaks one or the other.
Every evidence row belongs to a decision that names its SHA-256, and every
stored file still hashes to it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from domain.ladder import ESCALATED
from storage.repositories import ACTION, DECISION, EVIDENCE, REVIEW


def action_problems(conn: Connection, partnership_id: int) -> list[str]:
    """Actions whose state or version the decision log does not explain."""
    counts = (
        select(DECISION.c.action_id, func.count().label("n"), func.max(DECISION.c.seq).label("last_seq"))
        .where(
            DECISION.c.partnership_id == partnership_id,
            DECISION.c.action_id.is_not(None),
            DECISION.c.event != ESCALATED,
        )
        .group_by(DECISION.c.action_id)
        .subquery()
    )
    last = DECISION.alias("last")
    stmt = (
        select(
            ACTION.c.ref,
            REVIEW.c.ref.label("review_ref"),
            ACTION.c.state,
            ACTION.c.version,
            func.coalesce(counts.c.n, 0).label("decisions"),
            last.c.to_state,
        )
        .join(REVIEW, REVIEW.c.id == ACTION.c.review_id)
        .outerjoin(counts, counts.c.action_id == ACTION.c.id)
        .outerjoin(last, (last.c.partnership_id == partnership_id) & (last.c.seq == counts.c.last_seq))
        .where(REVIEW.c.partnership_id == partnership_id)
        .order_by(REVIEW.c.ref, ACTION.c.position)
    )
    problems = []
    for row in conn.execute(stmt).mappings():
        where = f"action {row['ref']} of {row['review_ref']}"
        expected_state = row["to_state"] or "open"
        if row["state"] != expected_state:
            problems.append(f"{where} is {row['state']} but its last decision left it {expected_state}")
        if row["version"] != row["decisions"]:
            problems.append(f"{where} is at version {row['version']} but has {row['decisions']} decisions")
    return problems


def evidence_problems(conn: Connection, partnership_id: int, files: Path | None = None) -> list[str]:
    """Evidence rows not named by their decision; with ``files``, stored files that no longer match."""
    stmt = (
        select(
            EVIDENCE.c.id,
            EVIDENCE.c.sha256,
            EVIDENCE.c.stored_path,
            EVIDENCE.c.action_id,
            DECISION.c.action_id.label("decision_action_id"),
            DECISION.c.evidence_hashes,
            DECISION.c.action_ref,
        )
        .join(DECISION, DECISION.c.id == EVIDENCE.c.decision_id)
        .where(DECISION.c.partnership_id == partnership_id)
        .order_by(EVIDENCE.c.id)
    )
    problems = []
    for row in conn.execute(stmt).mappings():
        where = f"evidence {row['id']} of action {row['action_ref']}"
        if row["action_id"] != row["decision_action_id"] or row["sha256"] not in json.loads(row["evidence_hashes"]):
            problems.append(f"{where}: its decision does not name it")
            continue
        if files is not None:
            path = files / row["stored_path"]
            if not path.is_file():
                problems.append(f"{where}: the file is missing from the store")
            elif hashlib.sha256(path.read_bytes()).hexdigest() != row["sha256"]:
                problems.append(f"{where}: the stored file no longer matches its SHA-256")
    return problems
