"""The two real published plans of ``shared/fixtures/real`` (copied to ``tests/fixtures/real`` so that any
clone has them; see the README there for how they should read), and the Home Office template's layout
they share: one table for all agencies, no Ref column, the recommendation written in a column of the row."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from documents.dates import read_milestones
from documents.importer import read_plan
from domain.model import Scope
from tests.unit.plan_builders import REPO_ROOT, write_csv

REAL = REPO_ROOT / "tests" / "fixtures" / "real"
SHARED_REAL = REPO_ROOT.parent / "shared" / "fixtures" / "real"


def _real(name: str) -> Path:
    return REAL / name


def test_the_copies_are_the_shared_fixtures_where_shared_sits_beside_the_repository() -> None:
    for copy in REAL.iterdir():
        shared = SHARED_REAL / copy.name
        if shared.is_file():
            assert copy.read_bytes() == shared.read_bytes(), f"{copy} differs from {shared}"


def test_tower_hamlets_dhr7_gives_three_actions_under_three_recommendations_for_two_agencies() -> None:
    draft = read_plan(_real("tower-hamlets-dhr7.txt"), partnership_short_name="THCSP")
    assert draft.review_ref == "Domestic Homicide Review 7"
    assert [a.ref for a in draft.actions] == ["1", "2", "3"]
    assert len(draft.recommendations) == 3 and [a.recommendation for a in draft.actions] == [0, 1, 2]
    assert {a.agency for a in draft.actions} == {"MPS", "LBTH Adult social care"}
    assert all(a.target_date is None for a in draft.actions)
    assert draft.actions[0].columns.extra["Column 2"] == "Tower Hamlets Police"  # the unheaded column, kept
    assert draft.actions[0].columns.outcome_progress.startswith("Dip sample search created")


def test_brent_appendix_3_gives_one_recommendation_for_its_agency_and_leaves_the_panels_query_out() -> None:
    draft = read_plan(_real("brent-dhr-appendix3.xlsx"), partnership_short_name="BSCP", review_ref="Brent DHR")
    assert draft.review_ref == "Brent DHR"
    [action] = draft.actions
    assert (action.ref, action.agency) == ("1.1", "Brent Children’s Social Care")
    assert [r.text[:10] for r in draft.recommendations] == ["1. When a "]
    assert draft.recommendations[0].scope == (Scope.LOCAL,)
    assert "Scope of recommendation i.e. local or regional" not in action.columns.extra  # a field, not a column
    messages = [w.message for w in draft.warnings]
    assert any(m.startswith("a query of the Home Office quality-assurance panel") for m in messages)


def test_brent_keeps_the_panels_query_and_its_answer_as_a_note_of_the_plan() -> None:
    draft = read_plan(_real("brent-dhr-appendix3.xlsx"), partnership_short_name="BSCP", review_ref="Brent DHR")
    [note] = draft.notes
    assert note.location == "sheet Appendix 3, row 4"
    assert note.text.startswith("Query from the Home Office: ‘The Nursing and Midwifery Council")
    assert note.text.endswith("| Letter from NMC has been attached as appendix 5")


def test_brent_four_steps_in_one_cell_are_milestones_and_feb_14_after_december_14_is_2015() -> None:
    draft = read_plan(_real("brent-dhr-appendix3.xlsx"), partnership_short_name="BSCP", review_ref="Brent DHR")
    [action] = draft.actions
    steps, moved = read_milestones(action.columns.target_date_text, action.columns.action)
    assert [(s.label[:22], s.due) for s in steps] == [
        ("To be reinforced for s", date(2014, 11, 30)),
        ("Guidance to be cascade", date(2014, 12, 31)),
        ("Management oversight o", date(2015, 2, 28)),
        ("Regular Audit of cases", None),
    ]
    assert [s.moved_to_next_year for s in steps] == [False, False, True, False]
    assert action.target_date == date(2015, 2, 28)  # the last dated step
    assert "milestone 'Feb 14' comes before the one above it: read as 28/02/2015, the year after" in [
        w.message for w in draft.warnings
    ]
    assert moved == ["milestone 'Feb 14' comes before the one above it: read as 28/02/2015, the year after"]


def test_tower_hamlets_actions_are_reported_complete_in_october_2016_and_still_open() -> None:
    draft = read_plan(_real("tower-hamlets-dhr7.txt"), partnership_short_name="THCSP")
    assert all(a.reported_complete for a in draft.actions)
    assert {(a.reported_complete_on or date.min).strftime("%Y-%m") for a in draft.actions} == {"2016-10"}
    assert any("the plan reports 3 action(s) complete (1, 2, 3)" in w.message for w in draft.warnings)


def test_a_recommendation_in_a_column_of_the_row_carries_down_through_blank_cells(tmp_path: Path) -> None:
    rows = [
        ["DHR 2021-02 Action Plan"],
        ["Recommendation", "Scope", "Action", "Lead Agency", "Target Date"],
        ["", "Local, regional, or national level?", "", "", "dd/mm/yyyy"],  # the template's guidance row
        ["1. Officers recognise coercive control", "Local", "Brief officers", "Police", "Q1 2021/22"],
        ["", "", "Audit reports", "Police", "2021/22"],
        ["2. GPs ask about abuse", "National", "Update the GP template", "NHS England", "End of March 2022"],
    ]
    draft = read_plan(write_csv(tmp_path / "plan.csv", rows), partnership_short_name="XCSP")
    assert [(a.ref, a.agency, str(a.target_date)) for a in draft.actions] == [
        ("1.1", "Police", "2021-06-30"),
        ("1.2", "Police", "2022-03-31"),
        ("2.1", "NHS England", "2022-03-31"),
    ]
    assert [r.text for r in draft.recommendations] == [
        "1. Officers recognise coercive control",
        "2. GPs ask about abuse",
    ]
