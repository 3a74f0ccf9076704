"""``dhrflow bulk verify|assure|acknowledge|reassign REF[@VERSION]...``: each action its own decision, the report on
standard output, one line on stderr and the exit status saying whether anything was refused (issue 16)."""

from __future__ import annotations

from tests.cli import Cli

LEAD, COMMISSIONER = "lead@wmp.test", "comm@nhs.test"


def test_bulk_verify_reports_each_action_and_exits_by_what_was_refused(staffed: Cli) -> None:
    cli = staffed
    for ref in ("3.11.1", "3.11.2"):
        cli("submit", ref, "--as", LEAD, "--note", "Minutes attached")  # each now at version 1

    mixed = cli("bulk", "verify", "3.11.1@1", "3.11.2@0", "9.9.9", "--as", COMMISSIONER, "--comment", "Seen", ok=False)
    assert (mixed.returncode, mixed.stderr.strip()) == (1, "error: 2 of 3 refused")
    rows = [line.split(None, 3) for line in mixed.stdout.splitlines()[2:-1]]
    assert [row[:3] for row in rows] == [
        ["BDHR2011/12-03", "3.11.1", "verified"],
        ["BDHR2011/12-03", "3.11.2", "refused"],
        ["9.9.9", "refused", "no"],  # not found: no review to name
    ]
    assert "you had version 0, it is now version 1" in rows[1][3]
    assert mixed.stdout.splitlines()[-1] == "1 verified, 2 refused"

    stale = cli("bulk", "verify", "3.11.2@0", "--as", COMMISSIONER, ok=False)
    assert (stale.returncode, stale.stderr.strip()) == (3, "error: 1 of 1 refused: changed since you saw them")
    report = cli.json("bulk", "verify", "3.11.2@1", "--as", COMMISSIONER)
    assert isinstance(report, dict) and report["refused"] == []
    assert [(d["ref"], d["to_state"]) for d in report["done"]] == [("3.11.2", "commissioner_verified")]


def test_bulk_refuses_a_batch_it_cannot_take_in_one_line(staffed: Cli) -> None:
    for args, said in [
        (("bulk", "verify", "3.11.1@x", "--as", COMMISSIONER), "give REF or REF@VERSION"),
        (("bulk", "reassign", "3.11.1", "--as", "director@wmp.test"), "Missing option '--to'"),
        (("bulk", "verify", "3.11.1", "--as", "nobody@x.test"), "no person with email 'nobody@x.test'"),
    ]:
        refused = staffed(*args, ok=False)
        assert said in refused.stderr, (args, refused.stderr)
