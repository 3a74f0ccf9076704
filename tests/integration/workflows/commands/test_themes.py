"""Themes on real databases: suggestions confirmed and removed as decisions, the log still checks, and the
report counts across reviews.

The clock is pinned (2013-10-01, the conftest's).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from documents.themes_report import themes_csv
from tests.integration.helpers import COORDINATOR, LEAD, seed
from workflows.commands.themes import add_theme, apply_suggestions, set_theme, suggest_themes, themes_report
from workflows.context import ActionKey
from workflows.errors import InvalidInput
from workflows.queries.log import verify_log
from workflows.runtime.container import App


async def test_the_coordinator_confirms_and_removes_themes_each_a_decision(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    at = app.clock.now()
    before = await suggest_themes(app.reader)
    s136 = next(s for s in before if s.action_ref == "3.11.2").suggestions
    assert [(s.theme, s.matched) for s in s136] == [("mha_s136", ("sec.136", "sec 136"))]

    assert await set_theme(COORDINATOR, ActionKey("3.1.2"), "record_keeping", remove=True, uow_factory=app.uow, at=at)
    assert not await set_theme(
        COORDINATOR, ActionKey("3.1.2"), "record_keeping", remove=True, uow_factory=app.uow, at=at
    )
    confirmed = await apply_suggestions(COORDINATOR, uow_factory=app.uow, at=at)
    assert sum(len(c.suggestions) for c in confirmed) == sum(len(s.suggestions) for s in before) - 1
    assert await suggest_themes(app.reader) == []
    with pytest.raises(InvalidInput):
        await set_theme(LEAD, ActionKey("3.11.2"), "housing", uow_factory=app.uow, at=at)

    async with app.reader() as uow:
        rows = await uow.run(
            lambda tx: tx.connection.execute(
                text("SELECT event, action_ref, payload FROM decision WHERE event LIKE 'theme%' ORDER BY seq")
            ).all()
        )
    assert rows[0][:2] == ("theme_removed", "3.1.2")
    assert ("theme_confirmed", "3.11.2", {"theme": "mha_s136", "matched": ["sec.136", "sec 136"]}) in [
        (e, r, json.loads(p)) for e, r, p in rows
    ]
    [log] = await verify_log(app.reader)
    assert log.ok, log.to_json()  # theme decisions leave the actions' versions as they were

    report = await themes_report(app.reader, today=app.clock.today())
    by_theme = {t.theme: t for t in report.themes}
    assert by_theme["record_keeping"].actions == 2  # 3.5.1 and 3.5.2: removed from 3.1.2
    assert by_theme["carers_assessment"].actions == 5 and len(by_theme["carers_assessment"].reviews) == 1
    assert themes_csv(report.themes).decode().splitlines()[0].startswith("theme,label,recurs,actions,reviews")


async def test_a_partnership_adds_a_theme_of_its_own(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    at = app.clock.now()
    await add_theme(
        COORDINATOR, "transfer_of_care", "Transfer of care", ["transfer of care"], uow_factory=app.uow, at=at
    )
    found = {s.action_ref: s.suggestions for s in await suggest_themes(app.reader)}
    assert [s.theme for s in found["3.9.1"]] == ["transfer_of_care"]
    assert await set_theme(COORDINATOR, ActionKey("3.9.1"), "Transfer of care", uow_factory=app.uow, at=at)
