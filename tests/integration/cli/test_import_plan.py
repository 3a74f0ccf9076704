"""``dhrflow import`` of plans in other layouts, as a coordinator runs it: remembered column mappings
(``--map``, ``dhrflow import mappings list|remove``), scope and reported completion in ``actions``,
milestones in ``show``, the plan's notes in ``reviews``."""

from __future__ import annotations

from pathlib import Path

from tests.cli import Cli
from tests.unit.plan_builders import REPO_ROOT, write_csv

OWNER_LAYOUT = [
    ["DHR 2022-07 Action Plan"],
    ["Ref", "Action", "Owner", "Agency"],
    ["1.1", "Brief officers", "DI Jones", "Police"],
]
TEMPLATE = [
    ["DHR 2021-02 Action Plan"],
    ["Recommendation", "Scope", "Action to take", "Lead Agency", "Target Date", "Date of completion and outcome"],
    ["1. Officers recognise coercive control", "Local", "Brief officers", "Police", "Q1 2021/22", ""],
    ["", "", "Audit reports", "Police", "2021/22", "Completed 14/03/2022: 40 reports audited"],
    ["2. GPs ask about abuse", "National", "Update the GP template", "NHS England", "End of March 2022", "TBC"],
]


def test_a_mapping_given_once_is_remembered_listed_and_removed(imported: Cli, tmp_path: Path) -> None:
    cli = imported
    first = cli(
        "import", str(write_csv(tmp_path / "a.csv", OWNER_LAYOUT)), "--partnership", "BCSP", "--map", "Owner=lead"
    )
    assert "changed: column 'Owner' remembered as lead" in first.stdout
    assert "Owner" in cli("import", "mappings", "list").stdout
    assert cli.json("import", "mappings", "list", "--json") == [{"header": "Owner", "field": "lead"}]
    second_plan = [OWNER_LAYOUT[0][0].replace("2022-07", "2022-08")], *OWNER_LAYOUT[1:]
    second = cli("import", str(write_csv(tmp_path / "b.csv", list(second_plan))), "--partnership", "BCSP")
    assert "imported BCSP DHR 2022-08: 1 added" in second.stdout
    assert "not one dhrflow knows" not in second.stdout  # placed as remembered, without asking
    assert cli.json("show", "1.1", "--review", "DHR 2022-08", "--json")["lead"] == "DI Jones"

    assert "forgot 'owner' (was read as lead)" in cli("import", "mappings", "remove", "owner").stdout
    assert "no column mappings remembered" in cli("import", "mappings", "list").stdout
    gone = cli("import", "mappings", "remove", "owner", ok=False)
    assert gone.stderr.strip() == "error: no column mapping for 'owner' in BCSP (remembered: none)"


def test_scope_and_reported_completion_are_listed_and_filtered(imported: Cli, tmp_path: Path) -> None:
    cli = imported
    out = cli("import", str(write_csv(tmp_path / "t.csv", TEMPLATE)), "--partnership", "BCSP").stdout
    assert "reported complete in the plan: 1.2 (imported open; dhrflow actions --reported-complete lists them)" in out
    national = cli.json("actions", "--scope", "national", "--json")
    assert [(a["review_ref"], a["ref"], a["scope"]) for a in national] == [("DHR 2021-02", "2.1", ["national"])]
    reported = cli.json("actions", "--reported-complete", "--json")
    assert [(a["ref"], a["state"], a["reported_complete_on"]) for a in reported] == [("1.2", "open", "2022-03-14")]
    shown = cli("show", "1.2", "--review", "DHR 2021-02").stdout
    assert "Reported complete in the plan: on 2022-03-14; assured only by the partnership's own decision" in shown
    assert "Scope: local" in shown
    reviews = cli("reviews").stdout
    assert "recommendations by scope: local 1, national 1" in reviews
    assert "reported complete in the plan, still to check: 1" in reviews
    bad = cli("actions", "--scope", "county", ok=False)
    assert bad.stderr.strip() == "error: --scope must be one of: local, regional, national"


def test_the_brent_plan_shows_its_milestones_and_the_panels_query(imported: Cli) -> None:
    cli = imported
    brent = REPO_ROOT / "tests" / "fixtures" / "real" / "brent-dhr-appendix3.xlsx"
    cli("import", str(brent), "--partnership", "BCSP", "--review", "Brent DHR")
    shown = cli("show", "1.1", "--review", "Brent DHR").stdout
    assert "Milestone 1: 2014-11-30 (November 14): To be reinforced for staff" in shown
    assert "Milestone 3: 2015-02-28 (Feb 14, read as the year after): Management oversight" in shown
    assert "Milestone 4: no date (Monthly): Regular Audit of cases throughout" in shown
    assert "note (sheet Appendix 3, row 4): Query from the Home Office" in cli("reviews").stdout
