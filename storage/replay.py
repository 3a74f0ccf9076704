"""Every decision that moved an action, replayed through the lifecycle table: a decision the rules forbid is
named, however well it is chained.

The hash chain shows that nothing was changed or removed after it was written; it cannot show that what
was written was allowed. Someone able to write the database can append a ``verify`` by the lead officer
who submitted the evidence, chain it with ``record_hash`` and update the action to match: the chain holds,
the action agrees with the log, and only the rules are broken. This replay decides each such decision
again with ``domain.lifecycle.decide``, as the use case would have on the action as the log left it: the
role the decision claims must be the person's, the state and route must allow the event, and the guards
(segregation of duties, own agency, leading the action, a reason or evidence given) must pass.

What it reads of the time: the action's state, submitter and verifier, lead officer (from
``lead_officer_reassigned``), route and agency (from the plan's own updates, ``plan_updated``) as the log
left them. People's roles and agencies are read as they are now: dhrflow records no change of them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.engine import Connection

from domain.errors import DomainError
from domain.lifecycle import EFFECTS, Request, apply, decide, record
from domain.model import Action, ActionColumns, Route
from domain.roles import Actor, Deputy, Role
from domain.states import Event, State
from storage.repositories import ACTION, DECISION, PERSON, REVIEW

_LIFECYCLE = frozenset(str(e) for e in Event)
_TRACKED = _LIFECYCLE | {"lead_officer_reassigned", "plan_updated"}


@dataclass(frozen=True)
class _Person:
    role: Role
    agency_id: int | None
    name: str


@dataclass
class _Replay:
    """An action as the log has left it so far."""

    action: Action
    review_ref: str


@dataclass
class _Start:
    """What an action was before the plan's own updates changed it: read back from their ``from`` values."""

    route: dict[int, str] = field(default_factory=dict)
    agency_id: dict[int, int] = field(default_factory=dict)


def decision_problems(conn: Connection, partnership_id: int) -> list[str]:
    """The decisions of the partnership's log that the lifecycle's rules forbid, one line each."""
    people = _people(conn, partnership_id)
    decisions = list(_decisions(conn, partnership_id))
    replays = _actions(conn, partnership_id, _start(decisions))
    problems: list[str] = []
    for d in decisions:
        replay = replays.get(d["action_id"])
        if replay is None:
            continue  # an action gone from the plan: action_problems names it
        if d["event"] == "plan_updated":
            _plan_updated(replay.action, d)
        elif d["event"] == "lead_officer_reassigned":
            replay.action.lead_officer_id = _payload(d).get("to")
        else:
            problem = _decide_again(replay.action, d, people)
            if problem:
                where = f"decision {d['seq']} ({d['event']} of action {replay.action.ref} of {replay.review_ref}"
                problems.append(f"{where} by {d['actor_name'] or 'nobody'} as {d['actor_role']}): {problem}")
    return problems


def _decide_again(action: Action, d: dict[str, Any], people: dict[int, _Person]) -> str | None:
    """Why the decision ``d`` could not have been taken on ``action`` as the log left it; None when it could.
    The action moves on as the decision says either way, so that one forged decision is named once."""
    actor, problem = _actor(d, people)
    request = Request(Event(d["event"]), d["reason"], d["note"], tuple(json.loads(d["evidence_hashes"] or "[]")))
    if problem is None and actor is not None:
        if str(action.state) != d["from_state"]:
            problem = f"the log left the action {action.state}, not {d['from_state']}"
        else:
            try:
                outcome = decide(action, actor, request, on=d["at"].date())
            except DomainError as refused:
                problem = str(refused)
            else:
                if str(outcome.target) != d["to_state"]:
                    problem = f"the rules move it to {outcome.target}, not {d['to_state']}"
                else:
                    apply(action, outcome, actor, d["at"].date())
                    return None
    _follow(action, d, actor)
    return problem


def _actor(d: dict[str, Any], people: dict[int, _Person]) -> tuple[Actor | None, str | None]:
    """The actor the decision names, or why it names none the rules know: the role it claims must be that of
    the person it acts as (the person stood in for, for a deputy)."""
    acting = people.get(d["actor_id"]) if d["actor_id"] is not None else None
    if acting is None:
        return None, "taken by no person of the partnership"
    principal_id = d["on_behalf_of_id"] or d["actor_id"]
    principal = people.get(principal_id)
    if principal is None:
        return None, "on behalf of no person of the partnership"
    if str(principal.role) != d["actor_role"]:
        return None, f"{principal.name} is a {principal.role.label}, not a {d['actor_role'].replace('_', ' ')}"
    deputy = Deputy(d["actor_id"], acting.agency_id, acting.name) if d["on_behalf_of_id"] else None
    return Actor(principal_id, principal.role, principal.agency_id, principal.name, deputy), None


def _follow(action: Action, d: dict[str, Any], actor: Actor | None) -> None:
    """Move the replayed action as a refused decision says it moved, so that the decisions after it are
    judged on the action the log shows."""
    action.state = State(d["to_state"]) if d["to_state"] in {str(s) for s in State} else action.state
    acting = actor.acting_id if actor is not None else d["actor_id"]
    record(action, EFFECTS[Event(d["event"])], acting, d["on_behalf_of_id"])


def _plan_updated(action: Action, d: dict[str, Any]) -> None:
    changes = _payload(d).get("changes", {})
    if "route" in changes:
        action.route = Route(changes["route"]["to"])
    if "agency_id" in changes:
        action.agency_id = int(changes["agency_id"]["to"])


def _start(decisions: list[dict[str, Any]]) -> _Start:
    """Each action's route and agency before the first plan update that changed them."""
    start = _Start()
    for d in decisions:
        if d["event"] != "plan_updated":
            continue
        changes = _payload(d).get("changes", {})
        if "route" in changes:
            start.route.setdefault(d["action_id"], changes["route"]["from"])
        if "agency_id" in changes:
            start.agency_id.setdefault(d["action_id"], int(changes["agency_id"]["from"]))
    return start


def _payload(d: dict[str, Any]) -> dict[str, Any]:
    try:
        found = json.loads(d["payload"] or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _people(conn: Connection, partnership_id: int) -> dict[int, _Person]:
    rows = conn.execute(
        select(PERSON.c.id, PERSON.c.role, PERSON.c.agency_id, PERSON.c.name).where(
            PERSON.c.partnership_id == partnership_id
        )
    )
    found = {}
    for person_id, role, agency_id, name in rows:
        try:
            found[person_id] = _Person(Role(role), agency_id, name)
        except ValueError:
            continue  # a role the rules do not know: decisions by them are named as by nobody
    return found


def _decisions(conn: Connection, partnership_id: int) -> Iterator[dict[str, Any]]:
    stmt = (
        select(
            DECISION.c.seq,
            DECISION.c.at,
            DECISION.c.event,
            DECISION.c.action_id,
            DECISION.c.actor_id,
            DECISION.c.actor_name,
            DECISION.c.actor_role,
            DECISION.c.on_behalf_of_id,
            DECISION.c.from_state,
            DECISION.c.to_state,
            DECISION.c.reason,
            DECISION.c.note,
            DECISION.c.evidence_hashes,
            DECISION.c.payload,
        )
        .where(
            DECISION.c.partnership_id == partnership_id,
            DECISION.c.action_id.is_not(None),
            DECISION.c.event.in_(list(_TRACKED)),
        )
        .order_by(DECISION.c.seq)
    )
    for row in conn.execute(stmt).mappings():
        yield dict(row)


def _actions(conn: Connection, partnership_id: int, start: _Start) -> dict[int, _Replay]:
    """Every action of the partnership as it was before its first decision: open, nobody's evidence, its
    first lead officer unknown (set by the first reassignment), route and agency as first imported."""
    stmt = (
        select(ACTION.c.id, ACTION.c.ref, ACTION.c.review_id, ACTION.c.agency_id, ACTION.c.route, REVIEW.c.ref)
        .join(REVIEW, REVIEW.c.id == ACTION.c.review_id)
        .where(REVIEW.c.partnership_id == partnership_id)
    )
    replays = {}
    for action_id, ref, review_id, agency_id, route, review_ref in conn.execute(stmt):
        action = Action(
            id=action_id,
            review_id=review_id,
            agency_id=start.agency_id.get(action_id, agency_id),
            ref=ref,
            columns=ActionColumns(),
            target_date=None,
            route=Route(start.route.get(action_id, route)),
        )
        replays[action_id] = _Replay(action, review_ref)
    return replays


def guard_problems(conn: Connection) -> list[str]:
    """The database's refusal of UPDATE and DELETE on the decision log, if it is gone: someone able to drop
    it can rewrite the log (the chain then shows what they changed, but not a clean cut of its tail)."""
    if conn.dialect.name == "sqlite":
        found = {
            name
            for (name,) in conn.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'decision'")
            )
        }
        missing = sorted({"decision_no_update", "decision_no_delete"} - found)
    else:
        found = {
            name
            for (name,) in conn.execute(
                text(
                    "SELECT tgname FROM pg_trigger WHERE tgrelid = 'decision'::regclass AND NOT tgisinternal "
                    "AND tgenabled <> 'D'"
                )
            )
        }
        missing = sorted({"decision_append_only"} - found)
    if not missing:
        return []
    return [f"the database no longer refuses changes to the decision log: trigger {', '.join(missing)} is gone or off"]
