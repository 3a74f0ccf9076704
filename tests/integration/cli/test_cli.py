"""The ``dhrflow`` command line, run as a user runs it: a real process on a real SQLite file."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.cli import Cli
from tests.integration.helpers import working_day_from_today


def test_import_then_actions_json_gives_the_thirteen_actions(cli: Cli, seed_plan: Path) -> None:
    cli("init")
    out = cli("import", str(seed_plan)).stdout
    assert "imported BCSP BDHR2011/12-03: 13 added" in out
    actions = cli.json("actions")
    assert isinstance(actions, list)
    assert len(actions) == 13
    first = actions[0]
    assert (first["ref"], first["target_date"], first["state"], first["route"]) == (
        "3.1.1",
        "2014-04-30",
        "open",
        "final_audit",
    )
    assert first["action"].startswith("Local Commissioners and NHS England to ensure")
    assert {a["rag"] for a in actions} <= {"red", "amber", "green", "blue", "grey"}


def test_walkthrough_leaves_five_decisions_and_a_log_that_catches_tampering(staffed: Cli) -> None:
    cli = staffed
    lead, commissioner, assurer = "lead@wmp.test", "comm@nhs.test", "qa@bcsp.test"
    cli("people", "add", "--name", "QA", "--email", assurer, "--role", "partnership_assurer")

    cli("submit", "3.11.1", "--as", lead, "--note", "Message of the day published")
    cli("reject", "3.11.1", "--as", commissioner, "--reason", "No audit figures")
    cli("submit", "3.11.1", "--as", lead, "--note", "Audit figures attached", "--version", "2")
    cli("verify", "3.11.1", "--as", commissioner)
    cli("assure", "3.11.1", "--as", assurer)

    shown = cli.json("show", "3.11.1")
    assert isinstance(shown, dict)
    assert [d["event"] for d in shown["timeline"]] == [
        "submit_evidence",
        "reject",
        "submit_evidence",
        "verify",
        "assure",
    ]
    assert shown["state"] == "partnership_assured" and shown["rag"] == "blue"
    assert "BCSP: ok" in cli("log", "verify").stdout

    db = sqlite3.connect(cli.data_dir / "dhrflow.db")
    db.execute("DROP TRIGGER decision_no_update")
    db.execute("UPDATE decision SET reason = 'fine' WHERE event = 'reject'")
    db.commit()
    db.close()
    broken = cli("log", "verify", ok=False)
    assert broken.returncode == 4
    assert "BROKEN" in broken.stdout and "reject on 3.11.1" in broken.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("reject", "3.11.1", "--as", "comm@nhs.test", "--reason", "x"), "is open: reject is not allowed"),
        (("submit", "9.9.9", "--as", "lead@wmp.test", "--note", "x"), "no action 9.9.9"),
        (("submit", "3.11.1", "--as", "nobody@x.test", "--note", "x"), "no person"),
        (("submit", "3.11.1", "--as", "lead@wmp.test"), "evidence is required"),
        (("submit", "3.11.1", "--as", "lead@wmp.test", "--file", "/no/such.pdf"), "no such file"),
        (("verify", "3.11.1", "--as", "lead@wmp.test"), "verify is not allowed"),
        (("actions", "--state", "done"), "--state must be one of"),
        (("actions", "--agency", "fire"), "matches no agencies"),
        (("import", "/no/such/plan.txt"), "plan.txt"),
        (
            ("people", "add", "--name", "X", "--email", "bad", "--role", "viewer"),
            "cannot add --email 'bad': the address is already in use or not accepted",
        ),
        (("sweep", "--on", "9999-12-31"), "--on 9999-12-31: give a date in 1990-2100"),
        (
            ("extend", "request", "3.11.1", "--to", "9999-12-31", "--reason", "x", "--as", "lead@wmp.test"),
            "--to 9999-12-31: give a date in 1990-2100",
        ),
        (
            ("ladder", "set", "lead_officer", "--step", "far:99999999999999999999:escalation:director"),
            "more than 260 working days",
        ),
    ],
)
def test_bad_input_is_one_clear_line_and_a_nonzero_exit(staffed: Cli, args: tuple[str, ...], message: str) -> None:
    done = staffed(*args, ok=False)
    assert message in done.stderr


def test_a_name_or_evidence_file_name_that_would_show_as_another_is_one_line_and_a_nonzero_exit(
    staffed: Cli, tmp_path: Path
) -> None:
    """Issue 14: a right-to-left override in a person's name, and in a file name (shown as "invoicetxt.pdf")."""
    evidence = tmp_path / "invoice\u202efdp.txt"
    evidence.write_bytes(b"minutes of the meeting")
    cases = [
        (("people", "add", "--name", "A\u202eB", "--email", "ab@wmp.test", "--role", "viewer"), "--name 'A\\u202eB'"),
        (
            ("submit", "3.11.1", "--as", "lead@wmp.test", "--note", "x", "--file", str(evidence)),
            "evidence file 'invoice\\u202efdp.txt'",
        ),
    ]
    for args, named in cases:
        done = staffed(*args, ok=False)
        assert done.stderr == f"error: {named}: control or bidi character U+202E is not allowed\n"
    assert "3.11.1" in staffed("actions", "--state", "open").stdout  # nothing was submitted


def test_a_command_before_init_says_how_to_set_up(cli: Cli) -> None:
    cli.data_dir.mkdir(parents=True)
    done = cli("actions", ok=False)
    assert "dhrflow init" in done.stderr


def test_a_stale_version_exits_with_the_conflict_code(staffed: Cli) -> None:
    cli = staffed
    cli("progress", "3.11.1", "--as", "lead@wmp.test", "--note", "Drafting the briefing")
    done = cli("submit", "3.11.1", "--as", "lead@wmp.test", "--note", "x", "--version", "0", ok=False)
    assert done.returncode == 3
    assert "changed by someone else" in done.stderr


def test_demo_is_the_main_job_and_can_run_twice(cli: Cli) -> None:
    first = cli("demo").stdout
    assert "BDHR2011/12-03 imported: 13 actions added" in first
    assert "lead.wmp@demo.invalid" in first
    second = cli("demo").stdout
    assert "already imported: 0 actions added, 13 unchanged" in second


def test_export_csv_has_every_action_and_column(imported: Cli, tmp_path: Path) -> None:
    import csv

    cli = imported
    out = tmp_path / "plan.csv"
    cli("export", "csv", "--out", str(out))
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["ref"] for r in rows][:3] == ["3.1.1", "3.1.2", "3.2.3"]
    assert len(rows) == 13
    assert rows[0]["target_date"] == "2014-04-30" and rows[0]["target_date_text"] == "Apr-14"


# The SHA-256 of shared/fixtures/bdhr-2011-12-03-action-plan.txt, the canonical seed.
CANONICAL_SEED_SHA256 = "52b8c78c5c7036e44ba1b99cf89f96467e55f88c47aa035bb5d047dd8753555d"


def test_bundled_seed_is_the_shared_fixture() -> None:
    """The shipped copy is byte-identical to the canonical fixture: checked against its hash in any clone,
    and against the file itself where shared/ sits beside the repository."""
    from tests.unit.plan_builders import SHARED_SEED_PLAN
    from workflows.commands.demo import seed_plan_path

    assert hashlib.sha256(seed_plan_path().read_bytes()).hexdigest() == CANONICAL_SEED_SHA256
    if SHARED_SEED_PLAN.exists():
        assert hashlib.sha256(SHARED_SEED_PLAN.read_bytes()).hexdigest() == CANONICAL_SEED_SHA256


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("reject", "3.11.1", "--as", "comm@nhs.test"), "Missing option '--reason'"),
        (("bogus",), "No such command 'bogus'"),
        (("submit", "3.11.1", "--as", "x@y.test", "--version", "abc"), "Invalid value for '--version'"),
    ],
)
def test_usage_mistakes_are_one_line_too(cli: Cli, args: tuple[str, ...], message: str) -> None:
    done = cli(*args, ok=False)
    assert done.returncode == 2
    assert message in done.stderr


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("garbage", "DATABASE_URL is not a URL"),
        ("mysql://x@127.0.0.1/db", "'mysql' is not supported"),
        ("postgresql://x@127.0.0.1:1/db", "database: cannot connect"),
    ],
)
def test_a_bad_database_url_is_one_clear_line(cli: Cli, url: str, message: str) -> None:
    cli.env["DATABASE_URL"] = url
    done = cli("actions", ok=False)
    assert message in done.stderr


def test_a_read_command_on_a_missing_database_creates_nothing(cli: Cli) -> None:
    cli.data_dir.mkdir(parents=True)
    cli("reviews", ok=False)
    assert not (cli.data_dir / "dhrflow.db").exists()


def test_an_import_into_a_partnership_with_people_needs_a_coordinator(demo: Cli, seed_plan: Path) -> None:
    cli = demo
    refused = cli("import", str(seed_plan), ok=False)
    assert "--as COORDINATOR_EMAIL" in refused.stderr
    assert "0 added" in cli("import", str(seed_plan), "--as", "coordinator@demo.invalid").stdout


def test_extend_request_and_approve_move_the_target_date(demo: Cli) -> None:
    cli = demo
    asked = cli(
        "extend", "request", "3.11.1", "--to", "2027-03-31", "--reason", "IMS changes", "--as", "lead.wmp@demo.invalid"
    )
    assert "extension to 2027-03-31 pending" in asked.stdout
    approved = cli("extend", "approve", "3.11.1", "--as", "director.wmp@demo.invalid")
    assert "approved (target 2027-03-31)" in approved.stdout
    shown = cli.json("show", "3.11.1")
    assert isinstance(shown, dict)
    assert (shown["target_date"], shown["original_target_date"]) == ("2027-03-31", "2013-06-30")
    bad = cli("extend", "request", "3.11.1", "--to", "soon", "--reason", "x", "--as", "lead.wmp@demo.invalid", ok=False)
    assert "--to 'soon' is not a date" in bad.stderr


def test_the_escalations_desk_and_a_new_ladder_from_the_command_line(demo: Cli) -> None:
    cli = demo
    cli("sweep", "--on", working_day_from_today())
    mine = cli.json("escalations", "--mine", "--as", "assurer@demo.invalid")
    assert isinstance(mine, list) and mine and all(e["acknowledged_by"] is None for e in mine)
    first = mine[0]["id"]
    done = cli("acknowledge", str(first), "--as", "assurer@demo.invalid", "--note", "At the board")
    assert f"escalation {first} (" in done.stdout
    again = cli("acknowledge", str(first), "--as", "assurer@demo.invalid", ok=False)
    assert "acknowledged already" in again.stderr
    assert "needs --as" in cli("escalations", "--mine", ok=False).stderr
    nobody = cli("escalations", "--mine", "--as", "viewer@demo.invalid").stdout
    assert "no escalations have told viewer@demo.invalid" in nobody

    steps = ["--step", "reminder:-5:reminder:lead_officer", "--step", "director:2:escalation:director"]
    assert "--as COORDINATOR_EMAIL" in cli("ladder", "set", "lead_officer", *steps, ok=False).stderr
    out = cli("ladder", "set", "lead_officer", *steps, "--as", "coordinator@demo.invalid").stdout
    assert "lead_officer is now version 2" in out
    bad = cli(
        "ladder", "set", "lead_officer", "--step", "x:1:nag:director", "--as", "coordinator@demo.invalid", ok=False
    )
    assert "kind 'nag' is not one of" in bad.stderr
    shown = cli.json("ladder", "show")
    assert isinstance(shown, dict)
    lead = next(ladder for ladder in shown["ladders"] if ladder["name"] == "lead_officer")
    assert (lead["version"], [s["key"] for s in lead["steps"]]) == (2, ["reminder", "director"])
    assert "BCSP: ok" in cli("log", "verify").stdout


def test_deputies_from_the_command_line(demo: Cli) -> None:
    cli = demo
    cli(
        "people", "add", "--name", "Second WMP lead", "--email", "lead2.wmp@demo.invalid", "--role", "lead_officer",
        "--agency", "Police", "--as", "coordinator@demo.invalid",
    )  # fmt: skip
    today = cli.json("deputy", "list")
    assert today == []
    day = datetime.now(UTC).date().isoformat()
    named = cli(
        "deputy", "name", "lead.wmp@demo.invalid", "lead2.wmp@demo.invalid", "--from", day, "--to", day,
        "--reason", "Annual leave", "--as", "lead.wmp@demo.invalid",
    ).stdout  # fmt: skip
    assert "lead2.wmp@demo.invalid for lead.wmp@demo.invalid" in named
    cli("submit", "3.11.1", "--as", "lead2.wmp@demo.invalid", "--for", "lead.wmp@demo.invalid", "--note", "Sent")
    shown = cli("show", "3.11.1").stdout
    assert "submit_evidence by Second WMP lead on behalf of " in shown
    refused = cli("verify", "3.11.1", "--as", "commissioner@demo.invalid", "--for", "lead.wmp@demo.invalid", ok=False)
    assert "is not lead.wmp@demo.invalid's deputy today" in refused.stderr
    [period] = cli.json("deputy", "list")  # type: ignore[misc]
    ended = cli("deputy", "end", str(period["id"]), "--as", "coordinator@demo.invalid").stdout
    assert "no longer acts for lead.wmp@demo.invalid" in ended


def test_export_plan_imports_back_unchanged_and_the_documents_are_written(imported: Cli, tmp_path: Path) -> None:
    cli = imported
    out = tmp_path / "plan.docx"
    cli("export", "plan", "BDHR2011/12-03", "--format", "docx", "--out", str(out))
    again = cli("import", str(out), "--dry-run").stdout
    assert "would import BCSP BDHR2011/12-03: 0 added, 0 updated, 13 unchanged" in again

    done = cli("export", "plan", "BDHR2011/12-03", "--format", "xlsx", "--public")
    assert "wrote 13 actions to BDHR2011-12-03-plan-public.xlsx" in done.stderr
    assert (tmp_path / "BDHR2011-12-03-plan-public.xlsx").stat().st_size > 0
    cli("report", "board", "--all", "--format", "html", "--from", "2013-01-01", "--to", "2013-12-31")
    assert "<svg" in (tmp_path / "BCSP-all-reviews-board-pack-2013-12-31.html").read_text(encoding="utf-8")
    log = json.loads(cli("export", "log", "--format", "json", "--out", "-").stdout)
    assert log["check"]["ok"] is True and [d["event"] for d in log["decisions"]] == ["import_plan"]


def test_export_mistakes_are_one_clear_line(imported: Cli, tmp_path: Path) -> None:
    cli = imported
    for args, message in [
        (("export", "plan", "BDHR2011/12-03", "--format", "odt"), "--format 'odt' is not one of: docx, xlsx, pdf, csv"),
        (("export", "plan", "DHR 1999-01"), "no review 'DHR 1999-01'"),
        (("export", "plan", "BDHR2011/12-03", "--out", str(tmp_path / "no" / "x.docx")), "No such file or directory"),
        (("export", "certificate", "BDHR2011/12-03"), "review BDHR2011/12-03 is not signed off (active)"),
        (("report", "board", "--format", "pdf"), "name one review, or give --all"),
        (("report", "board", "--all", "--from", "2013-13-01"), "--from '2013-13-01' is not a date"),
        (("report", "board", "--all", "--from", "2014-01-01", "--to", "2013-01-01"), "ends (2013-01-01) before"),
    ]:
        done = cli(*args, ok=False)
        assert message in done.stderr, (args, done.stderr)


def test_a_plan_naming_no_review_is_imported_with_review(demo: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "appendix-b.csv"
    plan.write_text(
        "Appendix B Multi-agency Action Plan\nAction,Lead,Agency,Target Date\nBrief officers,DI Jones,Police,2020/21\n"
    )
    asked = demo("import", str(plan), "--as", "coordinator@demo.invalid", ok=False)
    assert "give the review's reference (--review REF" in asked.stderr
    done = demo("import", str(plan), "--as", "coordinator@demo.invalid", "--review", "DHR Sarah").stdout
    assert "imported BCSP DHR Sarah: 1 added" in done


TRANSITION_KEYS = {
    "action_id",
    "review_ref",
    "ref",
    "event",
    "from_state",
    "to_state",
    "version",
    "decision_id",
    "evidence",
    "notifications",
}
"""An action's state change as the CLI's ``--json`` and the API's transition both give it (one shape)."""


def test_a_transition_in_json_has_the_shape_the_api_gives(staffed: Cli) -> None:
    done = staffed.json("progress", "3.11.1", "--as", "lead@wmp.test", "--note", "Drafting", "--json")
    assert isinstance(done, dict) and set(done) == TRANSITION_KEYS
    assert (done["ref"], done["from_state"], done["to_state"], done["version"]) == ("3.11.1", "open", "open", 1)


def test_a_move_the_state_does_not_allow_exits_1_and_a_stale_version_3(staffed: Cli) -> None:
    """Exit 3 says "reload and decide again"; a move the state never allows is a refusal (1), as before."""
    assert staffed("reject", "3.11.1", "--as", "comm@nhs.test", "--reason", "x", ok=False).returncode == 1


def test_a_sweep_of_a_day_before_the_import_says_why_it_fires_nothing(imported: Cli) -> None:
    """The README's old example swept 2014-05-08, before the plan was imported today: '0 actions due' alone
    read as if nothing were late (issue 16)."""
    done = imported("sweep", "--on", "2014-05-08")
    assert "0 step(s) fired" in done.stdout
    assert "is before the first plan was imported" in done.stdout and "days before that are not swept" in done.stdout
    later = imported("sweep", "--on", working_day_from_today())
    assert "before the first plan was imported" not in later.stdout
