"""What a plan says beside its actions, written to a real database: a recommendation's scope (shown and
filterable), the notes of the plan, completion the plan reports (recorded, listed, never assured by itself),
and the column mapping a coordinator chose, remembered for the partnership's next plan."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from documents.importer import read_plan
from domain.model import Scope
from tests.integration.helpers import COORDINATOR, seed
from tests.unit.plan_builders import REPO_ROOT, write_csv
from workflows.commands.import_plan import ImportReport, forget_mapping, import_plan, mappings, remembered_mapping
from workflows.context import ActionKey
from workflows.errors import InvalidInput
from workflows.queries.actions import ActionQuery, ActionView, action_detail, list_actions
from workflows.queries.log import verify_log
from workflows.queries.reviews import ReviewSummary, review_summaries
from workflows.runtime.container import App

REAL = REPO_ROOT / "tests" / "fixtures" / "real"

HOME_OFFICE_TEMPLATE = [
    ["Domestic Homicide Review 'Sarah' Action Plan"],
    ["Recommendation", "Scope of recommendation", "Action to take", "Lead Agency", "Target Date", "Date of completion"],
    ["1. Officers recognise coercive control", "Local", "Brief officers", "Police", "Q1 2021/22", ""],
    ["", "", "Audit reports", "Police", "2021/22", "Completed 14/03/2022"],
    ["2. GPs ask about abuse", "National", "Update the GP template", "NHS England", "End of March 2022", "N/A"],
]


async def _import(app: App, path: Path, **read: str) -> ReviewSummary:
    await import_plan(read_plan(path, **read), uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR)
    summaries = await review_summaries(app.reader, today=app.clock.today(), policy=app.rag_policy)
    return next(s for s in summaries if s.review_ref != "BDHR2011/12-03")


async def _actions(app: App, **query: object) -> list[ActionView]:
    found = ActionQuery(**query)  # type: ignore[arg-type]
    return await list_actions(app.reader, found, today=app.clock.today(), policy=app.rag_policy)


async def test_scope_is_stored_on_the_recommendation_shown_on_its_actions_and_filtered_by(
    app: App, seed_plan: Path, tmp_path: Path
) -> None:
    await seed(app, seed_plan)
    summary = await _import(app, write_csv(tmp_path / "plan.csv", HOME_OFFICE_TEMPLATE), partnership_short_name="BCSP")
    assert summary.scopes == {"local": 1, "national": 1}
    national = await _actions(app, scope=Scope.NATIONAL)
    assert [(v.review_ref, v.ref, v.scope) for v in national] == [
        ("Domestic Homicide Review 'Sarah'", "2.1", (Scope.NATIONAL,))
    ]
    assert [v.ref for v in await _actions(app, scope=Scope.LOCAL)] == ["1.1", "1.2"]
    assert await _actions(app, scope=Scope.REGIONAL) == []


async def test_completion_the_plan_reports_is_recorded_listed_and_leaves_the_action_open(
    app: App, seed_plan: Path, tmp_path: Path
) -> None:
    await seed(app, seed_plan)
    summary = await _import(app, write_csv(tmp_path / "plan.csv", HOME_OFFICE_TEMPLATE), partnership_short_name="BCSP")
    assert summary.reported_complete == 1
    [listed] = await _actions(app, reported_complete=True)
    assert (listed.ref, listed.state, listed.reported_complete_on) == ("1.2", "open", date(2022, 3, 14))
    detail = await action_detail(
        app.reader,
        ActionKey("1.2", "Domestic Homicide Review 'Sarah'"),
        today=app.clock.today(),
        policy=app.rag_policy,
    )
    [record] = detail.timeline
    assert (record.event, record.from_state, record.to_state) == ("reported_complete", "open", "open")
    assert detail.action.version == 0  # a record of what the plan says: it moves nothing
    reports = await verify_log(app.reader)
    assert all(r.ok for r in reports), [r.problems for r in reports]


async def test_the_real_plans_import_with_their_notes_milestones_and_completion(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    brent = await _import(app, REAL / "brent-dhr-appendix3.xlsx", partnership_short_name="BCSP", review_ref="Brent DHR")
    [note] = brent.notes
    assert note["text"].startswith("Query from the Home Office")
    [action] = await _actions(app, review_ref="Brent DHR")
    assert action.target_date == date(2015, 2, 28)
    detail = await action_detail(
        app.reader, ActionKey("1.1", "Brent DHR"), today=app.clock.today(), policy=app.rag_policy
    )
    assert [m.due for m in detail.milestones] == [date(2014, 11, 30), date(2014, 12, 31), date(2015, 2, 28), None]

    await import_plan(
        read_plan(REAL / "tower-hamlets-dhr7.txt", partnership_short_name="BCSP"),
        uow_factory=app.uow,
        clock=app.clock,
        actor_email=COORDINATOR,
    )
    listed = await _actions(app, review_ref="Domestic Homicide Review 7", reported_complete=True)
    assert [(v.ref, v.state) for v in listed] == [("1", "open"), ("2", "open"), ("3", "open")]


async def test_importing_the_same_plan_again_changes_nothing_beside_the_actions_either(
    app: App, seed_plan: Path, tmp_path: Path
) -> None:
    await seed(app, seed_plan)
    plan = write_csv(tmp_path / "plan.csv", HOME_OFFICE_TEMPLATE)
    await _import(app, plan, partnership_short_name="BCSP")
    again = await import_plan(
        read_plan(plan, partnership_short_name="BCSP"), uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR
    )
    assert (again.changed, again.plan_changes, again.reported_complete) == (False, [], [])
    rows = [r if r[1:2] != ["Local"] else [r[0], "Local and regional", *r[2:]] for r in HOME_OFFICE_TEMPLATE]
    changed = await import_plan(
        read_plan(write_csv(tmp_path / "changed.csv", rows), partnership_short_name="BCSP"),
        uow_factory=app.uow,
        clock=app.clock,
        actor_email=COORDINATOR,
    )
    assert changed.plan_changes == ["scope of 1. Officers recognise coercive control"]
    assert [v.scope for v in await _actions(app, scope=Scope.REGIONAL)] == [(Scope.LOCAL, Scope.REGIONAL)] * 2


async def test_a_mapping_chosen_at_import_is_remembered_for_the_partnership_and_can_be_forgotten(
    app: App, seed_plan: Path, tmp_path: Path
) -> None:
    await seed(app, seed_plan)
    rows = [
        ["DHR 2022-07 Action Plan"],
        ["Ref", "Action", "Owner", "Agency"],
        ["1.1", "Brief officers", "DI Jones", "Police"],
    ]
    plan = write_csv(tmp_path / "plan.csv", rows)
    chosen = {"Owner": "lead", "Agency": "agency"}  # the second is how its synonyms read it: nothing to remember
    report = await import_plan(
        read_plan(plan, mapping=chosen), uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR, remember=chosen
    )
    assert report.plan_changes == ["column 'Owner' remembered as lead"]
    assert await mappings(app.reader, "BCSP") == [("Owner", "lead")]
    assert await remembered_mapping(app.reader, actor_email=COORDINATOR) == {"Owner": "lead"}
    assert await remembered_mapping(app.reader, partnership="bcsp") == {"Owner": "lead"}
    assert await remembered_mapping(app.reader, partnership="NOPE") == {}

    forgotten = await forget_mapping("OWNER ", uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR)
    assert forgotten == "lead" and await mappings(app.reader, "BCSP") == []
    with pytest.raises(InvalidInput, match="no column mapping for 'Owner' in BCSP"):
        await forget_mapping("Owner", uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR)
    reports = await verify_log(app.reader)
    assert all(r.ok for r in reports)


async def test_an_action_inserted_mid_plan_without_refs_leaves_the_others_their_refs(
    app: App, seed_plan: Path, tmp_path: Path
) -> None:
    await seed(app, seed_plan)
    head = [["DHR 2020-03 Action Plan"], ["Recommendation", "Action", "Lead Agency", "Target Date"]]
    first = [
        ["1. Officers recognise coercive control", "Brief officers", "Police", "Apr-21"],
        ["", "Audit reports", "Police", "Jun-21"],
        ["", "Train call handlers", "Police", "Sep-21"],
    ]
    await import_plan(
        read_plan(write_csv(tmp_path / "v1.csv", [*head, *first]), partnership_short_name="BCSP"),
        uow_factory=app.uow,
        clock=app.clock,
        actor_email=COORDINATOR,
    )
    before = {v.action: v.ref for v in await _actions(app, review_ref="DHR 2020-03")}
    assert before == {"Brief officers": "1.1", "Audit reports": "1.2", "Train call handlers": "1.3"}

    inserted = [
        first[0],
        ["", "Brief supervisors", "Police", "May-21"],
        first[1],
        ["", "Train call handlers again", "Police", "Sep-21"],
    ]
    report = await import_plan(
        read_plan(write_csv(tmp_path / "v2.csv", [*head, *inserted]), partnership_short_name="BCSP"),
        uow_factory=app.uow,
        clock=app.clock,
        actor_email=COORDINATOR,
    )
    after = {v.action: v.ref for v in await _actions(app, review_ref="DHR 2020-03")}
    assert after["Brief officers"] == "1.1" and after["Audit reports"] == "1.2"  # found by their text
    assert after["Train call handlers again"] == "1.3"  # the text of 1.3 changed in its place: an update
    assert after["Brief supervisors"] == "1.4"  # new, and its place's number (1.2) is taken
    assert (report.added, report.updated) == (["1.4"], {"1.3": ["action"]})
    assert "'Audit reports' keeps the ref 1.2 it was imported with (not 1.3)" in [w.message for w in report.warnings]


async def _reimport(app: App, tmp_path: Path, name: str, rows: list[list[str]]) -> ImportReport:
    return await import_plan(
        read_plan(write_csv(tmp_path / name, rows), partnership_short_name="BCSP"),
        uow_factory=app.uow,
        clock=app.clock,
        actor_email=COORDINATOR,
    )


async def test_an_edit_and_an_insert_in_one_gap_keep_the_edited_action_its_ref(
    app: App, seed_plan: Path, tmp_path: Path
) -> None:
    await seed(app, seed_plan)
    head = [["DHR 2020-04 Action Plan"], ["Recommendation", "Action", "Lead Agency"]]
    a, b, c = (["", text, "Police"] for text in ("Brief every officer", "Audit forty reports", "Train call handlers"))
    await _reimport(app, tmp_path, "v1.csv", [*head, ["1. Coercive control", *a[1:]], b, c])
    edited = ["", "Audit forty reports each quarter", "Police"]
    report = await _reimport(
        app,
        tmp_path,
        "v2.csv",
        [*head, ["1. Coercive control", *a[1:]], ["", "Brief supervisors", "Police"], edited, c],
    )
    after = {v.action: v.ref for v in await _actions(app, review_ref="DHR 2020-04")}
    assert after == {
        "Brief every officer": "1.1",
        "Audit forty reports each quarter": "1.2",
        "Train call handlers": "1.3",
        "Brief supervisors": "1.4",
    }
    assert (report.added, report.updated) == (["1.4"], {"1.2": ["action"]})


async def test_the_same_text_for_two_agencies_is_told_apart_by_the_agency(
    app: App, seed_plan: Path, tmp_path: Path
) -> None:
    await seed(app, seed_plan)
    head = [["DHR 2020-05 Action Plan"], ["Action", "Lead Agency", "Target Date"]]
    await _reimport(
        app, tmp_path, "v1.csv", [*head, ["Share the learning", "Police", ""], ["Share the learning", "NHS", ""]]
    )
    report = await _reimport(app, tmp_path, "v2.csv", [*head, ["Share the learning", "NHS", ""]])
    assert (report.added, report.updated, report.missing) == ([], {}, ["1"])
    [nhs] = await _actions(app, review_ref="DHR 2020-05", agency="NHS")
    assert nhs.ref == "2"


async def test_a_note_written_over_several_lines_survives_an_export_and_a_re_import(
    app: App, seed_plan: Path, tmp_path: Path
) -> None:
    from documents.formats import PLAN_WRITERS
    from workflows.queries.exports import plan_export

    await seed(app, seed_plan)
    rows = [list(r) for r in HOME_OFFICE_TEMPLATE]
    rows.insert(
        3, ["Query from the Home Office:\nwhy was the GP not on the panel?", "", "Answered in the report", "", "", ""]
    )
    await _import(app, write_csv(tmp_path / "plan.csv", rows), partnership_short_name="BCSP")
    plan = await plan_export(
        app.reader, "Domestic Homicide Review 'Sarah'", today=app.clock.today(), policy=app.rag_policy
    )
    exported = tmp_path / "sarah.docx"
    exported.write_bytes(PLAN_WRITERS["docx"](plan))
    again = await import_plan(
        read_plan(exported), uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR, dry_run=True
    )
    assert (again.changed, again.plan_changes, again.unchanged) == (False, [], 3)


async def test_a_ref_the_plan_now_writes_is_never_also_given_to_an_action_dhrflow_numbers(
    app: App, seed_plan: Path, tmp_path: Path
) -> None:
    """Found by the import fuzz test: an action dhrflow numbered (1) found again by its text, while the plan
    now writes ref 1 for another action, gave two actions ref 1 and the import failed on the unique key."""
    await seed(app, seed_plan)
    head = [["DHR 2020-06 Action Plan"], ["Ref", "Action", "Lead Agency", "Target Date"]]
    await _reimport(
        app, tmp_path, "v1.csv", [*head, ["a)", "Brief officers", "Police", ""], ["b)", "Audit", "Police", ""]]
    )
    report = await _reimport(
        app,
        tmp_path,
        "v2.csv",
        [*head, ["1", "Train call handlers", "Police", ""], ["a)", "Brief officers", "Police", ""]],
    )
    refs = {v.action: v.ref for v in await _actions(app, review_ref="DHR 2020-06")}
    assert refs["Train call handlers"] == "1"  # the plan's own ref is the plan's
    assert refs["Brief officers"] not in ("1", "2") and len(set(refs.values())) == len(refs)
    assert report.updated == {"1": ["action", "extra"]}  # its text, and no "Plan's own ref" now
