"""``dhrflow tasks``: what waits on a person, as JSON and as a table (issue 16)."""

from __future__ import annotations

from tests.cli import Cli


def test_tasks_lists_what_waits_on_each_person_by_kind(staffed: Cli) -> None:
    cli = staffed
    lead, commissioner = "lead@wmp.test", "comm@nhs.test"
    cli("submit", "3.11.1", "--as", lead, "--note", "Message of the day published")

    waiting = cli.json("tasks", "--as", commissioner)
    assert isinstance(waiting, list)
    assert [(t["kind"], t["action_ref"], t["review_ref"]) for t in waiting] == [
        ("verify_evidence", "3.11.1", "BDHR2011/12-03")
    ]
    assert set(waiting[0]) >= {"kind", "action_ref", "review_ref", "since", "description", "action_id"}

    mine = cli.json("tasks", "--as", lead)
    assert isinstance(mine, list)
    assert [(t["kind"], t["action_ref"], t["since"]) for t in mine] == [("overdue", "3.11.2", "2013-09-30")]
    table = cli("tasks", "--as", lead).stdout
    assert "Overdue (1)" in table and "3.11.2" in table


def test_tasks_for_nobody_is_one_clear_line(staffed: Cli) -> None:
    refused = staffed("tasks", "--as", "nobody@x.test", ok=False)
    assert refused.returncode != 0 and "nobody@x.test" in refused.stderr
