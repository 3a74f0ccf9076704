"""People: add a person to a partnership in a role (and an agency where the role has one)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from domain.characters import refused_character
from domain.model import ROLES_WITH_AGENCY
from domain.roles import Role
from workflows.context import acting_coordinator, agency_matching, decision_about
from workflows.errors import InvalidInput
from workflows.ports import Tx, UowFactory
from workflows.runtime.clock import Clock

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class NewPerson:
    name: str
    email: str
    role: str
    agency: str | None = None
    partnership: str | None = None


@dataclass(frozen=True)
class AddedPerson:
    id: int
    name: str
    email: str
    role: Role
    agency: str | None


async def add_person(
    command: NewPerson, *, uow_factory: UowFactory, clock: Clock, actor_email: str | None = None
) -> AddedPerson:
    """Add a person; a director becomes their agency's director (the one escalations go to),
    replacing the one before, who is named in the decision. ``actor_email`` is the
    coordinator adding them (``workflows.context`` says when it may be left out).

    Raises:
        InvalidInput: a name or email holding a control or bidi character, a bad email, an unknown role,
            a missing or unknown agency, a taken email (whose, when it is this partnership's; for another
            partnership's, the same answer as for a bad email).
    """
    name, email = command.name.strip(), command.email.strip()
    if not name:
        raise InvalidInput("--name is empty")
    for option, value in (("--name", name), ("--email", email)):
        problem = refused_character(value)  # a CR/LF would split the emails that name them; U+202E reorders
        if problem:
            raise InvalidInput(f"{option} {value!r}: {problem}")
    if not _EMAIL.match(email):
        raise _not_accepted(email)
    try:
        role = Role(command.role.strip().lower().replace(" ", "_"))
    except ValueError:
        raise InvalidInput(f"--role {command.role!r} is not one of: {', '.join(Role)}") from None
    if role in ROLES_WITH_AGENCY and not command.agency:
        raise InvalidInput(f"a {role.label} works for an agency: give --agency")
    if role not in ROLES_WITH_AGENCY and command.agency:
        raise InvalidInput(f"a {role.label} is partnership staff and has no agency: leave out --agency")

    at = clock.now()
    async with uow_factory() as uow:
        added = await uow.run(_add_in, command.partnership, name, email, role, command.agency, at, actor_email)
        await uow.commit()
    return added


def _add_in(
    tx: Tx,
    partnership: str | None,
    name: str,
    email: str,
    role: Role,
    agency_name: str | None,
    at: datetime,
    actor_email: str | None,
) -> AddedPerson:
    actor, pid = acting_coordinator(tx, partnership, actor_email, "adds people")
    existing = tx.people.by_email(email)
    if existing is not None and existing.partnership_id == pid:
        raise InvalidInput(
            f"--email {email!r} is already {existing.name}'s ({existing.role.label}) in this partnership"
        )
    if existing is not None:
        raise _not_accepted(email)
    agency = agency_matching(tx.agencies.in_partnership(pid), agency_name) if agency_name else None
    person_id = tx.people.add(pid, name, email, str(role), agency.id if agency else None)
    replaced = None
    if role is Role.DIRECTOR and agency is not None:
        replaced = agency.director_id
        tx.agencies.set_director(agency.id, person_id)
    tx.decisions.append(
        decision_about(
            actor,
            actor.partnership_id,
            event="person_added",
            at=at,
            payload={
                "person_id": person_id,
                "role": str(role),
                "agency_id": agency.id if agency else None,
                "replaces_director_id": replaced,
            },
        )
    )
    return AddedPerson(person_id, name, email, role, agency.name if agency else None)


def _not_accepted(email: str) -> InvalidInput:
    """The one answer for an address that is not one and for an address another partnership has.

    Emails are unique across partnerships (``person.email``), so saying "already someone's" would tell a
    coordinator that the address has an account elsewhere; within their own partnership they are told whose.
    """
    return InvalidInput(f"cannot add --email {email!r}: the address is already in use or not accepted")


async def add_agency(
    name: str, *, uow_factory: UowFactory, clock: Clock, actor_email: str | None = None, partnership: str | None = None
) -> str:
    """Add an agency (one that joins the partnership's work before any plan names it).

    Raises:
        InvalidInput: no name, or the partnership has an agency of that name already.
    """
    clean = " ".join(name.split())
    if not clean:
        raise InvalidInput("an agency needs a name")
    if why := refused_character(clean):
        raise InvalidInput(f"agency name {clean!r}: {why}")
    if len(clean) > 200:
        raise InvalidInput("an agency's name is at most 200 characters")
    at = clock.now()

    def add(tx: Tx) -> str:
        actor, pid = acting_coordinator(tx, partnership, actor_email, "adds agencies")
        if any(a.name.lower() == clean.lower() for a in tx.agencies.in_partnership(pid)):
            raise InvalidInput(f"the partnership has an agency named {clean!r} already")
        agency_id = tx.agencies.add(pid, clean)
        tx.decisions.append(
            decision_about(actor, actor.partnership_id, event="agency_added", at=at, payload={"agency_id": agency_id})
        )
        return clean

    async with uow_factory() as uow:
        return await uow.run_and_commit(add)
