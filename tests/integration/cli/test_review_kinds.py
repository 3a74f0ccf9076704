"""Review kinds at import, as a coordinator runs it: the kind read from the document's title, else given with
``--kind``, else a DARDR; a kind given against the title wins with a warning; an unknown one is one line naming the
kinds; and a kind added as a row of ``review_kind`` is read with no change of code."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.cli import Cli
from tests.paths import FIXTURES

SAR = FIXTURES / "kinds" / "sar-2021-22-01-action-plan.txt"
CSPR = FIXTURES / "kinds" / "cspr-2022-23-04-action-plan.txt"


def _kinds(cli: Cli) -> dict[str, dict[str, str] | None]:
    listed = cli.json("reviews")
    assert isinstance(listed, list)
    return {r["review_ref"]: r["kind"] for r in listed}


def test_a_sar_and_a_cspr_are_read_as_their_kinds_and_labelled_so(imported: Cli) -> None:
    cli = imported
    sar = cli("import", str(SAR), "--partnership", "BCSP")
    assert "imported BCSP SAR2021/22-01: 2 added" in sar.stdout
    assert "kind: Safeguarding Adults Review (SAR)" in sar.stdout
    cli("import", str(CSPR), "--partnership", "BCSP")
    kinds = _kinds(cli)
    assert kinds["SAR2021/22-01"] == {"key": "sar", "name": "Safeguarding Adults Review", "abbreviation": "SAR"}
    assert kinds["CSPR2022/23-04"] is not None and kinds["CSPR2022/23-04"]["key"] == "cspr"
    assert kinds["BDHR2011/12-03"] is not None and kinds["BDHR2011/12-03"]["abbreviation"] == "DARDR"
    listed = cli("reviews").stdout
    # Not yet submitted, and when it is due (40 working days after the import, today: the day moves with the clock).
    assert "review SAR2021/22-01 (active, Safeguarding Adults Review, not yet submitted (submission due by " in listed
    assert "review BDHR2011/12-03 (active, Domestic Abuse Related Death Review, not yet submitted (" in listed


def test_a_kind_given_against_the_title_wins_with_a_warning_and_an_unknown_one_is_refused(
    imported: Cli, tmp_path: Path
) -> None:
    cli = imported
    wrong = cli("import", str(SAR), "--partnership", "BCSP", "--kind", "scr", ok=False)
    assert wrong.returncode != 0 and wrong.stdout == ""
    assert wrong.stderr.strip() == "error: --kind 'scr' is not a review kind; the kinds are: cspr, dardr, sar"
    assert "SAR2021/22-01" not in _kinds(cli)  # nothing half written
    given = cli("import", str(SAR), "--partnership", "BCSP", "--kind", "cspr")
    assert "calls itself a 'Safeguarding Adults Review' (SAR): imported as a Child Safeguarding" in given.stdout
    assert _kinds(cli)["SAR2021/22-01"] == {
        "key": "cspr",
        "name": "Child Safeguarding Practice Review",
        "abbreviation": "CSPR",
    }
    untitled = tmp_path / "plain.txt"
    untitled.write_text(SAR.read_text().replace("Safeguarding Adults Review", "Learning Review").replace("SAR", "LR"))
    plain = cli("import", str(untitled), "--partnership", "BCSP", "--kind", "sar")
    assert "kind: Safeguarding Adults Review (SAR)" in plain.stdout


def test_a_kind_added_as_data_is_read_from_a_document_naming_it(imported: Cli, tmp_path: Path) -> None:
    cli = imported
    with sqlite3.connect(cli.data_dir / "dhrflow.db") as db:
        db.execute(
            "INSERT INTO review_kind (key, name, abbreviation, quality_assurer, aliases, vocabulary) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                "mhhr",
                "Mental Health Homicide Review",
                "MHHR",
                "NHS England",
                json.dumps(["Independent Mental Health Homicide Review"]),
                json.dumps({"submitted_to": "NHS England"}),
            ),
        )
    plan = tmp_path / "mhhr.txt"
    text = SAR.read_text().replace("Safeguarding Adults Review\n", "Independent Mental Health Homicide Review\n")
    plan.write_text(
        text.replace("Adult Social Care - Safeguarding Adults Review Action Plan", "Agency: Adult Social Care")
    )
    done = cli("import", str(plan), "--partnership", "BCSP")
    assert "kind: Mental Health Homicide Review (MHHR)" in done.stdout
    assert _kinds(cli)["SAR2021/22-01"] == {
        "key": "mhhr",
        "name": "Mental Health Homicide Review",
        "abbreviation": "MHHR",
    }
