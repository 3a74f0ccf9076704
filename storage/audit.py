"""Checks that go beyond the hash chain: the actions and the evidence must agree with the log.

Every change to an action is a decision about it, so replaying an action's
decisions (escalations, which tell people about an action without changing it,
aside) must give its ``state``, its ``version`` (one per decision), who
submitted the evidence under check and whether it was returned: the fields the
lifecycle's guards read. An edit of the action table that bypassed the use cases
breaks one of them. Every evidence row belongs to a decision that names its
SHA-256, every hash a decision names has its row, and every stored file still
hashes to it.

Whether each decision was allowed by the lifecycle's rules is ``storage.replay``'s
check. Not covered yet (see docs/design.md): the plan's text of an action.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.engine import Connection

from domain.decisions import NOTES
from domain.lifecycle import EFFECTS, Effect
from domain.states import Event
from storage import replay
from storage.chain import log_key, seal_problems
from storage.deputies import DEPUTY
from storage.repositories import ACTION, DECISION, EVIDENCE, REVIEW, Decisions

_EVENTS = frozenset(str(e) for e in Event)


@dataclass
class _Replayed:
    state: str = "open"
    version: int = 0
    submitted_by: int | None = None
    submitted_for: int | None = None
    verified_by: int | None = None
    verified_for: int | None = None
    returned: bool = False


def action_problems(conn: Connection, partnership_id: int) -> list[str]:
    """Actions whose state, version, submitter or returned flag the decision log does not explain."""
    replayed: dict[int, _Replayed] = {}
    refs: dict[int, str] = {}
    decisions = (
        select(
            DECISION.c.action_id,
            DECISION.c.action_ref,
            DECISION.c.event,
            DECISION.c.actor_id,
            DECISION.c.on_behalf_of_id,
            DECISION.c.to_state,
        )
        .where(
            DECISION.c.partnership_id == partnership_id,
            DECISION.c.action_id.is_not(None),
            DECISION.c.event.not_in(NOTES),
        )
        .order_by(DECISION.c.seq)
    )
    for action_id, action_ref, event, actor_id, on_behalf_of_id, to_state in conn.execute(decisions):
        r = replayed.setdefault(action_id, _Replayed())
        refs[action_id] = action_ref
        r.version += 1
        r.state = to_state or r.state
        effect = EFFECTS.get(Event(event)) if event in _EVENTS else None
        if effect is Effect.SUBMITS:
            r.submitted_by, r.submitted_for, r.returned = actor_id, on_behalf_of_id, False
            r.verified_by = r.verified_for = None
        elif effect is Effect.VERIFIES:
            r.verified_by, r.verified_for = actor_id, on_behalf_of_id
        elif effect is Effect.RETURNS:
            r.submitted_by, r.submitted_for, r.returned = None, None, True
            r.verified_by = r.verified_for = None
    actions = (
        select(
            ACTION.c.id,
            ACTION.c.ref,
            REVIEW.c.ref.label("review_ref"),
            ACTION.c.state,
            ACTION.c.version,
            ACTION.c.submitted_by,
            ACTION.c.submitted_for,
            ACTION.c.verified_by,
            ACTION.c.verified_for,
            ACTION.c.returned,
        )
        .join(REVIEW, REVIEW.c.id == ACTION.c.review_id)
        .where(REVIEW.c.partnership_id == partnership_id)
        .order_by(REVIEW.c.ref, ACTION.c.position, ACTION.c.id)
    )
    problems = []
    for row in conn.execute(actions).mappings():
        where = f"action {row['ref']} of {row['review_ref']}"
        expected = replayed.pop(row["id"], _Replayed())
        if row["state"] != expected.state:
            problems.append(f"{where} is {row['state']} but its last decision left it {expected.state}")
        if row["version"] != expected.version:
            problems.append(f"{where} is at version {row['version']} but has {expected.version} decisions")
        who = (
            row["submitted_by"],
            row["submitted_for"],
            row["verified_by"],
            row["verified_for"],
            bool(row["returned"]),
        )
        e = expected
        if who != (e.submitted_by, e.submitted_for, e.verified_by, e.verified_for, e.returned):
            problems.append(f"{where}: its submitter, verifier or returned mark is not what the log says")
    for action_id in replayed:
        problems.append(f"action {refs[action_id]} (id {action_id}) has decisions but is gone from the plan")
    return problems


@dataclass(frozen=True)
class StoredEvidence:
    """A stored file to re-hash, and how to name it in a problem."""

    label: str
    stored_path: str
    sha256: str


def evidence_problems(conn: Connection, partnership_id: int, files: list[StoredEvidence] | None = None) -> list[str]:
    """Evidence rows and decisions that do not name each other.

    With ``files``, every consistent row is added to it, to be re-hashed by
    ``file_problems`` once the transaction is over (it reads every file).
    """
    named: dict[tuple[int, str], str] = {}
    decisions = select(DECISION.c.id, DECISION.c.action_ref, DECISION.c.evidence_hashes).where(
        DECISION.c.partnership_id == partnership_id, DECISION.c.evidence_hashes != "[]"
    )
    for decision_id, action_ref, hashes in conn.execute(decisions):
        for sha in json.loads(hashes):
            named[(decision_id, sha)] = action_ref
    rows = (
        select(
            EVIDENCE.c.id,
            EVIDENCE.c.sha256,
            EVIDENCE.c.stored_path,
            EVIDENCE.c.action_id,
            EVIDENCE.c.decision_id,
            DECISION.c.action_id.label("decision_action_id"),
            ACTION.c.ref.label("action_ref"),
        )
        .join(ACTION, ACTION.c.id == EVIDENCE.c.action_id)
        .join(REVIEW, REVIEW.c.id == ACTION.c.review_id)
        .outerjoin(DECISION, DECISION.c.id == EVIDENCE.c.decision_id)
        .where(REVIEW.c.partnership_id == partnership_id)
        .order_by(EVIDENCE.c.id)
    )
    problems = []
    for row in conn.execute(rows).mappings():
        where = f"evidence {row['id']} of action {row['action_ref']}"
        key = (row["decision_id"], row["sha256"])
        if row["action_id"] != row["decision_action_id"] or key not in named:
            problems.append(f"{where}: its decision does not name it")
            continue
        del named[key]
        if files is not None:
            files.append(StoredEvidence(where, row["stored_path"], row["sha256"]))
    for (decision_id, _sha), action_ref in named.items():
        problems.append(f"decision {decision_id} on action {action_ref} names evidence that is gone")
    return problems


def file_problems(root: Path, files: list[StoredEvidence]) -> list[str]:
    """Stored files missing or changed since they were recorded. Blocking: run it in a thread."""
    problems = []
    for f in files:
        path = root / f.stored_path
        if not path.is_file():
            problems.append(f"{f.label}: the file is missing from the store")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != f.sha256:
            problems.append(f"{f.label}: the stored file no longer matches its SHA-256")
    return problems


_LONDON = ZoneInfo("Europe/London")


@dataclass
class _Period:
    principal_id: int
    deputy_id: int
    starts_on: date
    ends_on: date
    ended_at: datetime | None = None

    def covers(self, at: datetime) -> bool:
        day = at.astimezone(_LONDON).date()
        return self.starts_on <= day <= self.ends_on and (self.ended_at is None or at < self.ended_at)


def deputy_problems(conn: Connection, partnership_id: int) -> list[str]:
    """Decisions taken on someone's behalf outside a deputy period the log names, and deputy periods
    whose stored row the log does not explain (or the other way round)."""
    periods: dict[int, _Period] = {}
    problems = []
    decisions = (
        select(DECISION.c.seq, DECISION.c.event, DECISION.c.actor_id, DECISION.c.on_behalf_of_id, DECISION.c.at)
        .add_columns(DECISION.c.payload)
        .where(
            DECISION.c.partnership_id == partnership_id,
            (DECISION.c.on_behalf_of_id.is_not(None)) | DECISION.c.event.in_(["deputy_named", "deputy_ended"]),
        )
        .order_by(DECISION.c.seq)
    )
    for seq, event, actor_id, on_behalf_of_id, at, payload in conn.execute(decisions):
        data = json.loads(payload)
        if event == "deputy_named":
            periods[data["period_id"]] = _Period(
                data["principal_id"],
                data["deputy_id"],
                date.fromisoformat(data["from"]),
                date.fromisoformat(data["to"]),
            )
        elif event == "deputy_ended" and data.get("period_id") in periods:
            periods[data["period_id"]].ended_at = at
        if on_behalf_of_id is not None and not any(
            p.principal_id == on_behalf_of_id and p.deputy_id == actor_id and p.covers(at) for p in periods.values()
        ):
            problems.append(
                f"decision #{seq} ({event}) was taken on behalf of person {on_behalf_of_id} "
                "outside any deputy period the log names"
            )
    rows = select(DEPUTY).where(DEPUTY.c.partnership_id == partnership_id).order_by(DEPUTY.c.id)
    for row in conn.execute(rows).mappings():
        named = periods.pop(row["id"], None)
        stored = (row["principal_id"], row["deputy_id"], row["starts_on"], row["ends_on"], row["ended_at"] is not None)
        if named is None or stored != (
            named.principal_id,
            named.deputy_id,
            named.starts_on,
            named.ends_on,
            named.ended_at is not None,
        ):
            problems.append(f"deputy period {row['id']} is not what the log says of it")
    problems += [f"deputy period {pid} is in the log but gone from the database" for pid in periods]
    return problems


class Audit:
    """The checks above, and the replay's (``storage.replay``) and the seals' (``storage.chain``), on one
    transaction's connection: what ``dhrflow log verify`` reads beyond the chain."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def action_problems(self, partnership_id: int) -> list[str]:
        return action_problems(self._conn, partnership_id)

    def deputy_problems(self, partnership_id: int) -> list[str]:
        return deputy_problems(self._conn, partnership_id)

    def evidence_problems(self, partnership_id: int, files: list[StoredEvidence] | None = None) -> list[str]:
        return evidence_problems(self._conn, partnership_id, files)

    def decision_problems(self, partnership_id: int) -> list[str]:
        """Decisions the lifecycle's rules forbid (``storage.replay``)."""
        return replay.decision_problems(self._conn, partnership_id)

    def guard_problems(self) -> list[str]:
        """The database's own guards on the log, missing or changed (``storage.replay``)."""
        return replay.guard_problems(self._conn)

    def seal_problems(self, partnership_id: int) -> list[str]:
        """Records whose seal the log key does not make (none to check without a key)."""
        key = log_key(self._conn)
        return [] if key is None else seal_problems(Decisions(self._conn).chain(partnership_id), key)
