"""Progress at a glance on real databases (issue 16): per review and agency the share assured, what is overdue
and for how long, the RAG counts and the actions still to be assured by target month, counted by one
aggregate query that agrees, action for action, with the colours the actions list shows."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event

from documents.importer import read_plan
from domain.rag import Rag
from domain.states import Event
from tests.integration.helpers import ASSURER, COORDINATOR, seed
from tests.integration.tasks_scenario import TODAY, build
from tests.paths import FIXTURES
from workflows.commands.import_plan import import_plan
from workflows.commands.transitions import TransitionCommand, take_transition
from workflows.context import ActionKey
from workflows.queries.actions import ActionQuery, list_actions
from workflows.queries.progress import Progress, StillOpen, review_progress
from workflows.runtime.container import App

REVIEW = "BDHR2011/12-03"
POLICE = "West Midlands Police"
COUNCIL = "Birmingham City Council Adult Social Care"


async def under_way(app: App, plan: Path) -> None:
    """The tasks scenario on 11 October 2013, then 3.11.2 (verified) assured and 3.5.2 withdrawn."""
    await seed(app, plan)
    await build(app)
    for ref, step, reason in [("3.11.2", Event.ASSURE, ""), ("3.5.2", Event.WITHDRAW, "Superseded")]:
        command = TransitionCommand(actor_email=ASSURER, action=ActionKey(ref), event=step, reason=reason)
        await take_transition(command, uow_factory=app.uow, clock=app.clock, store=app.store)


async def test_each_review_and_agency_shows_the_share_assured_and_how_late_the_latest_is(
    app: App, seed_plan: Path
) -> None:
    await under_way(app, seed_plan)
    found = (await review_progress(app.reader, 1, today=TODAY, policy=app.rag_policy))[REVIEW]

    whole = found.whole
    assert (whole.actions, whole.assured, whole.withdrawn) == (13, 1, 1)
    assert whole.percent_assured == 8  # 1 of the 12 not withdrawn, rounded down
    # Overdue: 3.2.1 (31 Jan 2013, 253 days), 3.11.1 (30 Jun, 103 days) and 3.8.2 (30 Sep, 11 days).
    assert (whole.overdue, whole.most_days_overdue) == (3, 253)
    assert whole.rag == {Rag.RED: 3, Rag.AMBER: 1, Rag.GREEN: 7, Rag.BLUE: 1, Rag.GREY: 1}

    agencies = dict(found.agencies)
    assert agencies[POLICE] == Progress(
        actions=2, assured=1, overdue=1, most_days_overdue=103, rag={Rag.RED: 1, Rag.BLUE: 1}
    )
    assert agencies[POLICE].percent_assured == 50
    council = agencies[COUNCIL]
    assert (council.counted, council.percent_assured, council.overdue, council.most_days_overdue) == (2, 0, 1, 253)
    assert agencies["NHS"].overdue == 0 and agencies["NHS"].most_days_overdue == 0

    # Still to be assured by target month: 3.11.2 (Sep) is assured and 3.5.2 (Apr 2014) withdrawn.
    assert found.months == [
        StillOpen(date(2013, 1, 1), 1, 1),
        StillOpen(date(2013, 6, 1), 1, 1),
        StillOpen(date(2013, 9, 1), 1, 1),
        StillOpen(date(2013, 11, 1), 1, 0),
        StillOpen(date(2013, 12, 1), 4, 0),
        StillOpen(date(2014, 4, 1), 3, 0),
    ]
    assert found.undated == 0


@pytest.mark.parametrize(
    "day",
    [TODAY, date(2013, 12, 16), date(2013, 12, 17), date(2013, 12, 31), date(2014, 1, 1), date(2014, 5, 1)],
    ids=str,
)
async def test_the_counts_agree_with_each_actions_colour_on_the_list(app: App, seed_plan: Path, day: date) -> None:
    """Around the warning window's edges (14 days before 31 Dec 2013) and the target dates themselves."""
    await under_way(app, seed_plan)
    found = (await review_progress(app.reader, 1, today=day, policy=app.rag_policy))[REVIEW]
    views = await list_actions(app.reader, ActionQuery(review_ref=REVIEW), today=day, policy=app.rag_policy)
    for agency, progress in found.agencies:
        mine = [v for v in views if v.agency == agency]
        assert progress.rag == dict(Counter(v.rag for v in mine)), agency
        late = [v for v in mine if v.rag is Rag.RED]
        overdue = await list_actions(
            app.reader, ActionQuery(review_ref=REVIEW, overdue=True), today=day, policy=app.rag_policy
        )
        assert {v.ref for v in late} == {v.ref for v in overdue if v.agency == agency}  # the list's "overdue"
        assert progress.most_days_overdue == max(((day - v.target_date).days for v in late if v.target_date), default=0)


async def test_a_plan_without_target_dates_counts_its_actions_as_undated_and_none_overdue(
    app: App, seed_plan: Path
) -> None:
    await seed(app, seed_plan)
    plan = read_plan(FIXTURES / "real" / "tower-hamlets-dhr7.txt", partnership_short_name="BCSP")
    await import_plan(plan, uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR)
    found = (await review_progress(app.reader, 1, today=app.clock.today(), policy=app.rag_policy))[
        "Domestic Homicide Review 7"
    ]
    assert (found.whole.actions, found.whole.overdue, found.undated, found.months) == (3, 0, 3, [])
    assert found.whole.rag == {Rag.AMBER: 3}  # the partnership's colour for no readable date


async def test_the_page_costs_the_same_few_statements_whatever_the_reviews_and_actions(
    app: App, seed_plan: Path
) -> None:
    """One aggregate over the actions, never a statement per review or per action."""
    await seed(app, seed_plan)
    statements: list[str] = []

    def seen(*args: object) -> None:
        statements.append(str(args[2]))

    async def count() -> int:
        statements.clear()
        event.listen(app.engine.sync_engine, "before_cursor_execute", seen)
        try:
            await review_progress(app.reader, 1, today=app.clock.today(), policy=app.rag_policy)
        finally:
            event.remove(app.engine.sync_engine, "before_cursor_execute", seen)
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])

    one_review = await count()
    plan = read_plan(FIXTURES / "real" / "tower-hamlets-dhr7.txt", partnership_short_name="BCSP")
    await import_plan(plan, uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR)
    assert await count() == one_review <= 3
