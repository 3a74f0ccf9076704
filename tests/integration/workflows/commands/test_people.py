"""Adding people on real databases: what a name may hold, and what a taken email tells whom (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from documents.importer import read_plan
from storage.tables import PersonRow
from tests.integration.helpers import COORDINATOR, LEAD, POLICE, seed
from tests.unit.plan_builders import write_csv
from workflows.commands.import_plan import import_plan
from workflows.commands.people import NewPerson, add_person
from workflows.errors import InvalidInput
from workflows.runtime.container import App


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


OTHER_COORDINATOR = "coordinator@xcsp.test"


async def other_partnership(app: App, tmp_path: Path) -> None:
    """A second partnership, XCSP, with a coordinator of its own."""
    rows = [["DHR 2019-04 Action Plan"], ["Ref", "Action", "Agency"], ["1.1", "Brief officers", "Police"]]
    plan = read_plan(write_csv(tmp_path / "xcsp.csv", rows), partnership_short_name="XCSP")
    await import_plan(plan, uow_factory=app.uow, clock=app.clock)
    command = NewPerson("X Coordinator", OTHER_COORDINATOR, "coordinator", None, "XCSP")
    await add_person(command, uow_factory=app.uow, clock=app.clock)


async def refusal(app: App, email: str, *, partnership: str, actor: str) -> str:
    command = NewPerson("Someone New", email, "viewer", None, partnership)
    with pytest.raises(InvalidInput) as refused:
        await add_person(command, uow_factory=app.uow, clock=app.clock, actor_email=actor)
    return str(refused.value)


async def test_an_email_taken_in_the_coordinators_own_partnership_says_whose_it_is(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    told = await refusal(app, LEAD, partnership="BCSP", actor=COORDINATOR)
    assert told == f"--email '{LEAD}' is already Lead WMP's (lead officer) in this partnership"


async def test_an_email_taken_in_another_partnership_gets_the_answer_a_bad_address_gets(
    app: App, seed_plan: Path, tmp_path: Path
) -> None:
    """Emails are unique across partnerships; "already someone's" told XCSP's coordinator that BCSP's lead
    officer has an account. The answer is now the one a malformed address gets, the address aside."""
    await seed(app, seed_plan)
    await other_partnership(app, tmp_path)
    before = await people_count(app)
    taken = await refusal(app, LEAD.upper(), partnership="XCSP", actor=OTHER_COORDINATOR)
    malformed = await refusal(app, "lead.wmp@bcsp", partnership="XCSP", actor=OTHER_COORDINATOR)
    assert taken == f"cannot add --email '{LEAD.upper()}': the address is already in use or not accepted"
    assert taken.replace(LEAD.upper(), "ADDRESS") == malformed.replace("lead.wmp@bcsp", "ADDRESS")
    assert "Lead WMP" not in taken and "partnership" not in taken
    assert await people_count(app) == before
