"""Who set-up decisions (imports, people) are attributed to.

Until a partnership has a coordinator, whoever runs dhrflow on the machine sets
it up, and those decisions are the system's. From then on a coordinator must say
who they are (``--as``): every decision is attributable to a person.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.roles import Role
from storage.uow import Tx
from workflows.context import partnership_id
from workflows.errors import InvalidInput, UnknownPerson

SYSTEM_ACTOR = "dhrflow"
"""Who decisions are attributed to when no person acts: the demo seed, a first import, set-up."""


@dataclass(frozen=True)
class Attribution:
    partnership_id: int
    person_id: int | None
    name: str
    role: str


def coordinator(tx: Tx, partnership_id: int, short_name: str, email: str | None, doing: str) -> Attribution:
    """The coordinator ``email`` doing set-up work, or the system while the partnership has none.

    Raises:
        InvalidInput: ``--as`` missing once there is a coordinator, or naming someone who is not one.
    """
    if email is None:
        if any(p.role is Role.COORDINATOR for p in tx.people.in_partnership(partnership_id)):
            raise InvalidInput(f"say who {doing} for {short_name}: --as COORDINATOR_EMAIL")
        return Attribution(partnership_id, None, SYSTEM_ACTOR, "system")
    person = tx.people.by_email(email)
    if person is None:
        raise UnknownPerson(email)
    if person.role is not Role.COORDINATOR or person.partnership_id != partnership_id:
        raise InvalidInput(f"{email} may not do this for {short_name}: only its coordinators may ({doing})")
    return Attribution(partnership_id, person.id, person.name, str(person.role))


def acting_coordinator(tx: Tx, partnership: str | None, email: str | None, doing: str) -> tuple[Attribution, int]:
    """The partnership named (or the only one), its log locked before any row is touched (one lock
    order for every writer), and who does ``doing`` for it: see ``coordinator``."""
    pid = partnership_id(tx, partnership)
    tx.decisions.lock_chain(pid)
    short_name = next(p["short_name"] for p in tx.partnerships.all() if p["id"] == pid)
    return coordinator(tx, pid, short_name, email, doing), pid


def coordinator_by_email(tx: Tx, email: str, doing: str) -> Attribution:
    """The coordinator ``email`` of their own partnership, its log locked first (one lock order for every
    writer).

    Raises:
        UnknownPerson: no such person.
        InvalidInput: they are not a coordinator.
    """
    person = tx.people.by_email(email.strip())
    if person is None:
        raise UnknownPerson(email)
    pid = person.partnership_id
    tx.decisions.lock_chain(pid)
    short_name = next(p["short_name"] for p in tx.partnerships.all() if p["id"] == pid)
    return coordinator(tx, pid, short_name, email.strip(), doing)
