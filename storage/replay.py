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
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, text
from sqlalchemy.engine import Connection

from domain.errors import DomainError
from domain.impact import IMPACT_EVENTS, ImpactCheck, ImpactOutcome, check_answer
from domain.lifecycle import EFFECTS, Request, apply, decide, record
from domain.model import Action, ActionColumns, Route
from domain.roles import Actor, Deputy, Role
from domain.states import Event, State
from storage.repositories import ACTION, DECISION, PERSON, REVIEW
from storage.tables import metadata

_LONDON = ZoneInfo("Europe/London")

_LIFECYCLE = frozenset(str(e) for e in Event)
_TRACKED = _LIFECYCLE | {"lead_officer_reassigned", "plan_updated"} | IMPACT_EVENTS
IMPACT = metadata.tables["impact_check"]


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
    impact: ImpactCheck | None = None
    """Its impact check as the log left it: scheduled by the assurance, answered by an impact decision."""


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
        elif d["event"] in IMPACT_EVENTS:
            problem = _impact_again(replay, d, people)
            if problem:
                where = f"decision {d['seq']} ({d['event']} of action {replay.action.ref} of {replay.review_ref}"
                problems.append(f"{where} by {d['actor_name'] or 'nobody'} as {d['actor_role']}): {problem}")
        else:
            problem = _decide_again(replay.action, d, people)
            due_on = _payload(d).get("impact_check_due_on") if d["event"] == str(Event.ASSURE) else None
            if due_on:
                replay.impact = ImpactCheck(replay.action.id, date.fromisoformat(due_on))
            if problem:
                where = f"decision {d['seq']} ({d['event']} of action {replay.action.ref} of {replay.review_ref}"
                problems.append(f"{where} by {d['actor_name'] or 'nobody'} as {d['actor_role']}): {problem}")
    return problems + _impact_rows(conn, partnership_id, replays)


def _impact_again(replay: _Replay, d: dict[str, Any], people: dict[int, _Person]) -> str | None:
    """Why the impact decision ``d`` could not have been taken on the action and its check as the log left them
    (``domain.impact.check_answer``); None when it could. The check is answered as the decision says either way."""
    actor, problem = _actor(d, people)
    payload = _payload(d)
    outcome = ImpactOutcome(d["event"])
    day = d["at"].astimezone(_LONDON).date()
    decided_on = date.fromisoformat(payload["decided_on"]) if payload.get("decided_on") else day
    if problem is None and actor is not None:
        try:
            check_answer(
                replay.action,
                actor,
                replay.impact,
                outcome,
                reason=d["reason"],
                note=d["note"],
                evidence=len(json.loads(d["evidence_hashes"] or "[]")),
                on=day,
                decided_on=decided_on,
            )
        except DomainError as refused:
            problem = str(refused)
    due_on = replay.impact.due_on if replay.impact else decided_on
    replay.impact = ImpactCheck(replay.action.id, due_on, outcome, d["reason"], d["actor_id"], decided_on, d["id"])
    return problem


def _impact_rows(conn: Connection, partnership_id: int, replays: dict[int, _Replay]) -> list[str]:
    """Impact checks whose row the log does not explain: a check no assurance scheduled (or on another day), an
    answer no decision gave, or one that says otherwise than its decision."""
    stmt = (
        select(IMPACT)
        .join(ACTION, ACTION.c.id == IMPACT.c.action_id)
        .join(REVIEW, REVIEW.c.id == ACTION.c.review_id)
        .where(REVIEW.c.partnership_id == partnership_id)
        .order_by(IMPACT.c.id)
    )
    problems = []
    for row in conn.execute(stmt).mappings():
        replay = replays.get(row["action_id"])
        if replay is None:
            continue
        where = f"the impact check of action {replay.action.ref} of {replay.review_ref}"
        logged = replay.impact
        if logged is None:
            problems.append(f"{where}: no assurance in the log scheduled it")
            continue
        if row["due_on"] != logged.due_on:
            problems.append(f"{where} is due on {row['due_on']} but its assurance said {logged.due_on}")
        stored = (row["outcome"] or None, row["reason"], row["decision_id"])
        said = (
            str(logged.outcome) if logged.outcome else None,
            logged.reason if logged.outcome else "",
            logged.decision_id,
        )
        if stored != said:
            problems.append(f"{where}: its answer is not what the log says of it")
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
            DECISION.c.id,
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
