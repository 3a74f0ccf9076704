"""A file that cannot be a plan is refused with one line naming the file, the place and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from documents.errors import PlanImportError
from documents.importer import read_plan
from documents.interpret import PLAN_LABEL
from tests.unit.plan_builders import HEADER, SEED_PLAN, SEED_REFS, seed_as_docx, seed_lines, write_csv, write_lines


def refused(path: Path) -> PlanImportError:
    """The error importing ``path`` raises, checked to be one line naming the file and the location."""
    with pytest.raises(PlanImportError) as caught:
        read_plan(path)
    error = caught.value
    message = str(error)
    assert "\n" not in message
    assert message.startswith(f"{path.name}, {error.location}: " if error.location else f"{path.name}: ")
    assert "Traceback" not in message
    return error


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    error = refused(write_lines(tmp_path / "empty.txt", []))
    assert str(error) == "empty.txt: the file is empty (0 bytes)"


def test_a_file_of_blank_lines_is_refused_as_empty(tmp_path: Path) -> None:
    error = refused(write_lines(tmp_path / "blank.txt", ["", "   ", "\t\t"]))
    assert str(error) == "blank.txt, line 1: the file is empty"


def test_a_binary_file_is_refused_as_not_text(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(b"Action Plan\n\x00\x01\x02PK")
    assert str(refused(path)) == "plan.txt, line 2: not a text file (it holds binary data)"


def test_a_word_document_saved_as_txt_is_refused_as_not_text(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(seed_as_docx(tmp_path / "plan.docx").read_bytes())
    assert "not a text file" in str(refused(path))


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_bytes(b"Ref,Action\n1.1,\x81\x8d\n")
    assert str(refused(path)) == "plan.csv, line 2: not UTF-8 or Windows-1252 text"


def test_a_seed_cut_in_the_middle_of_a_row_is_refused_as_cut_short(tmp_path: Path) -> None:
    lines = seed_lines()
    error = refused(write_lines(tmp_path / "cut.txt", [*lines[:19], lines[19][:300]]))
    assert error.location == "line 20"
    assert "the file looks cut short" in error.problem


def test_a_seed_cut_in_the_middle_of_the_header_is_refused_as_cut_short(tmp_path: Path) -> None:
    lines = seed_lines()
    error = refused(write_lines(tmp_path / "cut.txt", [*lines[:16], lines[16][:60]]))
    assert str(error) == "cut.txt, line 17: the file ends inside the header row: the file looks cut short"


def test_a_seed_cut_after_a_complete_row_imports_the_rows_it_has(tmp_path: Path) -> None:
    """The seed's first 20 lines are a well-formed one-section plan: nothing in them says more should follow."""
    draft = read_plan(write_lines(tmp_path / "first-20-lines.txt", seed_lines()[:20]))
    assert [action.ref for action in draft.actions] == SEED_REFS[:2]


def test_a_row_with_text_but_no_ref_is_refused_naming_its_line(tmp_path: Path) -> None:
    lines = seed_lines()
    lines[29] = lines[29].removeprefix("3.8.2")
    error = refused(write_lines(tmp_path / "no-ref.txt", lines))
    assert error.location == "line 30"
    assert "no ref" in error.problem


def test_a_ref_that_is_no_number_is_numbered_under_its_recommendation_and_kept_as_the_plans_label(
    tmp_path: Path,
) -> None:
    lines = seed_lines()
    lines[29] = "3.8.b" + lines[29].removeprefix("3.8.2")
    draft = read_plan(write_lines(tmp_path / "label.txt", lines))
    [labelled] = [a for a in draft.actions if a.columns.extra.get(PLAN_LABEL)]
    assert (labelled.ref, labelled.columns.extra[PLAN_LABEL]) == ("8.2", "3.8.b")  # Recommendation 8, second
    assert (
        "line 30: ref '3.8.b' is not a number such as 3.1.1: dhrflow numbers this action 8.2 and keeps '3.8.b'"
        in map(str, draft.warnings)
    )
    assert len(draft.actions) == 13


def test_list_labels_that_are_numbers_are_read_as_those_numbers(tmp_path: Path) -> None:
    lines = [line.replace("3.8.1\t", "3.8.1.\t").replace("3.9.1\t", "(3.9.1)\t") for line in seed_lines()]
    draft = read_plan(write_lines(tmp_path / "labels.txt", lines))
    assert {"3.8.1", "3.9.1"} <= {a.ref for a in draft.actions}
    assert not any(PLAN_LABEL in a.columns.extra for a in draft.actions)


def test_a_number_dhrflow_gives_never_takes_one_the_plan_writes_further_down(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "plan.csv",
        [
            ["DHR 2019-04 Action Plan"],
            ["Ref", "Action", "Agency"],
            ["a)", "Brief officers", "Police"],
            ["1", "Audit records", "Police"],
        ],
    )
    assert [a.ref for a in read_plan(path).actions] == ["2", "1"]


def test_labels_without_recommendation_numbers_are_numbered_1_2_3(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "plan.csv",
        [
            ["DHR 2019-04 Action Plan"],
            ["Ref", "Action", "Agency", "Target Date"],
            ["a)", "Brief officers", "Police", "Apr-20"],
            ["b)", "Audit records", "Police", "May-20"],
            ["Rec 3", "Train staff", "NHS", "Jun-20"],
        ],
    )
    draft = read_plan(path)
    assert [(a.ref, a.columns.extra[PLAN_LABEL]) for a in draft.actions] == [("1", "a)"), ("2", "b)"), ("3", "Rec 3")]


def test_a_file_without_a_header_row_is_refused(tmp_path: Path) -> None:
    lines = [line for line in seed_lines() if not line.startswith("Ref\t")]
    assert str(refused(write_lines(tmp_path / "no-header.txt", lines))) == (
        "no-header.txt, line 1 to line 41: no header row found: a table needs an Action column, and a Ref "
        "column or two other columns dhrflow knows (such as Lead and Target Date)"
    )


def test_an_action_row_above_every_header_is_refused(tmp_path: Path) -> None:
    lines = seed_lines()
    del lines[16]  # the NHS header: its actions now come before the BSMHFT header
    assert str(refused(write_lines(tmp_path / "early.txt", lines))) == (
        "early.txt, line 18: action row 3.1.1 comes before any header row (Ref, Action, ...)"
    )


def test_a_plan_without_actions_is_refused(tmp_path: Path) -> None:
    assert str(refused(write_lines(tmp_path / "empty-plan.txt", seed_lines()[:18]))) == (
        "empty-plan.txt, line 17: no action rows (refs such as 3.1.1) found below the header"
    )


def test_a_plan_without_a_review_reference_is_refused_pointing_at_its_title(tmp_path: Path) -> None:
    lines = [line.replace("BDHR2011/12-03", "") for line in seed_lines()]
    error = refused(write_lines(tmp_path / "no-ref.txt", lines))
    assert error.location == "line 5"
    assert error.problem.startswith("no review reference")


def test_an_action_without_any_agency_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "plan.csv", [["DHR 2019-04 Action Plan"], ["Ref", "Action"], ["1.1", "Brief officers"]])
    error = refused(path)
    assert error.location == "line 3"
    assert "action 1.1 has no agency" in error.problem


def test_an_unknown_header_is_kept_as_written_with_a_warning_and_the_map_option(tmp_path: Path) -> None:
    lines = [line.replace("Desired Outcome", "Comments") for line in seed_lines()]
    path = write_lines(tmp_path / "comments.txt", lines)
    draft = read_plan(path)
    assert len(draft.actions) == 13
    assert (
        "line 17: column 'Comments' is not one dhrflow knows: kept as written under its header "
        '(--map "Comments=FIELD" places it)'
    ) in map(str, draft.warnings)
    assert all("Comments" in a.columns.extra for a in draft.actions)
    assert any(a.columns.extra["Comments"] for a in draft.actions)
    placed = read_plan(path, mapping={"Comments": "desired_outcome"})
    assert len(placed.actions) == 13 and not any(a.columns.extra for a in placed.actions)
    assert not any("Comments" in str(w) for w in placed.warnings)


@pytest.mark.parametrize(("name", "kind"), [("plan.docx", "Word document"), ("plan.xlsx", "Excel workbook")])
def test_a_corrupt_office_file_is_refused(tmp_path: Path, name: str, kind: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"PK\x03\x04 this is no zip archive")
    assert str(refused(path)).startswith(f"{name}: not a valid {kind} (")


def test_a_text_file_named_docx_is_refused_as_no_word_document(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    path.write_bytes(SEED_PLAN.read_bytes())
    assert "not a valid Word document" in str(refused(path))


def test_an_unknown_file_type_is_refused_listing_the_accepted_ones(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(b"%PDF-1.7")
    assert str(refused(path)) == "plan.pdf: cannot import .pdf: accepted .txt, .tsv, .docx, .xlsx, .csv"


def test_a_missing_file_is_refused_without_a_traceback(tmp_path: Path) -> None:
    assert str(refused(tmp_path / "missing.txt")) == "missing.txt: cannot read the file (No such file or directory)"


def test_two_columns_for_one_field_are_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "plan.csv", [["DHR 2019-04"], ["NHS"], [*HEADER, "Responsible"], ["1.1", "x"]])
    error = refused(path)
    assert error.location == "line 3"
    assert "both read as lead" in error.problem
