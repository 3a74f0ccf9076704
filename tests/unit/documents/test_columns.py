"""Columns are recognised by their header's wording, never by position; the rest is mapped with --map."""

from __future__ import annotations

import pytest

from documents.columns import FIELDS, field_for_header, read_header
from documents.errors import PlanImportError
from documents.importer import parse_mapping
from tests.unit.plan_builders import HEADER


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Ref", "ref"),
        ("Ref No", "ref"),
        ("No.", "ref"),
        ("Reference", "ref"),
        ("Action", "action"),
        ("Action (SMART)", "action"),
        ("SMART Action", "action"),
        ("Actions", "action"),
        ("Lead Officer and Agency", "lead"),
        ("Lead Agency", "lead"),
        ("Lead Officer", "lead"),
        ("Lead", "lead"),
        ("Responsible", "lead"),
        ("Target Date", "target_date_text"),
        ("Target Date for Completion", "target_date_text"),
        ("Completion Date", "target_date_text"),
        ("Deadline", "target_date_text"),
        ("Desired Outcome", "desired_outcome"),
        ("Outcome Sought", "desired_outcome"),
        ("Monitoring Arrangements", "monitoring"),
        ("Monitoring", "monitoring"),
        ("How will Success be Measured", "success_measure"),
        ("Success Measures", "success_measure"),
        ("Measure of Success", "success_measure"),
        ("Outcome/Progress", "outcome_progress"),
        ("Outcome/ Progress", "outcome_progress"),
        ("Progress", "outcome_progress"),
        ("Progress Update", "outcome_progress"),
        ("Written Evidence/ Location", "evidence_location"),
        ("Evidence", "evidence_location"),
        ("Evidence Location", "evidence_location"),
        ("Status (RAG)", "status_rag"),
        ("RAG", "status_rag"),
        ("Status", "status_rag"),
        ("Quality Assured by BCSP", "quality_assured_by"),
        ("Quality Assured by the Safer Stockport Partnership", "quality_assured_by"),
        ("Quality Assured", "quality_assured_by"),
        ("QA", "quality_assured_by"),
        ("Agency", "agency"),
        ("Organisation", "agency"),
    ],
)
def test_header_synonyms_name_their_field(header: str, field: str) -> None:
    assert field_for_header(header) == field


@pytest.mark.parametrize("header", ["ACTION (smart)", "outcome / progress", " Target  date ", "status-rag", "REF."])
def test_headers_match_whatever_their_case_spaces_and_punctuation(header: str) -> None:
    assert field_for_header(header) is not None


def test_a_header_no_synonym_knows_names_no_field() -> None:
    assert field_for_header("Comments") is None


def test_a_mapping_places_a_header_and_wins_over_the_synonyms() -> None:
    mapping = {"Comments": "extra", "Status": "outcome_progress"}
    assert field_for_header("comments", mapping) == "extra"
    assert field_for_header("Status", mapping) == "outcome_progress"


def test_mappable_fields_are_the_action_columns_plus_the_recommendations_own_completion_and_extra() -> None:
    assert set(FIELDS) == {
        "ref",
        "agency",
        "recommendation",
        "scope",
        "addressee",
        "completion",
        "extra",
        "action",
        "lead",
        "target_date_text",
        "desired_outcome",
        "monitoring",
        "success_measure",
        "outcome_progress",
        "evidence_location",
        "status_rag",
        "quality_assured_by",
    }


def test_the_seed_header_places_every_column() -> None:
    header = read_header(HEADER, None, source="plan.txt", location="line 17")
    assert header is not None
    assert header.ref == 0
    assert dict(header.columns)[1] == "action"
    assert dict(header.columns)[10] == "quality_assured_by"
    assert header.qa_header == "Quality Assured by BCSP"
    assert header.agency is None


def test_an_empty_trailing_header_cell_is_no_error() -> None:
    header = read_header([*HEADER, ""], None, source="plan.txt", location="line 23")
    assert header is not None
    assert header.width == 12
    assert header.unnamed == (11,)


def test_columns_are_found_wherever_they_stand() -> None:
    header = read_header(["Agency", "Target Date", "Action", "No."], None, source="plan.csv", location="line 3")
    assert header is not None
    assert (header.ref, header.agency) == (3, 0)
    assert dict(header.columns) == {1: "target_date_text", 2: "action"}


@pytest.mark.parametrize(
    "cells",
    [
        ["Recommendation 8: BSMHFT ensure that all risk assessments consider ..."],
        ["Ref", "Lead Officer", "Target Date"],
        ["3.1.1", "Action", "Lead"],
        ["Action Plan", "", ""],
    ],
)
def test_a_row_without_both_ref_and_action_columns_is_no_header(cells: list[str]) -> None:
    assert read_header(cells, None, source="plan.txt", location="line 1") is None


def test_an_unknown_header_cell_is_kept_verbatim_and_named_as_unknown() -> None:
    header = read_header(["Ref", "Action", "Comments", "Risk"], None, source="plan.txt", location="line 17")
    assert header is not None
    assert header.extras == ((2, "Comments"), (3, "Risk"))
    assert header.unknown == ("Comments", "Risk")


def test_two_unknown_headers_alike_are_told_apart_so_neither_column_is_lost() -> None:
    header = read_header(["Ref", "Action", "Notes", "Notes"], None, source="plan.txt", location="line 1")
    assert header is not None
    assert header.extras == ((2, "Notes"), (3, "Notes (2)"))


@pytest.mark.parametrize(
    ("spelling", "field"),
    [
        ("Evidence of Completion", "evidence_location"),
        ("Agency response", "outcome_progress"),
        ("Key milestones achieved in enacting recommendation", "outcome_progress"),
        ("Timescales", "target_date_text"),
    ],
)
def test_headers_real_plans_use_are_placed_by_synonym(spelling: str, field: str) -> None:
    header = read_header(["Ref", "Action", spelling], None, source="plan.txt", location="line 1")
    assert header is not None
    assert (2, field) in header.columns and header.unknown == ()


def test_a_mapped_header_is_kept_verbatim_as_an_extra_column() -> None:
    header = read_header(["Ref", "Action", "Comments"], {"Comments": "extra"}, source="p.txt", location="line 1")
    assert header is not None
    assert header.extras == ((2, "Comments"),)


def test_a_header_mapped_to_ref_makes_the_row_a_header() -> None:
    header = read_header(["Action No", "Action"], {"Action No": "ref"}, source="p.txt", location="line 1")
    assert header is not None
    assert header.ref == 0


def test_two_headers_of_the_same_field_are_refused() -> None:
    with pytest.raises(PlanImportError, match=r"'Lead Officer' and 'Responsible' both read as lead"):
        read_header(["Ref", "Action", "Lead Officer", "Responsible"], None, source="p.txt", location="line 4")


def test_lead_agency_beside_lead_officer_is_the_agency_and_the_other_the_lead() -> None:
    header = read_header(["Ref", "Action", "Lead Officer", "Lead Agency"], None, source="p.txt", location="line 4")
    assert header is not None
    assert (header.agency, (2, "lead") in header.columns, header.lead_agency) == (3, True, None)


def test_a_lead_agency_column_alone_may_name_the_agency_too() -> None:
    header = read_header(["Action", "Lead Agency", "Target Date"], None, source="p.txt", location="line 4")
    assert header is not None
    assert (header.agency, header.lead_agency, (1, "lead") in header.columns) == (None, 1, True)


def test_map_options_become_a_header_to_field_mapping() -> None:
    assert parse_mapping(["Comments=extra", " Action No = ref ", "A=B=agency"]) == {
        "Comments": "extra",
        "Action No": "ref",
        "A=B": "agency",
    }


@pytest.mark.parametrize("item", ["Comments", "=extra", "Comments=", "Comments=notes"])
def test_a_malformed_map_option_is_refused_naming_it(item: str) -> None:
    with pytest.raises(PlanImportError) as caught:
        parse_mapping([item])
    assert caught.value.source == "--map"
    assert repr(item) in str(caught.value)
    assert "\n" not in str(caught.value)
