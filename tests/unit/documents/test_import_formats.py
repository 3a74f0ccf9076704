"""Word, Excel and CSV plans give the same kind of draft as the text seed, whatever their layout."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path

import pytest

from documents.importer import read_plan
from documents.plan import ActionDraft, PlanDraft
from domain.model import Route
from tests.unit.plan_builders import (
    HEADER,
    SEED_PLAN,
    Block,
    Merged,
    TableRow,
    VerticalMerge,
    action_row,
    seed_as_docx,
    seed_lines,
    write_csv,
    write_docx,
    write_xlsx,
)

TITLE_BLOCK = ["Birmingham Community Safety Partnership", "Domestic Homicide Review DHR 2019-04 Action Plan", ""]
FINAL_AUDIT = "To be verified on final audit"
COMMISSIONERS = "To be verified by commissioners"


def without_location(action: ActionDraft) -> ActionDraft:
    return dataclasses.replace(action, location="")


def summary(draft: PlanDraft) -> list[tuple[str, str, str | None, date | None, Route]]:
    """Per action: ref, agency, the text of its recommendation, target date, route."""
    return [
        (
            action.ref,
            action.agency,
            None if action.recommendation is None else draft.recommendations[action.recommendation].text,
            action.target_date,
            action.route,
        )
        for action in draft.actions
    ]


@pytest.fixture(scope="module")
def seed() -> PlanDraft:
    return read_plan(SEED_PLAN)


# -- Word ------------------------------------------------------------------------------------


def test_the_seed_as_a_word_document_gives_the_same_plan_as_the_text(tmp_path: Path, seed: PlanDraft) -> None:
    draft = read_plan(seed_as_docx(tmp_path / "seed.docx"))
    assert (draft.review_ref, draft.partnership_name, draft.partnership_short_name, draft.title) == (
        seed.review_ref,
        seed.partnership_name,
        seed.partnership_short_name,
        seed.title,
    )
    assert draft.agencies == seed.agencies
    assert [without_location(a) for a in draft.actions] == [without_location(a) for a in seed.actions]
    assert [r.text for r in draft.recommendations] == [r.text for r in seed.recommendations]
    assert [w.message for w in draft.warnings] == [w.message for w in seed.warnings]
    assert draft.actions[0].location == "table 1, row 3"
    assert draft.recommendations[0].location == "table 1, row 2"


def test_word_tables_per_agency_with_merged_recommendation_and_route_cells(tmp_path: Path) -> None:
    """Titles are paragraphs; a recommendation row is one cell merged across; the route cell is merged down."""
    police: list[TableRow] = [
        HEADER,
        Merged("Recommendation 11: officers complete a WC392"),
        action_row("3.11.1", "Message of the day", target="Jun-13", qa=COMMISSIONERS),
        action_row("3.11.2", "Audit by Partnership Inspectors", target="Sep-13"),
    ]
    care: list[TableRow] = [
        HEADER,
        action_row("3.2.1", "Advise social work teams", target="Jan-13", qa=FINAL_AUDIT),
        action_row("3.2.2", "Introduce carers champions", target="Dec-13"),
        Merged("Recommendations 5, 7 and 10: Improved record keeping"),
        action_row("3.5.2", "Enable access to records", target="30/11/2013"),
    ]
    path = write_docx(
        tmp_path / "plan.docx",
        [
            *TITLE_BLOCK,
            "West Midlands Police - Domestic Homicide Review Action Plan DHR 2019-04",
            police,
            "",
            "Birmingham City Council Adult Social Care",
            care,
        ],
        merges=[[VerticalMerge(column=10, first=2, last=3)], [VerticalMerge(column=10, first=1, last=2)]],
    )
    draft = read_plan(path)
    assert draft.review_ref == "DHR 2019-04"
    assert draft.title == "Domestic Homicide Review DHR 2019-04 Action Plan"
    assert summary(draft) == [
        (
            "3.11.1",
            "West Midlands Police",
            "Recommendation 11: officers complete a WC392",
            date(2013, 6, 30),
            Route.COMMISSIONER,
        ),
        (
            "3.11.2",
            "West Midlands Police",
            "Recommendation 11: officers complete a WC392",
            date(2013, 9, 30),
            Route.COMMISSIONER,
        ),
        ("3.2.1", "Birmingham City Council Adult Social Care", None, date(2013, 1, 31), Route.FINAL_AUDIT),
        ("3.2.2", "Birmingham City Council Adult Social Care", None, date(2013, 12, 31), Route.FINAL_AUDIT),
        (
            "3.5.2",
            "Birmingham City Council Adult Social Care",
            "Recommendations 5, 7 and 10: Improved record keeping",
            date(2013, 11, 30),
            Route.FINAL_AUDIT,
        ),
    ]
    assert draft.actions[1].columns.quality_assured_by == COMMISSIONERS, "a merged cell repeats its text"
    assert draft.actions[3].columns.quality_assured_by == FINAL_AUDIT
    assert draft.actions[4].columns.quality_assured_by == "", "an empty cell below inherits the route, not the text"
    assert draft.actions[4].location == "table 2, row 5"
    assert draft.warnings == []


def test_a_word_table_for_all_agencies_takes_each_agency_from_its_column(tmp_path: Path) -> None:
    header = ["Agency", *HEADER]
    rows: list[TableRow] = [
        header,
        Merged("Recommendation 1: Agencies record carers"),
        ["West Midlands Police", *action_row("1.1", "Brief officers", target="Jun-13", qa=COMMISSIONERS)],
        ["", *action_row("1.2", "Audit the briefing", target="Sep-13")],
        ["NHS", *action_row("1.3", "Update the contract", target="Dec-13", qa=FINAL_AUDIT)],
    ]
    draft = read_plan(write_docx(tmp_path / "one-table.docx", [*TITLE_BLOCK, rows]))
    assert draft.agencies == ["West Midlands Police", "NHS"]
    assert [(a.ref, a.agency, a.route) for a in draft.actions] == [
        ("1.1", "West Midlands Police", Route.COMMISSIONER),
        ("1.2", "West Midlands Police", Route.COMMISSIONER),
        ("1.3", "NHS", Route.FINAL_AUDIT),
    ]
    assert {a.recommendation for a in draft.actions} == {0}
    assert draft.partnership_name == "Birmingham Community Safety Partnership"


def test_word_headers_written_with_synonyms_are_recognised(tmp_path: Path) -> None:
    header = ["No.", "SMART Action", "Lead Agency", "Target Date", "Outcome/ Progress", "RAG", "QA"]
    rows: list[TableRow] = [
        header,
        ["1.1", "Review the carers policy", "NHS Trust - Carers Lead", "31/03/2020", "Drafted", "Amber", COMMISSIONERS],
    ]
    draft = read_plan(write_docx(tmp_path / "synonyms.docx", [*TITLE_BLOCK, "Agency: Solihull NHS Trust", rows]))
    (action,) = draft.actions
    assert action.agency == "Solihull NHS Trust"
    assert (action.columns.action, action.columns.lead, action.columns.outcome_progress, action.columns.status_rag) == (
        "Review the carers policy",
        "NHS Trust - Carers Lead",
        "Drafted",
        "Amber",
    )
    assert action.target_date == date(2020, 3, 31)
    assert draft.partnership_short_name == "BCSP", "the initials of the partnership's name"


def test_word_tables_one_per_recommendation_keep_the_agency_and_group_the_actions(tmp_path: Path) -> None:
    blocks: list[Block] = [
        *TITLE_BLOCK,
        "NHS - Domestic Homicide Review Action Plan",
        "Recommendation 1: Commissioners promote best practice",
        [HEADER, action_row("1.1", "Audit the contracts", qa=FINAL_AUDIT)],
        "Recommendation 2: Providers support carers",
        [HEADER, action_row("2.1", "Train the staff")],
    ]
    draft = read_plan(write_docx(tmp_path / "per-recommendation.docx", blocks))
    assert summary(draft) == [
        ("1.1", "NHS", "Recommendation 1: Commissioners promote best practice", None, Route.FINAL_AUDIT),
        ("2.1", "NHS", "Recommendation 2: Providers support carers", None, Route.FINAL_AUDIT),
    ]
    assert draft.recommendations[0].location == "paragraph 5"


# -- Excel -----------------------------------------------------------------------------------


def test_an_excel_sheet_with_title_rows_a_merged_recommendation_and_date_cells(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Birmingham Community Safety Partnership"],
        ["Domestic Homicide Review DHR 2019-04 Action Plan"],
        [],
        ["West Midlands Police - Domestic Homicide Review Action Plan"],
        [*HEADER],
        ["Recommendation 11: officers complete a WC392"],
        [*action_row("3.11.1", "Message of the day", qa=COMMISSIONERS)],
        [*action_row("3.11.2", "Audit by Partnership Inspectors", target="Sep-13")],
        [*action_row("3.11.3", "Report to the board")],
    ]
    rows[6][3] = datetime(2013, 11, 30)
    rows[8][3] = datetime(2014, 4, 1)  # what Excel stores when "Apr-14" is typed
    path = write_xlsx(
        tmp_path / "plan.xlsx",
        rows,
        merged_rows=[6],
        number_formats={"D7": "dd/mm/yyyy", "D9": "mmm-yy"},
    )
    draft = read_plan(path)
    assert draft.review_ref == "DHR 2019-04"
    assert [(a.ref, a.target_date, a.columns.target_date_text) for a in draft.actions] == [
        ("3.11.1", date(2013, 11, 30), "30/11/2013"),
        ("3.11.2", date(2013, 9, 30), "Sep-13"),
        ("3.11.3", date(2014, 4, 30), "Apr-14"),
    ]
    assert {a.recommendation for a in draft.actions} == {0}
    assert draft.recommendations[0].location == "sheet Plan, row 6"
    assert draft.actions[0].location == "sheet Plan, row 7"
    assert {a.agency for a in draft.actions} == {"West Midlands Police"}
    assert {a.route for a in draft.actions} == {Route.COMMISSIONER}


def test_the_seed_as_an_excel_sheet_gives_the_same_actions_as_the_text(tmp_path: Path, seed: PlanDraft) -> None:
    path = write_xlsx(tmp_path / "seed.xlsx", [line.split("\t") for line in seed_lines()])
    draft = read_plan(path)
    assert [without_location(a) for a in draft.actions] == [without_location(a) for a in seed.actions]
    assert draft.actions[0].location == "sheet Plan, row 19"


# -- CSV -------------------------------------------------------------------------------------


def test_a_semicolon_csv_with_title_rows(tmp_path: Path) -> None:
    rows = [
        ["Birmingham Community Safety Partnership"],
        ["Domestic Homicide Review DHR 2019-04 Action Plan"],
        [],
        ["Agency", "Ref", "Action", "Lead Officer", "Target Date", "Status"],
        ["West Midlands Police", "1.1", "Brief officers; record the use of s136", "DCI", "Jun-13", ""],
        ["Recommendation 2: the trust audits, quarterly, its care plans"],
        ["BSMHFT", "2.1", 'Audit "care plans", quarterly', "CPA Lead", "30.11.2013", "Green"],
    ]
    path = write_csv(tmp_path / "plan.csv", rows, delimiter=";")
    draft = read_plan(path, partnership_short_name="BCSP")
    assert [(a.ref, a.agency, a.columns.action, a.target_date) for a in draft.actions] == [
        ("1.1", "West Midlands Police", "Brief officers; record the use of s136", date(2013, 6, 30)),
        ("2.1", "BSMHFT", 'Audit "care plans", quarterly', date(2013, 11, 30)),
    ]
    assert draft.actions[1].recommendation == 0
    assert draft.actions[1].location == "line 7"
    assert draft.partnership_short_name == "BCSP"
    assert [w.message for w in draft.warnings] == [
        "no route given for 1.1, 2.1: defaulted to commissioner verification (the stricter check)"
    ]


def test_a_comma_csv_with_commas_inside_quoted_cells(tmp_path: Path) -> None:
    rows = [
        ["Domestic Homicide Review SAR/2020/01 Action Plan", "", "", ""],
        ["West Midlands Police", "", "", ""],
        ["Ref", "Action", "Target Date", "Quality Assured by BCSP"],
        ["1.1", "Brief officers, sergeants and inspectors", "April 2014", FINAL_AUDIT],
        ["1.2", "Audit, then report", "", ""],
    ]
    draft = read_plan(write_csv(tmp_path / "plan.csv", rows))
    assert draft.review_ref == "SAR/2020/01"
    assert [(a.ref, a.columns.action, a.route) for a in draft.actions] == [
        ("1.1", "Brief officers, sergeants and inspectors", Route.FINAL_AUDIT),
        ("1.2", "Audit, then report", Route.FINAL_AUDIT),
    ]
    assert draft.agencies == ["West Midlands Police"]


def test_a_mapped_column_is_kept_verbatim_under_its_header(tmp_path: Path) -> None:
    rows = [
        ["DHR 2019-04"],
        ["West Midlands Police"],
        ["Ref", "Action", "Comments"],
        ["1.1", "Brief officers", "see the minutes of 3 May"],
    ]
    draft = read_plan(write_csv(tmp_path / "plan.csv", rows), mapping={"comments": "extra"})
    assert draft.actions[0].columns.extra == {"Comments": "see the minutes of 3 May"}
