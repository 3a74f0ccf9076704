"""The canonical seed plan imports whole and verbatim; its anomalies come back as warnings."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from documents.importer import read_plan
from documents.plan import PlanDraft
from domain.model import Route
from tests.unit.plan_builders import SEED_PLAN, SEED_REFS, seed_lines, seed_variant, write_lines

BSMHFT = "Birmingham & Solihull Mental Health Foundation Trust (BSMHFT)"


@pytest.fixture(scope="module")
def seed() -> PlanDraft:
    return read_plan(SEED_PLAN)


def by_ref(draft: PlanDraft) -> dict[str, object]:
    return {action.ref: action for action in draft.actions}


def test_seed_names_its_review_and_partnership(seed: PlanDraft) -> None:
    assert seed.review_ref == "BDHR2011/12-03"
    assert seed.partnership_name == "Birmingham Community Safety Partnership"
    assert seed.partnership_short_name == "BCSP"
    assert seed.title == "Domestic Homicide Review BDHR2011/12-03 Action Plan"


def test_seed_records_its_file_name_and_digest(seed: PlanDraft) -> None:
    assert seed.source_name == "bdhr-2011-12-03-action-plan.txt"
    assert seed.source_sha256 == hashlib.sha256(SEED_PLAN.read_bytes()).hexdigest()


def test_seed_has_four_agencies_in_section_order(seed: PlanDraft) -> None:
    assert seed.agencies == [
        "NHS",
        BSMHFT,
        "Birmingham City Council Adult Social Care",
        "West Midlands Police",
    ]


def test_seed_has_thirteen_actions_in_file_order(seed: PlanDraft) -> None:
    assert [action.ref for action in seed.actions] == SEED_REFS


def test_each_seed_action_belongs_to_its_section_agency(seed: PlanDraft) -> None:
    agencies = {action.ref: action.agency for action in seed.actions}
    assert agencies["3.1.2"] == "NHS"
    assert agencies["3.9.1"] == BSMHFT
    assert agencies["3.5.2"] == "Birmingham City Council Adult Social Care"
    assert agencies["3.11.1"] == "West Midlands Police"


def test_seed_actions_sit_under_the_grouping_row_above_them(seed: PlanDraft) -> None:
    def grouping(ref: str) -> str | None:
        index = next(action.recommendation for action in seed.actions if action.ref == ref)
        return None if index is None else seed.recommendations[index].text

    theme = grouping("3.1.1")
    assert theme is not None
    assert theme.startswith("Key stakeholders, local Clinical Commissioning Group (CCG)")
    assert grouping("3.1.2") == theme
    assert grouping("3.2.3") is None
    assert grouping("3.2.4") is None
    assert (grouping("3.5.1") or "").startswith("Recommendations 5, 7 and 10: Improved record keeping")
    assert (grouping("3.8.1") or "").startswith("Recommendation 8: BSMHFT ensure")
    assert grouping("3.8.2") == grouping("3.8.1")
    assert (grouping("3.9.1") or "").startswith("Recommendation 9:")
    assert grouping("3.2.1") is None, "a new section starts without a recommendation"
    assert grouping("3.5.2") == grouping("3.5.1"), "the same recommendation row in two sections is one recommendation"
    assert (grouping("3.11.2") or "").startswith("Recommendation 11: West Midlands Police")


def test_seed_recommendations_are_kept_verbatim_once_each(seed: PlanDraft) -> None:
    lines = seed_lines()
    assert [(r.location, r.text) for r in seed.recommendations] == [
        (f"line {n}", lines[n - 1].rstrip("\t")) for n in (18, 26, 28, 31, 43)
    ]


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("3.1.1", date(2014, 4, 30)),
        ("3.1.2", date(2013, 11, 30)),
        ("3.2.4", date(2013, 12, 31)),
        ("3.2.1", date(2013, 1, 31)),
        ("3.11.1", date(2013, 6, 30)),
        ("3.11.2", date(2013, 9, 30)),
    ],
)
def test_seed_target_dates(seed: PlanDraft, ref: str, expected: date) -> None:
    action = next(action for action in seed.actions if action.ref == ref)
    assert action.target_date == expected


def test_seed_routes_follow_the_quality_assured_column_and_its_merged_cells(seed: PlanDraft) -> None:
    routes = {action.ref: action.route for action in seed.actions}
    final_audit = {"3.1.1", "3.1.2", "3.2.1", "3.2.2", "3.5.2"}
    assert {ref for ref, route in routes.items() if route is Route.FINAL_AUDIT} == final_audit
    assert {ref for ref, route in routes.items() if route is Route.COMMISSIONER} == set(SEED_REFS) - final_audit


def test_seed_cells_are_kept_exactly_as_written(seed: PlanDraft) -> None:
    lines = seed_lines()
    actions = {action.ref: action for action in seed.actions}
    assert actions["3.1.2"].columns.action == lines[19].split("\t")[1]
    assert actions["3.2.4"].columns.action == (
        "Carers team to do a desk top impact assessment of current clinical policies to ensure no adverse impact "
        "for this group and identify a oplan of action as necessary."
    )
    assert "accessed the the multi agency team" in actions["3.5.2"].columns.desired_outcome
    assert actions["3.2.3"].columns.action.startswith("BSMFHT will (i) record details of carers")
    assert actions["3.11.1"].columns.action.endswith(
        "(IMS) .This will coincide with Mental Health Awareness Week in May 2013"
    )
    assert actions["3.1.1"].columns.target_date_text == "Apr-14"
    assert actions["3.1.1"].columns.quality_assured_by == "To be verified on final audit"
    assert actions["3.1.2"].columns.quality_assured_by == "", "an empty cell stays empty; only the route is inherited"
    assert actions["3.8.2"].columns.desired_outcome == ""
    assert actions["3.11.2"].columns.lead == "West Midlands Police Detective Chief Inspector"


def test_every_seed_column_lands_in_its_field(seed: PlanDraft) -> None:
    cells = seed_lines()[35].split("\t")  # 3.2.1
    columns = next(action for action in seed.actions if action.ref == "3.2.1").columns
    assert [
        columns.action,
        columns.lead,
        columns.target_date_text,
        columns.desired_outcome,
        columns.monitoring,
        columns.success_measure,
        columns.outcome_progress,
        columns.evidence_location,
        columns.status_rag,
        columns.quality_assured_by,
    ] == cells[1:]
    assert columns.extra == {}


def test_seed_actions_point_at_their_lines(seed: PlanDraft) -> None:
    assert [action.location for action in seed.actions][:3] == ["line 19", "line 20", "line 24"]
    assert seed.actions[-1].location == "line 45"


def test_seed_warns_only_about_the_misspelt_agency(seed: PlanDraft) -> None:
    assert [str(warning) for warning in seed.warnings] == [
        "line 24: 'BSMFHT' looks like a misspelling of agency 'BSMHFT' (kept as written)"
    ]


def test_seed_as_shipped_has_no_count_line_so_no_count_warning(seed: PlanDraft) -> None:
    assert not SEED_PLAN.read_bytes().endswith(b"total 12")
    assert not [warning for warning in seed.warnings if "actions found" in warning.message]


def test_a_stray_total_that_disagrees_with_the_actions_found_is_reported(tmp_path: Path) -> None:
    lines = seed_lines()
    lines[-1] += "\ttotal 12"
    draft = read_plan(write_lines(tmp_path / "with-total.txt", lines))
    assert len(draft.actions) == 13
    assert "line 45: 'total 12' but 13 actions found" in [str(warning) for warning in draft.warnings]


def test_a_total_typed_onto_the_end_of_the_last_line_is_a_count_not_quality_assurance(tmp_path: Path) -> None:
    lines = seed_lines()
    assert lines[-1].endswith("\t\t"), "the last row's Status and Quality Assured cells are empty"
    lines[-1] += "total 12"
    draft = read_plan(write_lines(tmp_path / "with-total.txt", lines))
    last = draft.actions[-1]
    assert (last.ref, len(draft.actions)) == ("3.11.2", 13)
    assert last.columns.quality_assured_by == "", "the count is moved out of the column"
    assert last.columns.status_rag == ""
    assert last.route is Route.COMMISSIONER, "inherited from 3.11.1 as for an empty cell"
    warnings = [str(warning) for warning in draft.warnings]
    assert "line 45: 'total 12' but 13 actions found" in warnings
    assert (
        "line 45: 'total 12' ends the last action row, in column 11 (Quality Assured by BCSP): "
        "read as a count line and moved out of that column"
    ) in warnings
    assert not [warning for warning in warnings if "names no route" in warning]


def test_a_total_typed_onto_the_last_line_that_agrees_gives_no_count_warning(tmp_path: Path) -> None:
    lines = seed_lines()
    lines[-1] += "total 13"
    draft = read_plan(write_lines(tmp_path / "with-total.txt", lines))
    assert draft.actions[-1].columns.quality_assured_by == ""
    assert not [warning for warning in draft.warnings if "actions found" in warning.message]
    assert [str(warning) for warning in draft.warnings] == [
        "line 24: 'BSMFHT' looks like a misspelling of agency 'BSMHFT' (kept as written)",
        "line 45: 'total 13' ends the last action row, in column 11 (Quality Assured by BCSP): "
        "read as a count line and moved out of that column",
    ]


def test_a_count_in_a_cell_of_an_earlier_action_row_is_kept_as_written(tmp_path: Path) -> None:
    lines = seed_lines()
    assert lines[43].startswith("3.11.1\t")
    cells = lines[43].split("\t")
    cells[10] = "total 12"  # 3.11.1's Quality Assured cell, the last of its row
    lines[43] = "\t".join(cells)
    draft = read_plan(write_lines(tmp_path / "qa-total.txt", lines))
    action = next(action for action in draft.actions if action.ref == "3.11.1")
    assert action.columns.quality_assured_by == "total 12"
    assert not [warning for warning in draft.warnings if "actions found" in warning.message]


@pytest.mark.parametrize("count_line", ["Total: 13", "13 actions in total", "total 13"])
def test_a_count_line_that_agrees_gives_no_warning(tmp_path: Path, count_line: str) -> None:
    draft = read_plan(write_lines(tmp_path / "counted.txt", [*seed_lines(), "", count_line]))
    assert [str(warning) for warning in draft.warnings] == [
        "line 24: 'BSMFHT' looks like a misspelling of agency 'BSMHFT' (kept as written)"
    ]


def test_a_count_line_of_its_own_that_disagrees_is_reported(tmp_path: Path) -> None:
    draft = read_plan(write_lines(tmp_path / "counted.txt", [*seed_lines(), "", "Total: 12"]))
    assert "line 47: 'Total: 12' but 13 actions found" in [str(warning) for warning in draft.warnings]


def test_a_duplicate_ref_is_skipped_with_a_warning_and_the_first_kept(tmp_path: Path) -> None:
    draft = read_plan(seed_variant(tmp_path, (45, "3.11.2", "3.11.1")))
    assert [action.ref for action in draft.actions] == SEED_REFS[:-1]
    assert draft.actions[-1].location == "line 44"
    assert "line 45: duplicate ref 3.11.1 (first at line 44): this row is skipped" in map(str, draft.warnings)


def test_an_unreadable_target_date_is_kept_as_text_with_a_warning(tmp_path: Path) -> None:
    draft = read_plan(seed_variant(tmp_path, (19, "\tApr-14\t", "\tsoon-ish\t")))
    action = draft.actions[0]
    assert (action.target_date, action.columns.target_date_text) == (None, "soon-ish")
    assert "line 19: unreadable target date 'soon-ish' kept as text" in map(str, draft.warnings)


@pytest.mark.parametrize(
    ("written", "target", "warning"),
    [
        ("Q2 2021/22", date(2021, 9, 30), None),
        ("End of March 2021", date(2021, 3, 31), None),
        (
            "Ongoing",
            None,
            "line 19: target 'Ongoing' is ongoing or recurring: kept as text, no date to escalate against",
        ),
        ("31/12/9999", None, "line 19: target date '31/12/9999' is outside 1990-2100: kept as text, no date set"),
    ],
)
def test_a_plans_target_dates_import_as_written(
    tmp_path: Path, written: str, target: date | None, warning: str | None
) -> None:
    draft = read_plan(seed_variant(tmp_path, (19, "\tApr-14\t", f"\t{written}\t")))
    action = draft.actions[0]
    assert (action.target_date, action.columns.target_date_text) == (target, written)
    line_19 = [str(w) for w in draft.warnings if str(w).startswith("line 19")]
    assert line_19 == ([warning] if warning else [])


def test_a_section_naming_no_route_defaults_to_commissioners_with_one_warning(tmp_path: Path) -> None:
    draft = read_plan(seed_variant(tmp_path, (24, "To be verified by Commissioners", "")))
    bsmhft = [action for action in draft.actions if action.agency == BSMHFT]
    assert {action.route for action in bsmhft} == {Route.COMMISSIONER}
    assert (
        "line 24: no route given for 3.2.3, 3.2.4, 3.5.1, 3.8.1, 3.8.2, 3.9.1: "
        "defaulted to commissioner verification (the stricter check)"
    ) in map(str, draft.warnings)


def test_the_route_is_not_inherited_across_sections(tmp_path: Path) -> None:
    draft = read_plan(seed_variant(tmp_path, (36, "To be verified on final audit", "")))
    routes = {action.ref: action.route for action in draft.actions}
    assert routes["3.2.1"] is Route.COMMISSIONER, "the BSMHFT section's route above does not carry over"
    assert any("no route given for 3.2.1, 3.2.2, 3.5.2" in warning.message for warning in draft.warnings)


def test_text_in_a_column_without_a_header_is_kept_as_column_n_and_reported(tmp_path: Path) -> None:
    lines = seed_lines()
    assert lines[24].endswith("\t")  # the BSMHFT section's stray trailing column
    lines[24] += "see minutes"
    draft = read_plan(write_lines(tmp_path / "stray.txt", lines))
    assert "line 25: text in column 12, which has no header, kept as 'Column 12'" in map(str, draft.warnings)
    [kept] = [a for a in draft.actions if a.columns.extra]
    assert kept.columns.extra == {"Column 12": "see minutes"}


def test_the_short_name_given_is_used_when_no_header_names_the_partnership(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "plain.txt", [line.replace("Quality Assured by BCSP", "QA") for line in seed_lines()])
    assert read_plan(path).partnership_short_name == "BCSP", "the initials of the partnership's name"
    assert read_plan(path, partnership_short_name="BhamCSP").partnership_short_name == "BhamCSP"
    assert read_plan(SEED_PLAN, partnership_short_name="X").partnership_short_name == "BCSP", "the header wins"


def test_windows_line_ends_read_the_same(tmp_path: Path, seed: PlanDraft) -> None:
    draft = read_plan(write_lines(tmp_path / "crlf.txt", seed_lines(), newline="\r\n"))
    assert draft.actions == seed.actions
    assert draft.warnings == seed.warnings


def test_a_windows_1252_file_is_read_with_a_warning(tmp_path: Path) -> None:
    lines = seed_lines()
    lines[23] = lines[23].replace("carer's assessment", "carer\u2019s assessment")
    draft = read_plan(write_lines(tmp_path / "cp1252.txt", lines, encoding="cp1252"))
    assert "carer\u2019s assessment" in draft.actions[2].columns.action
    assert str(draft.warnings[0]) == "line 24: the file is not UTF-8: read as Windows-1252"


def test_a_byte_order_mark_is_no_part_of_the_text(tmp_path: Path, seed: PlanDraft) -> None:
    draft = read_plan(write_lines(tmp_path / "bom.txt", seed_lines(), encoding="utf-8-sig"))
    assert (draft.partnership_name, draft.actions) == (seed.partnership_name, seed.actions)


def test_a_tsv_file_reads_as_text(tmp_path: Path, seed: PlanDraft) -> None:
    draft = read_plan(write_lines(tmp_path / "plan.TSV", seed_lines()))
    assert draft.actions == seed.actions
