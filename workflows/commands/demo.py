"""The demo: the seed plan and one person per role, so a new machine has something to show."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, replace
from pathlib import Path

import documents
from documents.importer import read_plan
from domain.model import ReviewStatus
from domain.roles import Role
from workflows.commands.accounts import set_password
from workflows.commands.import_plan import ImportReport, import_plan
from workflows.commands.people import NewPerson, add_person
from workflows.errors import NotSetUp
from workflows.ports import Tx
from workflows.runtime.container import App

SEED_NAME = "bdhr-2011-12-03-action-plan.txt"
DEMO_DOMAIN = "demo.invalid"
"""RFC 2606: a domain that can never receive mail."""


def seed_plan_path() -> Path:
    """The seed plan shipped with dhrflow (a copy of shared/fixtures, kept byte-identical by a test)."""
    return Path(documents.__file__).parent / "seed" / SEED_NAME


@dataclass(frozen=True)
class DemoPerson:
    email: str
    role: Role
    agency: str | None
    password: str = ""
    """Set only on the run that made it: demo passwords are shown once."""


def _slug(agency: str) -> str:
    acronym = re.search(r"\(([A-Z]{2,})\)", agency)
    if acronym:
        return acronym.group(1).lower()
    words: list[str] = re.findall(r"[A-Za-z]+", agency)
    if len(words) == 1:
        return words[0].lower()
    return "".join(w[0] for w in words if w[0].isupper()).lower() or "agency"


async def load_demo(app: App) -> tuple[ImportReport, list[DemoPerson]]:
    """Import the seed plan and add the demo people that are missing; safe to run again.

    Raises:
        NotSetUp: in production: demo people and their passwords are for trying dhrflow out.
    """
    if app.settings.environment == "production":
        raise NotSetUp("the demo is not for production (DHRFLOW_ENVIRONMENT=production): import real plans instead")
    draft = read_plan(seed_plan_path())
    coordinator = f"coordinator@{DEMO_DOMAIN}"
    async with app.reader() as uow:
        importer = coordinator if await uow.run(lambda tx: tx.people.by_email(coordinator)) else None
        signed_off = await uow.run(_signed_off_actions, draft.partnership_short_name, draft.review_ref)
    if signed_off is None:
        report = await import_plan(draft, uow_factory=app.uow, clock=app.clock, actor_email=importer)
    else:
        # Once the demo review is signed off its plan is frozen and takes no import; the demo has what it
        # needs, so a second ``make run`` goes on with it as it is (only the missing people are added).
        report = ImportReport(draft.partnership_short_name, draft.review_ref, False, unchanged=signed_off, frozen=True)
    wanted = [
        DemoPerson(coordinator, Role.COORDINATOR, None),
        DemoPerson(f"assurer@{DEMO_DOMAIN}", Role.PARTNERSHIP_ASSURER, None),
        DemoPerson(f"viewer@{DEMO_DOMAIN}", Role.VIEWER, None),
        # The health commissioners are the NHS section's own agency: they may not verify NHS evidence.
        DemoPerson(f"commissioner@{DEMO_DOMAIN}", Role.COMMISSIONER, draft.agencies[0]),
    ]
    for agency in draft.agencies:
        slug = _slug(agency)
        wanted.append(DemoPerson(f"lead.{slug}@{DEMO_DOMAIN}", Role.LEAD_OFFICER, agency))
        wanted.append(DemoPerson(f"director.{slug}@{DEMO_DOMAIN}", Role.DIRECTOR, agency))
    async with app.reader() as uow:
        missing = await uow.run(lambda tx: [p for p in wanted if tx.people.by_email(p.email) is None])
    for person in missing:
        name = f"Demo {person.role.label.title()}" + (f" ({_slug(person.agency).upper()})" if person.agency else "")
        command = NewPerson(name, person.email, str(person.role), person.agency, draft.partnership_short_name)
        # The coordinator comes first and then adds everyone else.
        actor = None if person.role is Role.COORDINATOR else coordinator
        await add_person(command, uow_factory=app.uow, clock=app.clock, actor_email=actor)
    return report, await _passwords(app, wanted)


def _signed_off_actions(tx: Tx, short_name: str, review_ref: str) -> int | None:
    """How many actions the review has, if it is there and signed off; otherwise None."""
    partnership = tx.partnerships.by_short_name(short_name)
    review = tx.reviews.by_ref(partnership.id, review_ref) if partnership is not None else None
    if review is None or review.status is not ReviewStatus.SIGNED_OFF:
        return None
    return len(tx.actions.for_review(review.id))


async def _passwords(app: App, people: list[DemoPerson]) -> list[DemoPerson]:
    """A random password for each demo person who has none yet (so the web app can be tried); shown once."""

    def without(tx: Tx) -> set[str]:
        found = {p.email: tx.people.by_email(p.email) for p in people}
        return {e for e, p in found.items() if p is not None and tx.credentials.for_person(p.id) is None}

    async with app.reader() as uow:
        unset = await uow.run(without)
    done = []
    for person in people:
        password = ""
        if person.email in unset:
            password = secrets.token_urlsafe(12)
            await set_password(person.email, password, uow_factory=app.uow, clock=app.clock)
        done.append(replace(person, password=password))
    return done
