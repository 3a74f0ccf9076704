"""Plans whose tables have no Ref column: dhrflow numbers the actions itself, by the recommendation's number
and the action's place under it (1.1, 1.2, 2.1), or 1, 2, 3 where no recommendation is numbered; in every
format a plan comes in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from documents.errors import PlanImportError
from documents.importer import read_plan
from tests.unit.plan_builders import Merged, write_csv, write_docx, write_lines, write_xlsx

TITLE = "DHR 2019-04 Action Plan"
HEADER = ["Action", "Lead", "Agency", "Target Date"]
ROWS = [
    ["Recommendation 1: Officers recognise coercive control"],
    ["Brief every officer on coercive control", "DI Jones", "Police", "Apr-20"],
    ["Audit 40 domestic abuse reports", "DI Jones", "Police", "30/06/2020"],
    ["Recommendation 2: GPs ask about domestic abuse"],
    ["Add routine enquiry to the GP template", "Dr Patel", "NHS", "Q2 2020/21"],
]
NUMBERED = [
    ("1.1", "Brief every officer on coercive control", "Police"),
    ("1.2", "Audit 40 domestic abuse reports", "Police"),
    ("2.1", "Add routine enquiry to the GP template", "NHS"),
]
NO_REF_WARNING = (
    "this table has no Ref column: dhrflow numbers its actions (1.1, 1.2, 2.1 under numbered recommendations, "
    "else 1, 2, 3)"
)


def _csv(path: Path) -> Path:
    return write_csv(path.with_suffix(".csv"), [[TITLE], HEADER, *ROWS])


def _txt(path: Path) -> Path:
    return write_lines(path.with_suffix(".txt"), ["\t".join(row) for row in [[TITLE], HEADER, *ROWS]])


def _xlsx(path: Path) -> Path:
    rows = [[TITLE], HEADER, *ROWS]
    merged = [n for n, row in enumerate(rows, start=1) if len(row) == 1]
    return write_xlsx(path.with_suffix(".xlsx"), rows, merged_rows=merged)


def _docx(path: Path) -> Path:
    table = [HEADER, *[Merged(row[0]) if len(row) == 1 else row for row in ROWS]]
    return write_docx(path.with_suffix(".docx"), [TITLE, table])


@pytest.mark.parametrize("write", [_csv, _txt, _xlsx, _docx], ids=["csv", "txt", "xlsx", "docx"])
def test_a_table_without_refs_is_numbered_by_recommendation_and_place(
    tmp_path: Path, write: Callable[[Path], Path]
) -> None:
    draft = read_plan(write(tmp_path / "plan"))
    assert [(a.ref, a.columns.action, a.agency) for a in draft.actions] == NUMBERED
    assert [r.text.split(":")[0] for r in draft.recommendations] == ["Recommendation 1", "Recommendation 2"]
    assert NO_REF_WARNING in [w.message for w in draft.warnings]
    assert draft.review_ref == "DHR 2019-04"


def test_without_numbered_recommendations_the_actions_are_numbered_1_2_3(tmp_path: Path) -> None:
    rows = [
        [TITLE],
        ["Action", "Lead", "Agency"],
        ["Brief officers", "DI Jones", "Police"],
        ["Audit", "Dr Patel", "NHS"],
    ]
    draft = read_plan(write_csv(tmp_path / "plan.csv", rows))
    assert [a.ref for a in draft.actions] == ["1", "2"]


def test_a_row_without_action_text_in_a_table_without_refs_is_refused_clearly(tmp_path: Path) -> None:
    rows = [[TITLE], ["Action", "Lead", "Agency"], ["Brief officers", "DI Jones", "Police"], ["", "Dr Patel", "NHS"]]
    with pytest.raises(PlanImportError, match="line 4: row has text but no action text"):
        read_plan(write_csv(tmp_path / "plan.csv", rows))


def test_a_row_naming_action_and_one_other_column_is_not_taken_for_a_header(tmp_path: Path) -> None:
    rows = [[TITLE], ["Action", "Lead"], ["Brief officers", "DI Jones"]]
    with pytest.raises(PlanImportError, match="no header row found"):
        read_plan(write_csv(tmp_path / "plan.csv", rows))


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Domestic Homicide Review 7 - action plan", "Domestic Homicide Review 7"),
        ("Action Plan: DHR 'Sarah'", "DHR 'Sarah'"),
        ("Domestic Abuse Related Death Review into the death of Adult A: Multi-agency Action Plan",
         "Domestic Abuse Related Death Review into the death of Adult A"),
    ],
)  # fmt: skip
def test_a_review_named_without_a_code_is_named_as_the_plan_names_it(tmp_path: Path, title: str, name: str) -> None:
    draft = read_plan(write_csv(tmp_path / "plan.csv", [[title], HEADER, ROWS[1]]))
    assert draft.review_ref == name
    assert f"the plan gives no review code: the review is named {name!r} (--review REF names it)" in [
        w.message for w in draft.warnings
    ]


def test_a_plan_naming_no_review_asks_for_one_and_takes_the_one_given(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "plan.csv", [["Appendix B Multi-agency Action Plan"], HEADER, ROWS[1]])
    with pytest.raises(PlanImportError, match=r"give the review's reference \(--review REF"):
        read_plan(path)
    assert read_plan(path, review_ref="DHR Sarah").review_ref == "DHR Sarah"


def test_a_review_given_that_differs_from_the_plans_code_is_refused(tmp_path: Path) -> None:
    path = _csv(tmp_path / "plan")
    assert read_plan(path, review_ref="dhr 2019-04").review_ref == "DHR 2019-04"
    with pytest.raises(PlanImportError, match="the plan is review DHR 2019-04's, not DHR 2020-01's"):
        read_plan(path, review_ref="DHR 2020-01")


def test_in_a_single_table_plan_the_lead_agency_column_names_each_rows_agency(tmp_path: Path) -> None:
    rows = [
        [TITLE],
        ["Recommendation", "Lead Agency", "Action", "Target Date"],
        ["", "Police", "Brief officers", "Apr-20"],
        ["", "Brent Children's Social Care", "Audit assessments", "May-20"],
    ]
    draft = read_plan(write_csv(tmp_path / "plan.csv", rows))
    assert [(a.agency, a.columns.lead) for a in draft.actions] == [
        ("Police", "Police"),
        ("Brent Children's Social Care", "Brent Children's Social Care"),
    ]


def test_under_an_agency_title_a_lead_agency_column_stays_the_lead(tmp_path: Path) -> None:
    rows = [
        [TITLE],
        ["West Midlands Police"],
        ["Action", "Lead Agency", "Target Date"],
        ["Brief officers", "DI Jones", "Apr-20"],
    ]
    draft = read_plan(write_csv(tmp_path / "plan.csv", rows))
    assert [(a.agency, a.columns.lead) for a in draft.actions] == [("West Midlands Police", "DI Jones")]
