"""Set-up shared by integration tests: the seed plan and one person per role."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from documents.importer import read_plan
from workflows.commands.import_plan import ImportReport, import_plan
from workflows.commands.milestones import MilestoneCommand, record_milestone
from workflows.commands.people import NewPerson, add_person
from workflows.runtime.clock import LONDON
from workflows.runtime.container import App
from workflows.runtime.working_days import england_and_wales

POLICE = "West Midlands Police"
BSMHFT = "Birmingham & Solihull Mental Health Foundation Trust (BSMHFT)"

LEAD = "lead.wmp@bcsp.test"
LEAD_BSMHFT = "lead.bsmhft@bcsp.test"
COMMISSIONER = "commissioner@bcsp.test"
POLICE_COMMISSIONER = "police.commissioner@bcsp.test"
ASSURER = "assurer@bcsp.test"
COORDINATOR = "coordinator@bcsp.test"


async def seed(app: App, plan: Path) -> ImportReport:
    report = await import_plan(read_plan(plan), uow_factory=app.uow, clock=app.clock)
    for name, email, role, agency in [
        ("Lead WMP", LEAD, "lead_officer", POLICE),
        ("Lead BSMHFT", LEAD_BSMHFT, "lead_officer", BSMHFT),
        ("Health Commissioner", COMMISSIONER, "commissioner", "NHS"),
        ("Police Commissioner", POLICE_COMMISSIONER, "commissioner", POLICE),
        ("Partnership Assurer", ASSURER, "partnership_assurer", None),
        ("Director WMP", "director.wmp@bcsp.test", "director", POLICE),
        ("Coordinator", COORDINATOR, "coordinator", None),  # last: from here on set-up needs --as
    ]:
        await add_person(NewPerson(name, email, role, agency), uow_factory=app.uow, clock=app.clock)
    return report


async def report_sent(app: App, review_ref: str = "BDHR2011/12-03") -> None:
    """Record that the review's report went to the Home Office on the day of the test clock, so that its own
    ladder (``report_submission``, tests/integration/workflows/commands/test_milestone_ladder.py) stops: for
    tests counting what the actions' ladders send."""
    on = app.clock.now().astimezone(LONDON).date()
    command = MilestoneCommand(review_ref, "report_submitted_to_home_office", on)
    await record_milestone(COORDINATOR, command, uow_factory=app.uow, clock=app.clock)


async def direct_every_agency(app: App) -> int:
    """A director for every agency of the seed that has none (the seed gives only the police one), so a
    catch-up's escalations all find someone; returns how many were added."""
    async with app.reader() as uow:
        rows = await uow.connection.execute(text("SELECT name FROM agency WHERE director_id IS NULL ORDER BY id"))
        names = [name for (name,) in rows]
    for n, name in enumerate(names, 1):
        person = NewPerson(f"Director {n}", f"director{n}@bcsp.test", "director", name)
        await add_person(person, uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR)
    return len(names)


def working_day_from_today() -> str:
    """The first working day in England and Wales from today on (ISO): a sweep day on which everything the
    system clock imported today is already due, and every seed action long overdue."""
    calendar = england_and_wales()
    day = datetime.now(LONDON).date()
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day.isoformat()
