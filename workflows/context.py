"""What every use case needs to know about the request it serves: who acts (``acting``), in which
partnership (``partnership_id``), on which action (``ActionKey``, ``find_action``), and how the decision it
takes is written down (``decision_about``, the one builder of a decision record). Set-up work (imports,
people) is attributed with ``Attribution``: until a partnership has a coordinator, whoever runs dhrflow on
the machine sets it up and those decisions are the system's; from then on a coordinator says who they are
(``--as``), so every decision is attributable to a person.

These lived inside feature modules (``transitions``, ``deputies``, ``queries``) and so made those import
one another; here they depend on the domain and storage only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.deputies import acting_for
from domain.model import Action, Agency, Partnership, Person
from domain.roles import Actor, Role
from storage.repositories import DecisionDraft
from workflows.errors import ActionNotFound, AmbiguousAction, InvalidInput, NotSetUp, UnknownPerson
from workflows.ports import Tx
from workflows.runtime.clock import LONDON


@dataclass(frozen=True)
class ActionKey:
    """How a person names an action: its ref, and the review where the ref alone is ambiguous; or, from
    the web app and the API, its id (then the action must be one the person may see)."""

    ref: str
    review_ref: str | None = None
    action_id: int | None = None

    @classmethod
    def by_id(cls, action_id: int) -> ActionKey:
        return cls(f"#{action_id}", None, action_id)


def find_action(tx: Tx, partnership_id: int, key: ActionKey) -> tuple[str, Action]:
    """The action ``key`` names in the partnership, with its review's ref."""
    if key.action_id is not None:
        found = tx.actions.by_id(partnership_id, key.action_id)
        return one_action(key, [found] if found else [])
    return one_action(key, tx.actions.find(partnership_id, key.ref, key.review_ref))


def one_action(key: ActionKey, found: list[tuple[str, Action]]) -> tuple[str, Action]:
    if not found:
        raise ActionNotFound(key.ref, key.review_ref)
    if len(found) > 1:
        raise AmbiguousAction(key.ref, sorted(review_ref for review_ref, _ in found))
    return found[0]


def partnership_id(tx: Tx, short_name: str | None = None) -> int:
    """The partnership named, or the only one there is."""
    partnerships = tx.partnerships.all()
    if short_name is not None:
        for p in partnerships:
            if p.short_name.lower() == short_name.lower():
                return p.id
        raise InvalidInput(f"no partnership {short_name!r}")
    if not partnerships:
        raise NotSetUp("no plan imported yet: run `dhrflow import FILE` (or `make run` for the demo)")
    if len(partnerships) > 1:
        names = ", ".join(p.short_name for p in partnerships)
        raise InvalidInput(f"several partnerships ({names}): name one with --partnership")
    return partnerships[0].id


def partnership_by_id(tx: Tx, pid: int) -> Partnership:
    """The partnership with id ``pid`` (one the caller has from a person or a row: it exists)."""
    return next(p for p in tx.partnerships.all() if p.id == pid)


def partnership_names(tx: Tx) -> dict[int, str]:
    """Every partnership's short name, by id."""
    return {p.id: p.short_name for p in tx.partnerships.all()}


def acting(tx: Tx, email: str, on_behalf_of: str | None, today: date) -> tuple[Person, Actor]:
    """The person ``email`` and the actor they are: themselves, or ``on_behalf_of``'s deputy today.

    Raises:
        UnknownPerson: either email names nobody (of the same partnership).
        DeputyRefused: no deputy period in force today lets them act for that person.
    """
    person = tx.people.by_email(email)
    if person is None:
        raise UnknownPerson(email)
    if on_behalf_of is None or on_behalf_of.strip().lower() == person.email.lower():
        return person, Actor(person.id, person.role, person.agency_id, person.name)
    principal = tx.people.by_email(on_behalf_of.strip())
    if principal is None or principal.partnership_id != person.partnership_id:
        raise UnknownPerson(on_behalf_of)
    return person, acting_for(principal, person, tx.deputies.standing_in(person.id, today), today)


def acting_to_decide(tx: Tx, email: str, on_behalf_of: str | None, at: datetime) -> tuple[Person, Actor]:
    """``acting`` on ``at``'s day in London, the partnership's log locked before any row is read: one lock
    order for every writer."""
    person, actor = acting(tx, email, on_behalf_of, at.astimezone(LONDON).date())
    tx.decisions.lock_chain(person.partnership_id)
    return person, actor


def decision_about(
    who: Actor | Attribution, partnership_id: int, event: str, at: datetime, **fields: Any
) -> DecisionDraft:
    """A decision record, attributed to whoever really acts: a person as themselves, a deputy on behalf of the
    person they stand in for, or (``Attribution``) the coordinator or the system doing set-up work."""
    if not isinstance(who, Actor):
        return DecisionDraft(
            partnership_id=partnership_id,
            actor_id=who.person_id,
            actor_name=who.name,
            actor_role=who.role,
            event=event,
            at=at,
            **fields,
        )
    deputy = who.deputy
    return DecisionDraft(
        partnership_id=partnership_id,
        actor_id=deputy.person_id if deputy else who.person_id,
        actor_name=deputy.name if deputy else who.name,
        actor_role=str(who.role),
        on_behalf_of_id=who.person_id if deputy else None,
        event=event,
        at=at,
        **fields,
    )


def about_action(action: Action, review_ref: str) -> dict[str, Any]:
    """The fields of a decision about ``action`` that leaves its state as it is (``decision_about(...,
    **about_action(action, ref))``)."""
    state = str(action.state)
    return {
        "review_id": action.review_id,
        "review_ref": review_ref,
        "action_id": action.id,
        "action_ref": action.ref,
        "from_state": state,
        "to_state": state,
    }


MAX_TEXT_CHARS = 20_000
"""A reason or note longer than this is refused: the log keeps every character for ever."""


def check_length(name: str, text: str) -> None:
    """Refuse a reason or note (``name``, as the command line spells it) longer than ``MAX_TEXT_CHARS``, or
    holding a NUL character (PostgreSQL stores no such text; SQLite would, and the two must agree).

    Raises:
        InvalidInput: naming the field and what is wrong.
    """
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidInput(f"{name} is {len(text):,} characters; the most is {MAX_TEXT_CHARS:,}")
    if "\x00" in text:
        raise InvalidInput(f"{name} holds a NUL character (U+0000), which no record keeps: take it out")


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
    return coordinator(tx, pid, partnership_by_id(tx, pid).short_name, email, doing), pid


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
    return coordinator(tx, pid, partnership_by_id(tx, pid).short_name, email.strip(), doing)


@dataclass(frozen=True)
class Principal:
    """Who a request acts as."""

    person: Person
    csrf_token: str = ""
    """The session's CSRF token (empty for API tokens, which no browser sends by itself)."""

    @property
    def actor(self) -> Actor:
        return Actor(self.person.id, self.person.role, self.person.agency_id, self.person.name)


def person_named(tx: Tx, email: str) -> Person:
    """The person with ``email``.

    Raises:
        UnknownPerson: nobody has it.
    """
    person = tx.people.by_email(email.strip())
    if person is None:
        raise UnknownPerson(email)
    return person


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def agency_matching(agencies: list[Agency], text: str) -> Agency:
    wanted = text.strip().lower()
    exact = [a for a in agencies if a.name.lower() == wanted]
    found = exact or [a for a in agencies if wanted in a.name.lower()]
    if len(found) == 1:
        return found[0]
    names = "; ".join(a.name for a in (found or agencies))
    raise InvalidInput(f"--agency {text!r} matches {'several' if found else 'no'} agencies ({names})")
