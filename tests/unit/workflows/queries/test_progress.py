"""Progress at a glance, counted in memory: the percentage is of the actions not withdrawn and rounds down, so
100% means every one is assured; a review whose actions are all withdrawn has no percentage."""

from __future__ import annotations

from datetime import date

from domain.model import Review
from domain.rag import Rag, RagPolicy
from domain.states import State
from tests.unit.fakes import uow_factory
from tests.unit.workflows.commands.world import REVIEW, TODAY, action, world
from workflows.queries.progress import StillOpen, review_progress


async def test_two_of_three_assured_is_66_percent_and_a_withdrawn_action_is_not_counted() -> None:
    tx = world()  # 3.11.1, open, due 31 Dec 2013
    for i, state in enumerate([State.PARTNERSHIP_ASSURED, State.PARTNERSHIP_ASSURED, State.WITHDRAWN], start=2):
        tx.actions.put(action(f"3.11.{i}", i, state=state))
    found = (await review_progress(uow_factory(tx), 1, today=TODAY, policy=RagPolicy()))[REVIEW.ref]
    assert (found.whole.counted, found.whole.percent_assured) == (3, 66)
    assert found.whole.rag == {Rag.GREEN: 1, Rag.BLUE: 2, Rag.GREY: 1}
    assert found.months == [StillOpen(date(2013, 12, 1), 1, 0)]


async def test_a_review_all_withdrawn_has_no_percentage_and_one_overdue_counts_its_days() -> None:
    tx = world()
    tx.reviews.put(Review(2, 1, "DHR 2", "Adult E"))
    tx.actions.put(action("1", 2, review_id=2, state=State.WITHDRAWN))
    found = await review_progress(uow_factory(tx), 1, today=date(2014, 1, 10), policy=RagPolicy())
    assert found["DHR 2"].whole.percent_assured is None
    late = found[REVIEW.ref].whole
    assert (late.overdue, late.most_days_overdue, late.percent_assured) == (1, 10, 0)
