"""A database made by the first release (migration 0001) and used then upgrades to head intact.

The fixture is built at test time: ``alembic upgrade 0001``, then rows written with plain SQL in
that release's schema (a partnership, people, a review, three actions, four decisions chained as
that release chained them), then the upgrade to head, then the log is verified.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from storage.chain import GENESIS, record_hash
from storage.engine import make_engine
from storage.migrate import current_revision, head_revision, upgrade
from tests.faults import tally
from tests.faults.databases import cli_env, dhrflow

AT = "2014-01-06 10:00:00.000000"

ROWS = """
INSERT INTO partnership (id, name, short_name) VALUES (1, 'Birmingham Community Safety Partnership', 'BCSP');
INSERT INTO agency (id, partnership_id, name) VALUES (1, 1, 'West Midlands Police'), (2, 1, 'NHS');
INSERT INTO person (id, partnership_id, name, email, role, agency_id) VALUES
  (1, 1, 'Lead WMP', 'lead@wmp.test', 'lead_officer', 1),
  (2, 1, 'Health Commissioner', 'comm@nhs.test', 'commissioner', 2);
UPDATE agency SET director_id = NULL;
INSERT INTO review (id, partnership_id, ref, title, status) VALUES (1, 1, 'BDHR2011/12-03', 'Adult A', 'active');
INSERT INTO action (id, review_id, agency_id, ref, position, action, lead, target_date_text, desired_outcome,
  monitoring, success_measure, outcome_progress, evidence_location, status_rag, quality_assured_by, extra,
  target_date, route, state, version, lead_officer_id, submitted_by, returned) VALUES
  (1, 1, 1, '3.11.1', 1, 'Brief every officer', 'DCI', 'Apr-14', '', '', '', '', '', '', '', '{}',
   '2014-04-30', 'commissioner', 'evidence_submitted', 1, 1, 1, 0),
  (2, 1, 1, '3.11.2', 2, 'Audit the briefings', 'DCI', 'Jun-14', '', '', '', '', '', '', '', '{}',
   '2014-06-30', 'commissioner', 'open', 2, 1, NULL, 1),
  (3, 1, 2, '3.1.1', 3, 'Commission a service', 'CCG', 'Sep-14', '', '', '', '', '', '', '', '{}',
   '2014-09-30', 'final_audit', 'open', 0, NULL, NULL, 0);
"""

DECISIONS = [
    # (action id, ref, actor id, name, role, event, from, to, reason, note)
    (1, "3.11.1", 1, "Lead WMP", "lead_officer", "submit_evidence", "open", "evidence_submitted", "", "Briefed"),
    (2, "3.11.2", 1, "Lead WMP", "lead_officer", "submit_evidence", "open", "evidence_submitted", "", "Audit"),
    (2, "3.11.2", 2, "Health Commissioner", "commissioner", "reject", "evidence_submitted", "open", "No figures", ""),
]


def _first_release_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(ROWS)
    prev = GENESIS
    for seq, (action_id, ref, actor_id, name, role, event, from_, to, reason, note) in enumerate(DECISIONS, 1):
        record = {
            "partnership_id": 1,
            "seq": seq,
            "review_id": 1,
            "review_ref": "BDHR2011/12-03",
            "action_id": action_id,
            "action_ref": ref,
            "actor_id": actor_id,
            "actor_name": name,
            "actor_role": role,
            "on_behalf_of_id": None,
            "event": event,
            "from_state": from_,
            "to_state": to,
            "reason": reason,
            "note": note,
            "evidence_hashes": "[]",
            "payload": "{}",
            "at": datetime(2014, 1, 6, 10, tzinfo=UTC),
            "prev_hash": prev,
        }
        digest = record_hash(record)
        conn.execute(
            "INSERT INTO decision (partnership_id, seq, review_id, review_ref, action_id, action_ref, actor_id,"
            " actor_name, actor_role, on_behalf_of_id, event, from_state, to_state, reason, note, evidence_hashes,"
            " payload, at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*[v for k, v in record.items() if k not in ("at", "prev_hash")], AT, prev, digest),
        )
        prev = digest
    conn.commit()
    conn.close()


async def test_a_first_release_database_upgrades_to_head_with_its_data_and_log_intact(tmp_path: Path) -> None:
    path = tmp_path / "data" / "dhrflow.db"
    path.parent.mkdir()
    engine = make_engine(f"sqlite:///{path}")
    await upgrade(engine, "0001")
    assert await current_revision(engine) == "0001"
    await engine.dispose()
    _first_release_database(path)

    env = cli_env(f"sqlite:///{path}", tmp_path / "data")
    assert "not set up for this release" in dhrflow(["log", "verify"], env, tmp_path).stderr
    assert dhrflow(["init"], env, tmp_path).returncode == 0  # the upgrade, as a release note tells people

    engine = make_engine(f"sqlite:///{path}")
    assert await current_revision(engine) == head_revision()
    await engine.dispose()
    verified = dhrflow(["log", "verify"], env, tmp_path)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "BCSP: ok, 3 decisions" in verified.stdout
    actions = dhrflow(["actions", "--json"], env, tmp_path)
    assert actions.returncode == 0, actions.stderr
    assert '"3.11.1"' in actions.stdout and "evidence_submitted" in actions.stdout
    tally.record("upgrade from 0001", "sqlite", tally.Counts(trials=1))  # reached only if all held
