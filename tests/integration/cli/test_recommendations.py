"""The recommendations commands and the national export as an operator and a coordinator type them."""

from __future__ import annotations

import csv
import io
import json

import jsonschema

from tests.cli import Cli
from tests.paths import REPO_ROOT

COORD = "coordinator@demo.invalid"
LEAD = "lead.wmp@demo.invalid"
REVIEW = "BDHR2011/12-03"
SCHEMA = json.loads((REPO_ROOT / "docs" / "schemas" / "national-recommendations.schema.json").read_text())


def test_recommendations_are_set_listed_and_exported_nationally(demo: Cli) -> None:
    cli = demo
    said = cli(
        "recommendation", "set", REVIEW, "11", "--scope", "national", "--addressee", "home office", "--as", COORD
    )
    assert said.stdout.splitlines() == [
        f"recommendation 11 of {REVIEW}: scope (none) -> national",
        f"recommendation 11 of {REVIEW}: addressee West Midlands Police -> Home Office",
    ]
    bad = cli("recommendation", "set", REVIEW, "11", "--scope", "Pan-London", "--as", COORD, ok=False)
    assert bad.stderr.strip() == "error: scope 'Pan-London' is not one of: local, regional, national"
    cli("recommendation", "set", REVIEW, "11", "--scope", "local", "--as", LEAD, ok=False)
    cli("recommendation", "set", REVIEW, "11", "--as", COORD, ok=False)
    cli("recommendations", "--scope", "county", ok=False)

    [listed] = cli.json("recommendations", "--scope", "national")  # type: ignore[misc]
    assert (listed["number"], listed["addressee"], listed["status"]) == ("11", "Home Office", "not_started")
    assert [a["ref"] for a in listed["actions"]] == ["3.11.1", "3.11.2"]
    table = cli("recommendations", "--review", REVIEW, "--scope", "national").stdout
    assert "status: not started: no action has started" in table and "actions: 3.11.1 open, 3.11.2 open" in table

    cli("recommendation", "not-accepted", REVIEW, "11", "--reason", "Covered by force policy", "--as", COORD)
    [refused] = cli.json("recommendations", "--status", "not accepted")  # type: ignore[misc]
    assert (refused["number"], refused["reason"]) == ("11", "Covered by force policy")
    cli("recommendation", "accepted", REVIEW, "11", "--as", COORD)
    again = cli("recommendation", "accepted", REVIEW, "11", "--as", COORD, ok=False)
    assert "not recorded as not accepted" in again.stderr

    document = json.loads(cli("export", "national", "--format", "json", "--out", "-").stdout)
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(document)
    assert [r["recommendation_number"] for r in document["recommendations"]] == ["11"]
    rows = list(csv.DictReader(io.StringIO(cli("export", "national", "--format", "csv", "--out", "-").stdout)))
    assert [(r["review_ref"], r["addressee"], r["published_on"]) for r in rows] == [(REVIEW, "Home Office", "")]
    assert cli("export", "national", "--all", "--out", "-").stdout == cli("export", "national", "--out", "-").stdout
    refused_all = cli("export", "national", "--all", "--as", COORD, ok=False)
    assert "operator" in refused_all.stderr
    cli("export", "national", "--as", LEAD, ok=False)
    cli("log", "verify")
