"""Adding people on real databases: what a name may hold (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.tables import PersonRow
from tests.integration.helpers import COORDINATOR, POLICE, seed
from workflows.app import App
from workflows.errors import InvalidInput
from workflows.people import NewPerson, add_person


async def people_count(app: App) -> int:
    async with app.reader() as uow:
        return int((await uow.connection.execute(select(func.count()).select_from(PersonRow))).scalar_one())


@pytest.mark.parametrize(
    ("name", "email", "message"),
    [
        ("A\u202eB", "a.b@bcsp.test", "--name 'A\\u202eB': control or bidi character U+202E is not allowed"),
        ("Jane\r\nBcc: all@bcsp.test", "jane@bcsp.test", "--name 'Jane\\r\\nBcc: all@bcsp.test': control or bidi"),
        ("Jane\tDoe", "jane@bcsp.test", "control or bidi character U+0009 is not allowed"),
        ("Jane\x00", "jane@bcsp.test", "control or bidi character U+0000 is not allowed"),
        ("Jane Doe", "jane\u2066@bcsp.test", "--email 'jane\\u2066@bcsp.test': control or bidi character U+2066"),
    ],
)
async def test_a_name_or_email_holding_a_control_or_bidi_character_is_refused_in_one_line_and_nobody_is_added(
    app: App, seed_plan: Path, name: str, email: str, message: str
) -> None:
    await seed(app, seed_plan)
    before = await people_count(app)
    command = NewPerson(name, email, "lead_officer", POLICE)
    with pytest.raises(InvalidInput) as refused:
        await add_person(command, uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR)
    assert message in str(refused.value) and "\n" not in str(refused.value)
    assert await people_count(app) == before


async def test_a_name_in_a_right_to_left_script_is_added(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    command = NewPerson("  محمد علي  ", "m.ali@bcsp.test", "lead_officer", POLICE)
    added = await add_person(command, uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR)
    assert added.name == "محمد علي"
