"""The issue's "Done when", through the command line on both databases: a plan imported with a target
"within 6 months of publication" shows no target until ``dhrflow review milestone REF published --on DATE --as
COORDINATOR``, then the right one; ``dhrflow review show`` says where the review stands throughout."""

from __future__ import annotations

from pathlib import Path

from tests.cli import Cli, CliForker
from tests.unit.plan_builders import write_csv

REF = "DHR 2023-01"
COORDINATOR = "coordinator@bcsp.test"
PLAN = [
    ["Birmingham Community Safety Partnership (BCSP)"],
    [f"Domestic Homicide Review {REF} Action Plan"],
    ["Recommendation", "Scope", "Ref", "Action", "Lead Agency", "Target Date"],
    [
        "1. Officers recognise coercive control",
        "National",
        "1.1",
        "Brief officers",
        "Police",
        "Within 6 months of publication",
    ],
    ["", "", "1.2", "Audit reports", "Police", "31/03/2024"],
]


def test_a_target_counted_from_publication_has_no_date_until_published_then_the_right_one(
    database_url: str, tmp_path: Path, cli_forker: CliForker
) -> None:
    cli = Cli(tmp_path / "data", cli_forker)
    cli.env["DATABASE_URL"] = database_url
    cli("init")
    cli("import", str(write_csv(tmp_path / "plan.csv", PLAN)))
    cli("people", "add", "--name", "Cora Ord", "--email", COORDINATOR, "--role", "coordinator")

    [waiting] = [a for a in cli.json("actions", "--review", REF) if a["ref"] == "1.1"]  # type: ignore[union-attr]
    assert (waiting["target_date"], waiting["target_waits"]) == (None, "6 months after publication (not yet published)")
    assert "1.1  Police  6 months after publication (not yet published)" in cli("actions", "--review", REF).stdout
    shown = cli("review", "show", REF).stdout
    assert f"review {REF} (dardr, active): not yet submitted" in shown
    assert "targets counted from publication, not yet dated: 1" in shown
    assert "not yet submitted" in cli("reviews").stdout

    refused = cli(
        "review",
        "milestone",
        REF,
        "published",
        "--on",
        "2024-03-01",
        "--as",
        COORDINATOR,
        "--url",
        "https://bcsp.test/dhr-2023-01",
        ok=False,
    )
    assert refused.stderr.strip() == f"error: published needs report_submitted_to_home_office, not recorded for {REF}"
    cli("review", "milestone", REF, "report_submitted_to_home_office", "--on", "2023-11-20", "--as", COORDINATOR)
    early = cli(
        "review",
        "milestone",
        REF,
        "published",
        "--on",
        "2023-11-01",
        "--as",
        COORDINATOR,
        "--url",
        "https://bcsp.test/dhr-2023-01",
        ok=False,
    )
    assert "published on 2023-11-01 is before report_submitted_to_home_office on 2023-11-20" in early.stderr
    done = cli(
        "review",
        "milestone",
        REF,
        "published",
        "--on",
        "2024-03-01",
        "--as",
        COORDINATOR,
        "--url",
        "https://bcsp.test/dhr-2023-01",
    ).stdout
    assert done.splitlines() == [f"{REF}: Published on 2024-03-01", "  1.1: target date 2024-09-01"]

    dated = cli.json("show", "1.1", "--review", REF)
    assert (dated["target_date"], dated["target_waits"], dated["version"]) == ("2024-09-01", "", 1)  # type: ignore[index]
    assert (
        "Target Date: Within 6 months of publication (2024-09-01, 6 months after publication)"
        in cli("show", "1.1", "--review", REF).stdout
    )
    timeline = cli.json("review", "show", REF)
    assert timeline["standing"] == "published 2024-03-01"  # type: ignore[index]
    assert timeline["actions"]["awaiting_publication"] == 0  # type: ignore[index]
    published = [m for m in timeline["milestones"] if m["milestone"] == "published"]  # type: ignore[index]
    assert published == [
        {
            "milestone": "published",
            "label": "Published",
            "happened_on": "2024-03-01",
            "recorded_by": "Cora Ord",
            "url": "https://bcsp.test/dhr-2023-01",
            "points": [],
        }
    ]
    assert "BCSP: ok" in cli("log", "verify").stdout
