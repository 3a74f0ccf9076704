"""Importing into a real database: atomic, idempotent, history untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from documents.errors import PlanImportError
from documents.importer import read_plan
from domain.states import Event
from storage.tables import ActionRow, DecisionRow, PartnershipRow, ReviewRow
from tests.integration.helpers import COORDINATOR, LEAD, seed
from tests.unit.plan_builders import SEED_REFS
from workflows.commands.import_plan import import_plan
from workflows.commands.transitions import TransitionCommand, take_transition
from workflows.context import ActionKey
from workflows.errors import InvalidInput
from workflows.queries.actions import ActionQuery, action_detail, list_actions
from workflows.queries.log import verify_log
from workflows.runtime.container import App


async def rows(app: App, table: object) -> int:
    async with app.reader() as uow:
        return int((await uow.connection.execute(select(func.count()).select_from(table))).scalar_one())  # type: ignore[arg-type]


async def test_seed_import_gives_thirteen_actions_with_dates_and_verbatim_text(app: App, seed_plan: Path) -> None:
    report = await import_plan(read_plan(seed_plan), uow_factory=app.uow, clock=app.clock)
    assert report.added == SEED_REFS
    views = await list_actions(app.reader, ActionQuery(), today=app.clock.today(), policy=app.rag_policy)
    assert [v.ref for v in views] == SEED_REFS
    by_ref = {v.ref: v for v in views}
    assert by_ref["3.1.1"].target_date is not None and by_ref["3.1.1"].target_date.isoformat() == "2014-04-30"
    assert str(by_ref["3.1.2"].target_date) == "2013-11-30"
    assert str(by_ref["3.2.1"].target_date) == "2013-01-31"
    assert "identify a oplan of action" in by_ref["3.2.4"].action
    assert "accessed the the multi agency team" in by_ref["3.5.2"].desired_outcome
    assert by_ref["3.11.1"].agency == "West Midlands Police"
    assert by_ref["3.5.1"].recommendation == by_ref["3.5.2"].recommendation  # one recommendation, two agencies
    assert {v.route for v in views if v.ref in ("3.1.1", "3.2.1")} == {"final_audit"}


async def test_importing_the_same_plan_again_changes_nothing(app: App, seed_plan: Path) -> None:
    await import_plan(read_plan(seed_plan), uow_factory=app.uow, clock=app.clock)
    decisions = await rows(app, DecisionRow.__table__)
    again = await import_plan(read_plan(seed_plan), uow_factory=app.uow, clock=app.clock)
    assert (again.added, again.updated, again.unchanged, again.changed) == ([], {}, 13, False)
    assert await rows(app, ActionRow.__table__) == 13
    assert await rows(app, DecisionRow.__table__) == decisions


async def test_reimport_updates_changed_text_and_keeps_state_and_history(
    app: App, seed_plan: Path, tmp_path: Path
) -> None:
    await seed(app, seed_plan)
    await take_transition(
        TransitionCommand(LEAD, ActionKey("3.11.2"), Event.SUBMIT_EVIDENCE, note="minutes"),
        uow_factory=app.uow,
        clock=app.clock,
        store=app.store,
    )
    decisions_before = await rows(app, DecisionRow.__table__)
    changed = tmp_path / "plan.txt"
    changed.write_text(
        seed_plan.read_text(encoding="utf-8").replace(
            "Progressing and adopted across the Force", "Adopted across the Force"
        ),
        encoding="utf-8",
    )
    report = await import_plan(read_plan(changed), uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR)
    assert report.updated == {"3.11.1": ["outcome_progress"], "3.11.2": ["outcome_progress"]}
    detail = await action_detail(app.reader, ActionKey("3.11.2"), today=app.clock.today(), policy=app.rag_policy)
    assert (detail.action.outcome_progress, detail.action.state, detail.action.version) == (
        "Adopted across the Force",
        "evidence_submitted",
        2,
    )
    assert [d.event for d in detail.timeline] == ["submit_evidence", "plan_updated"]
    assert detail.timeline[1].actor == "Coordinator"
    # one decision per changed action, one for the import itself
    assert await rows(app, DecisionRow.__table__) == decisions_before + 3
    [log] = await verify_log(app.reader)
    assert log.ok, log.problems


async def test_a_failed_import_leaves_the_database_empty(app: App, seed_plan: Path, tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.txt"
    lines = seed_plan.read_text(encoding="utf-8").splitlines(keepends=True)
    truncated.write_text("".join(lines[:19]) + lines[19][:40], encoding="utf-8")
    with pytest.raises(PlanImportError):
        await import_plan(read_plan(truncated), uow_factory=app.uow, clock=app.clock)
    for table in (PartnershipRow.__table__, ReviewRow.__table__, ActionRow.__table__, DecisionRow.__table__):
        assert await rows(app, table) == 0


async def test_a_failure_while_writing_rolls_the_whole_import_back(
    app: App, seed_plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storage.repositories import Actions

    original = Actions.add
    calls = 0

    def fail_on_the_seventh(self: Actions, values: dict[str, object]) -> int:
        nonlocal calls
        calls += 1
        if calls == 7:
            raise RuntimeError("disk full")
        return original(self, values)

    monkeypatch.setattr(Actions, "add", fail_on_the_seventh)
    with pytest.raises(RuntimeError, match="disk full"):
        await import_plan(read_plan(seed_plan), uow_factory=app.uow, clock=app.clock)
    assert await rows(app, ActionRow.__table__) == 0
    assert await rows(app, PartnershipRow.__table__) == 0


async def test_reimport_keeps_the_route_of_an_action_under_check(app: App, seed_plan: Path, tmp_path: Path) -> None:
    """Evidence submitted for a commissioner's check must not become partnership-only by re-import."""
    await seed(app, seed_plan)
    await take_transition(
        TransitionCommand(LEAD, ActionKey("3.11.1"), Event.SUBMIT_EVIDENCE, note="minutes"),
        uow_factory=app.uow,
        clock=app.clock,
        store=app.store,
    )
    changed = tmp_path / "plan.txt"
    text = seed_plan.read_text(encoding="utf-8")
    changed.write_text(
        text.replace("To be verified by commissioners", "To be verified on final audit").replace("Jun-13", "Jun-15"),
        encoding="utf-8",
    )
    report = await import_plan(read_plan(changed), uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR)
    assert report.updated["3.11.1"] == ["target_date", "target_date_text"]  # the route's text stays with it
    assert report.updated["3.11.2"] == ["route"]  # still open: the plan may change its route
    assert any("3.11.1 is evidence_submitted: its route is kept" in str(w) for w in report.warnings)
    detail = await action_detail(app.reader, ActionKey("3.11.1"), today=app.clock.today(), policy=app.rag_policy)
    assert (detail.action.route, str(detail.action.target_date)) == ("commissioner", "2015-06-30")
    assert detail.action.quality_assured_by == "To be verified by commissioners"
    change = detail.timeline[-1]
    assert change.event == "plan_updated"


async def test_once_there_is_a_coordinator_an_import_must_say_who_imports(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    with pytest.raises(InvalidInput, match="--as COORDINATOR_EMAIL"):
        await import_plan(read_plan(seed_plan), uow_factory=app.uow, clock=app.clock)
    with pytest.raises(InvalidInput, match="only its coordinators may"):
        await import_plan(read_plan(seed_plan), uow_factory=app.uow, clock=app.clock, actor_email=LEAD)


async def test_reimport_follows_the_new_document_order(app: App, seed_plan: Path, tmp_path: Path) -> None:
    await import_plan(read_plan(seed_plan), uow_factory=app.uow, clock=app.clock)
    lines = seed_plan.read_text(encoding="utf-8").split("\n")
    moved = tmp_path / "plan.txt"
    lines[28], lines[29] = lines[29], lines[28]  # 3.8.2 before 3.8.1
    moved.write_text("\n".join(lines), encoding="utf-8")
    await import_plan(read_plan(moved), uow_factory=app.uow, clock=app.clock)
    views = await list_actions(app.reader, ActionQuery(), today=app.clock.today(), policy=app.rag_policy)
    assert [v.ref for v in views][4:8] == ["3.5.1", "3.8.2", "3.8.1", "3.9.1"]
    assert {v.version for v in views} == {0}


async def test_a_plan_without_refs_imports_numbered_and_imports_again_unchanged(app: App, tmp_path: Path) -> None:
    """Numbering is stable: the same plan imported again finds the same actions, so nothing is added twice."""
    from tests.unit.plan_builders import write_csv

    path = write_csv(
        tmp_path / "plan.csv",
        [
            ["DHR 2019-04 Action Plan"],
            ["Action", "Lead", "Agency", "Target Date"],
            ["Recommendation 1: Officers recognise coercive control"],
            ["Brief every officer on coercive control", "DI Jones", "Police", "Apr-20"],
            ["Audit 40 domestic abuse reports", "DI Jones", "Police", "2020/21"],
        ],
    )
    report = await import_plan(read_plan(path, partnership_short_name="XCSP"), uow_factory=app.uow, clock=app.clock)
    assert report.added == ["1.1", "1.2"]
    views = await list_actions(app.reader, ActionQuery(), today=app.clock.today(), policy=app.rag_policy)
    assert [(v.ref, str(v.target_date)) for v in views] == [("1.1", "2020-04-30"), ("1.2", "2021-03-31")]
    again = await import_plan(read_plan(path, partnership_short_name="XCSP"), uow_factory=app.uow, clock=app.clock)
    assert (again.added, again.unchanged) == ([], 2)


async def test_a_plan_naming_no_partnership_goes_to_the_importing_coordinators(
    app: App, seed_plan: Path, tmp_path: Path
) -> None:
    from tests.unit.plan_builders import write_csv

    await seed(app, seed_plan)  # BCSP, with its coordinator
    rows = [["DHR 2019-04 Action Plan"], ["Ref", "Action", "Agency"], ["1.1", "Brief officers", "Police"]]
    path = write_csv(tmp_path / "plan.csv", rows)
    assert read_plan(path).partnership_short_name == ""
    report = await import_plan(read_plan(path), uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR)
    assert (report.partnership, report.review_ref, report.added) == ("BCSP", "DHR 2019-04", ["1.1"])
    for someone in (None, LEAD):
        with pytest.raises(
            InvalidInput, match="names no partnership: give --partnership SHORT_NAME, or import it --as"
        ):
            await import_plan(read_plan(path), uow_factory=app.uow, clock=app.clock, actor_email=someone)
