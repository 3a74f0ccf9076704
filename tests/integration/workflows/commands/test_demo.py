"""The demo on real databases: ``make run`` a second time goes on with what the first made, signed off or not
(issue 16: "its plan is frozen and takes no import" stopped it once the demo review was signed off)."""

from __future__ import annotations

from workflows.commands.demo import load_demo
from workflows.ports import Tx
from workflows.runtime.container import App


def _sign_off(tx: Tx, review_ref: str) -> None:
    [partnership] = tx.partnerships.all()
    review = tx.reviews.by_ref(partnership.id, review_ref)
    assert review is not None
    tx.reviews.set_status(review.id, "signed_off")


async def test_the_demo_runs_again_after_its_review_is_signed_off_and_changes_nothing(app: App) -> None:
    first, people = await load_demo(app)
    assert first.created_review and len(first.added) == 13 and not first.frozen
    again, _ = await load_demo(app)
    assert not again.created_review and not again.added and again.unchanged == 13 and not again.frozen

    async with app.uow() as uow:
        await uow.run_and_commit(_sign_off, first.review_ref)
    frozen, people_again = await load_demo(app)
    assert frozen.frozen and frozen.unchanged == 13 and not frozen.added
    assert [p.email for p in people_again] == [p.email for p in people]
    assert not any(p.password for p in people_again)  # passwords are shown once, on the run that set them
