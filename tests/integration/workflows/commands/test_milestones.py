"""A review's own timeline on real databases: milestones recorded as decisions, refused out of order, and
publication dating every target counted from it (a new version each, the lead officer's ladder started), which
``log verify`` replays; a plan imported after publication gets its dates at once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from documents.importer import read_plan
from domain.milestones import MilestoneRefused
from tests.integration.helpers import ASSURER, COORDINATOR, LEAD, seed
from tests.unit.plan_builders import write_csv
from workflows.commands.import_plan import import_plan
from workflows.commands.milestones import MilestoneCommand, record_milestone
from workflows.commands.sweep import sweep
from workflows.context import ActionKey
from workflows.queries.actions import action_detail
from workflows.queries.log import verify_log
from workflows.queries.reviews import review_summaries
from workflows.queries.timeline import review_timeline
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import App
from workflows.runtime.working_days import england_and_wales

REF = "DHR 2013-04"


def plan(tmp_path: Path, name: str = "plan.csv", ref: str = REF) -> Path:
    rows = [
        ["Birmingham Community Safety Partnership (BCSP)"],
        [f"Domestic Homicide Review {ref} Action Plan"],
        ["Ref", "Action", "Lead Agency", "Target Date"],
        ["1.1", "Brief officers on coercive control", "West Midlands Police", "Within 6 months of publication"],
        ["1.2", "Audit reports", "West Midlands Police", "31/03/2014"],
    ]
    return write_csv(tmp_path / name, rows)


async def record(app: App, name: str, on: date, who: str = COORDINATOR, **detail: object) -> list[tuple[str, date]]:
    command = MilestoneCommand(REF, name, on, str(detail.get("url", "")), tuple(detail.get("points", ())))  # type: ignore[arg-type]
    return (await record_milestone(who, command, uow_factory=app.uow, clock=app.clock)).dated


async def test_publication_dates_the_targets_counted_from_it_and_the_log_replays(
    app: App, seed_plan: Path, tmp_path: Path
) -> None:
    assert isinstance(app.clock, FixedClock)
    await seed(app, seed_plan)
    await import_plan(read_plan(plan(tmp_path)), uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR)
    key = ActionKey("1.1", REF)
    before = await action_detail(app.reader, key, today=app.clock.today(), policy=app.rag_policy)
    assert (before.action.target_date, before.action.version) == (None, 0)
    assert before.action.target_waits == "6 months after publication (not yet published)"
    timeline = await review_timeline(app.reader, REF)
    assert (timeline.imported_on, timeline.standing, timeline.awaiting_publication) == (
        date(2013, 10, 1),
        "not yet submitted (submission due by 2013-11-26)",  # 40 working days after the import
        1,
    )

    with pytest.raises(
        MilestoneRefused, match=f"^published needs report_submitted_to_home_office, not recorded for {REF}$"
    ):
        await record(app, "published", date(2013, 9, 1), url="https://bcsp.test/dhr")
    assert await record(app, "report_submitted_to_home_office", date(2013, 6, 3)) == []
    points = ("Say more about coercive control", "Name the GP practice")
    await record(app, "panel_letter_received", date(2013, 7, 15), who=ASSURER, points=points)
    with pytest.raises(MilestoneRefused, match="is a day still to come"):
        await record(app, "published", date(2013, 10, 2), url="https://bcsp.test/dhr")
    with pytest.raises(MilestoneRefused, match="is not an http"):
        await record(app, "published", date(2013, 9, 1), url="javascript:alert(1)")
    with pytest.raises(MilestoneRefused, match="recorded by the coordinator or the partnership assurer, not the lead"):
        await record(app, "published", date(2013, 9, 1), who=LEAD, url="https://bcsp.test/dhr")

    dated = await record(app, "published", date(2013, 8, 31), url="https://bcsp.test/dhr")
    assert dated == [("1.1", date(2014, 2, 28))]  # 31 August + 6 months: the last day of February
    with pytest.raises(
        MilestoneRefused, match=r"^published is recorded for DHR 2013-04 already: on 2013-08-31 by Coord"
    ):
        await record(app, "published", date(2013, 9, 1), url="https://bcsp.test/dhr")

    after = await action_detail(app.reader, key, today=app.clock.today(), policy=app.rag_policy)
    assert (after.action.target_date, after.action.version, after.action.target_waits) == (date(2014, 2, 28), 1, "")
    assert [d.event for d in after.timeline] == ["target_dated"]
    shown = await review_timeline(app.reader, REF)
    assert shown.standing == "published 2013-08-31" and shown.next is None and shown.awaiting_publication == 0
    letter = next(line for line in shown.milestones if line.milestone == "panel_letter_received")
    assert (letter.points, letter.recorded_by) == (points, "Partnership Assurer")
    [summary] = [
        s
        for s in await review_summaries(app.reader, today=app.clock.today(), policy=app.rag_policy)
        if s.review_ref == REF
    ]
    assert summary.standing == "published 2013-08-31"

    # The lead officer's ladder starts from the new date: the reminder ten working days before it.
    report = await sweep(date(2014, 2, 14), uow_factory=app.uow, clock=app.clock, calendar=england_and_wales())
    fired = [(f.review_ref, f.action_ref, f.step, f.anchor_date) for f in report.fired if f.review_ref == REF]
    assert (REF, "1.1", "reminder", date(2014, 2, 28)) in fired

    [log] = await verify_log(app.reader)
    assert log.ok, log.problems


async def test_a_plan_imported_after_publication_is_dated_at_once_and_a_reimport_keeps_the_date(
    app: App, seed_plan: Path, tmp_path: Path
) -> None:
    await seed(app, seed_plan)
    other = plan(tmp_path, "first.csv")
    await import_plan(read_plan(other), uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR)
    await record(app, "report_submitted_to_home_office", date(2013, 6, 3))
    await record(app, "published", date(2013, 9, 30), url="https://bcsp.test/dhr")
    rows = [
        ["Birmingham Community Safety Partnership (BCSP)"],
        [f"Domestic Homicide Review {REF} Action Plan"],
        ["Ref", "Action", "Lead Agency", "Target Date"],
        ["1.1", "Brief officers on coercive control", "West Midlands Police", "Within 6 months of publication"],
        ["1.2", "Audit reports", "West Midlands Police", "31/03/2014"],
        ["1.3", "Train call handlers", "West Midlands Police", "Within twelve months of the report's publication"],
    ]
    again = await import_plan(
        read_plan(write_csv(tmp_path / "again.csv", rows)),
        uow_factory=app.uow,
        clock=app.clock,
        actor_email=COORDINATOR,
    )
    assert again.added == ["1.3"] and again.updated == {}
    new = await action_detail(app.reader, ActionKey("1.3", REF), today=app.clock.today(), policy=app.rag_policy)
    assert (new.action.target_date, new.action.target_after) == (date(2014, 9, 30), "12 months after publication")
    kept = await action_detail(app.reader, ActionKey("1.1", REF), today=app.clock.today(), policy=app.rag_policy)
    assert kept.action.target_date == date(2014, 3, 30)
    [log] = await verify_log(app.reader)
    assert log.ok, log.problems
