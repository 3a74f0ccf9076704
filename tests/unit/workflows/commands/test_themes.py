"""Themes on in-memory storage: suggested from an action's words, confirmed or removed by a coordinator, a
vocabulary of the partnership's own, and what recurs across reviews."""

from __future__ import annotations

from datetime import datetime

import pytest

from domain.errors import ThemeRefused
from tests.unit.fakes import FakeTx
from tests.unit.workflows.commands.world import AT, COORDINATOR, LEAD, TODAY
from workflows.commands.themes import (
    action_themes,
    add_theme,
    apply_suggestions,
    set_theme,
    suggest_themes,
    themes_report,
)
from workflows.context import ActionKey
from workflows.errors import InvalidInput
from workflows.ports import UowFactory

KEY = ActionKey("3.11.1")


async def test_a_suggestion_stands_until_a_coordinator_confirms_or_removes_it(tx: FakeTx, uow: UowFactory) -> None:
    [suggested] = await suggest_themes(uow, partnership="BCSP")
    assert (suggested.action_ref, [s.theme for s in suggested.suggestions]) == ("3.11.1", ["mha_s136"])
    with pytest.raises(InvalidInput, match="only its coordinators"):
        await set_theme(LEAD.email, KEY, "mha_s136", uow_factory=uow, at=AT)
    assert await set_theme(COORDINATOR.email, KEY, "Mental Health Act s136", remove=True, uow_factory=uow, at=AT)
    assert not await set_theme(COORDINATOR.email, KEY, "mha_s136", remove=True, uow_factory=uow, at=AT)  # so already
    assert await suggest_themes(uow, partnership="BCSP") == []
    themes = await action_themes(uow, 1, 1)
    assert ([t.key for t in themes.removed], themes.suggested) == (["mha_s136"], ())
    assert tx.decisions.events() == ["theme_removed"]


async def test_applying_the_suggestions_confirms_each_and_the_report_counts_them(tx: FakeTx, uow: UowFactory) -> None:
    done = await apply_suggestions(COORDINATOR.email, uow_factory=uow, at=AT)
    assert [(a.action_ref, [s.theme for s in a.suggestions]) for a in done] == [("3.11.1", ["mha_s136"])]
    assert tx.decisions.drafts[-1].payload == {"theme": "mha_s136", "matched": ["s136"]}
    report = await themes_report(uow, today=TODAY, partnership="BCSP")
    assert [(t.theme, t.actions) for t in report.themes] == [("mha_s136", 1)]


async def test_a_partnership_grows_its_own_vocabulary_one_new_key_at_a_time(tx: FakeTx, uow: UowFactory) -> None:
    with pytest.raises(ThemeRefused, match="already in the vocabulary"):
        await add_theme(COORDINATOR.email, "housing", "Housing", ["tenancy"], uow_factory=uow, at=AT)
    added = await add_theme(COORDINATOR.email, "detention", "Detention", ["Detentions "], uow_factory=uow, at=AT)
    assert added.phrases == ("detentions",)
    with pytest.raises(ThemeRefused, match="no theme 'detained'"):
        await set_theme(COORDINATOR.email, KEY, "detained", uow_factory=uow, at=datetime(2013, 10, 2))
    [suggested] = await suggest_themes(uow, partnership="BCSP")
    assert [s.theme for s in suggested.suggestions] == ["mha_s136", "detention"]
