"""The action lifecycle: ONE declarative table, and the function that applies it.

Web buttons, CLI verbs, the access tests and the README diagram are generated
from ``TRANSITIONS``; nothing else in dhrflow decides who may move an action.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from domain import events
from domain.errors import GuardFailed, RoleNotAllowed, TransitionNotAllowed
from domain.model import Action, Route
from domain.roles import Actor, Role
from domain.states import Event, State


class Guard(StrEnum):
    """A condition a transition needs beyond the state and the role."""

    REASON_GIVEN = "reason_given"
    EVIDENCE_GIVEN = "evidence_given"
    NOTE_GIVEN = "note_given"
    LEADS_ACTION = "leads_action"
    NOT_SUBMITTER = "not_submitter"
    NOT_VERIFIER = "not_verifier"
    NOT_OWN_AGENCY = "not_own_agency"
    ROUTE_COMMISSIONER = "route_commissioner"
    ROUTE_FINAL_AUDIT = "route_final_audit"

    @property
    def needs_input(self) -> bool:
        """True where the guard checks what the person types, not who they are."""
        return self in _INPUT_GUARDS


_INPUT_GUARDS = frozenset({Guard.REASON_GIVEN, Guard.EVIDENCE_GIVEN, Guard.NOTE_GIVEN})


class Effect(StrEnum):
    """What a transition records on the action beyond its new state (the guards read these fields)."""

    NONE = "none"
    """Nothing more: a progress note, an assurance, a withdrawal."""
    SUBMITS = "submits"
    """Who submitted the evidence (and for whom), the verifier cleared, the returned mark cleared."""
    VERIFIES = "verifies"
    """Who verified the evidence (and for whom)."""
    RETURNS = "returns"
    """Submitter and verifier cleared, the action marked returned."""


class Audience(StrEnum):
    """Who a transition's notice goes to, resolved against the action (``domain.events``)."""

    CHECKER = "checker"
    """Whoever checks the evidence next: the commissioners, or the partnership on the final-audit route."""
    PARTNERSHIP = "partnership"
    LEAD_OFFICER = "lead_officer"
    """The action's lead officer, or every lead officer of its agency until one is named."""
    DIRECTOR = "director"
    """The director of the action's agency."""


@dataclass(frozen=True)
class Notice:
    """The notification a transition raises: its template's name and who hears of it."""

    kind: str
    audience: tuple[Audience, ...]


@dataclass(frozen=True)
class Transition:
    """One row of the lifecycle: who may move an action from ``source`` to ``target`` on ``event``, under
    which guards, what the move records (``effect``), who is told (``notice``), and how people name it
    (``verb`` on the CLI, ``label`` on a button)."""

    event: Event
    source: State
    target: State
    role: Role
    guards: tuple[Guard, ...]
    label: str
    effect: Effect = Effect.NONE
    notice: Notice | None = None
    verb: str = ""


_OPEN, _SUBMITTED, _VERIFIED = State.OPEN, State.EVIDENCE_SUBMITTED, State.COMMISSIONER_VERIFIED
_ASSURED, _WITHDRAWN = State.PARTNERSHIP_ASSURED, State.WITHDRAWN
_LEAD, _COMM, _PART = Role.LEAD_OFFICER, Role.COMMISSIONER, Role.PARTNERSHIP_ASSURER
G = Guard
A = Audience
_SUBMITTED_NOTICE = Notice("evidence_submitted", (A.CHECKER,))
_VERIFIED_NOTICE = Notice("evidence_verified", (A.PARTNERSHIP, A.LEAD_OFFICER))
_RETURNED_NOTICE = Notice("evidence_returned", (A.LEAD_OFFICER,))
_ASSURED_NOTICE = Notice("action_assured", (A.LEAD_OFFICER,))
_WITHDRAWN_NOTICE = Notice("action_withdrawn", (A.LEAD_OFFICER, A.DIRECTOR))

TRANSITIONS: tuple[Transition, ...] = (
    # event                  from        to          role    guards                                                                   label                      effect          notice              verb
    Transition(Event.SUBMIT_EVIDENCE, _OPEN, _SUBMITTED, _LEAD, (G.LEADS_ACTION, G.EVIDENCE_GIVEN), "Submit evidence", Effect.SUBMITS, _SUBMITTED_NOTICE, "submit"),
    Transition(Event.RECORD_PROGRESS, _OPEN, _OPEN, _LEAD, (G.LEADS_ACTION, G.NOTE_GIVEN), "Record progress", Effect.NONE, None, "progress"),
    Transition(Event.VERIFY, _SUBMITTED, _VERIFIED, _COMM, (G.ROUTE_COMMISSIONER, G.NOT_SUBMITTER, G.NOT_OWN_AGENCY), "Verify", Effect.VERIFIES, _VERIFIED_NOTICE, "verify"),
    Transition(Event.REJECT, _SUBMITTED, _OPEN, _COMM, (G.ROUTE_COMMISSIONER, G.NOT_SUBMITTER, G.NOT_OWN_AGENCY, G.REASON_GIVEN), "Return to lead officer", Effect.RETURNS, _RETURNED_NOTICE, "reject"),
    Transition(Event.ASSURE, _SUBMITTED, _ASSURED, _PART, (G.ROUTE_FINAL_AUDIT, G.NOT_SUBMITTER, G.NOT_OWN_AGENCY), "Assure", Effect.NONE, _ASSURED_NOTICE, "assure"),
    Transition(Event.REJECT, _SUBMITTED, _OPEN, _PART, (G.ROUTE_FINAL_AUDIT, G.NOT_SUBMITTER, G.REASON_GIVEN), "Return to lead officer", Effect.RETURNS, _RETURNED_NOTICE, "reject"),
    Transition(Event.ASSURE, _VERIFIED, _ASSURED, _PART, (G.NOT_SUBMITTER, G.NOT_VERIFIER, G.NOT_OWN_AGENCY), "Assure", Effect.NONE, _ASSURED_NOTICE, "assure"),
    Transition(Event.REJECT, _VERIFIED, _OPEN, _PART, (G.NOT_SUBMITTER, G.REASON_GIVEN), "Return to lead officer", Effect.RETURNS, _RETURNED_NOTICE, "reject"),
    Transition(Event.WITHDRAW, _OPEN, _WITHDRAWN, _PART, (G.NOT_OWN_AGENCY, G.REASON_GIVEN), "Withdraw", Effect.NONE, _WITHDRAWN_NOTICE, "withdraw"),
    Transition(Event.WITHDRAW, _SUBMITTED, _WITHDRAWN, _PART, (G.NOT_OWN_AGENCY, G.REASON_GIVEN), "Withdraw", Effect.NONE, _WITHDRAWN_NOTICE, "withdraw"),
    Transition(Event.WITHDRAW, _VERIFIED, _WITHDRAWN, _PART, (G.NOT_OWN_AGENCY, G.REASON_GIVEN), "Withdraw", Effect.NONE, _WITHDRAWN_NOTICE, "withdraw"),
)  # fmt: skip


class InvalidTable(Exception):
    """The lifecycle table contradicts itself; raised when ``domain.lifecycle`` is imported."""


def _check_table(rows: tuple[Transition, ...]) -> None:
    """Every state reachable from ``open``; the final states exactly those no row leaves; each event named
    one way (its verb), with one effect (what the log's replay applies for it)."""
    reached, frontier = {State.OPEN}, [State.OPEN]
    while frontier:
        state = frontier.pop()
        for row in rows:
            if row.source is state and row.target not in reached:
                reached.add(row.target)
                frontier.append(row.target)
    if unreached := set(State) - reached:
        raise InvalidTable(f"no row reaches {', '.join(sorted(unreached))} from open")
    terminal = {s for s in State if not any(r.source is s for r in rows)}
    if terminal != {s for s in State if s.is_final}:
        raise InvalidTable(f"the states no row leaves ({', '.join(sorted(terminal))}) must be the final ones")
    for event in {r.event for r in rows}:
        mine = [r for r in rows if r.event is event]
        if len({r.verb for r in mine}) != 1 or not mine[0].verb:
            raise InvalidTable(f"{event} needs one verb in every row")
        if len({r.effect for r in mine}) != 1:
            raise InvalidTable(f"{event} records different things in different rows")


_check_table(TRANSITIONS)

EFFECTS: dict[Event, Effect] = {row.event: row.effect for row in TRANSITIONS}
"""What each event records on the action: the same in every row (checked above), so the log's replay and the
audit read it by event."""
VERBS: dict[Event, str] = {row.event: row.verb for row in TRANSITIONS}
"""Each event's CLI verb, in the order the table first names it."""


@dataclass(frozen=True)
class Request:
    """What the person asks for: the event and what they typed or attached."""

    event: Event
    reason: str = ""
    note: str = ""
    evidence_hashes: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class Outcome:
    """A transition that passed every guard, and the events it raises."""

    transition: Transition
    events: tuple[events.DomainEvent, ...]

    @property
    def source(self) -> State:
        return self.transition.source

    @property
    def target(self) -> State:
        return self.transition.target


_GuardCheck = Callable[[Action, Actor, Request], "str | None"]


def leads_action(action: Action, actor: Actor) -> str | None:
    """Why ``actor`` does not lead ``action`` (``None`` when they do): the named lead officer once
    one is assigned, until then any lead officer of the action's agency."""
    if action.lead_officer_id is not None:
        if actor.person_id != action.lead_officer_id:
            return "only the action's lead officer may do this"
        return None
    if actor.agency_id != action.agency_id:
        return "the action belongs to another agency"
    return None


def _not_submitter(action: Action, actor: Actor, _: Request) -> str | None:
    submitters = {action.submitted_by, action.submitted_for} - {None}
    if submitters & actor.people:
        if actor.deputy is None:
            return "whoever submitted the evidence may not check it (segregation of duties)"
        return "the deputy or the person they stand in for submitted the evidence, so may not check it (segregation of duties)"
    return None


def _not_verifier(action: Action, actor: Actor, _: Request) -> str | None:
    if {action.verified_by, action.verified_for} & actor.people:
        return "whoever verified the evidence may not assure it as well (segregation of duties)"
    return None


_OWN_WORK = {
    Event.VERIFY: "verify their own organisation's evidence",
    Event.REJECT: "check their own organisation's evidence",
    Event.ASSURE: "assure their own organisation's action",
    Event.WITHDRAW: "withdraw their own organisation's action",
}


def _not_own_agency(action: Action, actor: Actor, request: Request) -> str | None:
    """The check is independent: nobody of the action's agency (or standing in for someone of it) makes it.
    The partnership's own staff belong to no agency; their deputies may, and then this stops them."""
    if action.agency_id in actor.agencies:
        what = _OWN_WORK.get(request.event, "check their own organisation's work")
        if actor.deputy is not None and actor.agency_id != action.agency_id:
            return f"a deputy may not {what} (segregation of duties)"
        who = "a commissioner" if actor.role is Role.COMMISSIONER else f"the {actor.role.label}"
        return f"{who} may not {what} (segregation of duties)"
    return None


def _route(route: Route) -> _GuardCheck:
    def check(action: Action, _actor: Actor, request: Request) -> str | None:
        if action.route is route:
            return None
        if route is Route.COMMISSIONER:
            return "the action is checked by the partnership at final audit, not by a commissioner"
        doing = "assures it" if request.event is Event.ASSURE else "returns it"
        return f"the action needs a commissioner's verification before the partnership {doing}"

    return check


def _text(attr: str, what: str) -> _GuardCheck:
    def check(_action: Action, _actor: Actor, request: Request) -> str | None:
        return None if str(getattr(request, attr)).strip() else f"{what} is required"

    return check


def _evidence_given(_action: Action, _actor: Actor, request: Request) -> str | None:
    if request.note.strip() or request.evidence_hashes:
        return None
    return "evidence is required: a note, files or both"


_CHECKS: dict[Guard, _GuardCheck] = {
    Guard.REASON_GIVEN: _text("reason", "a reason"),
    Guard.NOTE_GIVEN: _text("note", "a progress note"),
    Guard.EVIDENCE_GIVEN: _evidence_given,
    Guard.LEADS_ACTION: lambda action, actor, _request: leads_action(action, actor),
    Guard.NOT_SUBMITTER: _not_submitter,
    Guard.NOT_VERIFIER: _not_verifier,
    Guard.NOT_OWN_AGENCY: _not_own_agency,
    Guard.ROUTE_COMMISSIONER: _route(Route.COMMISSIONER),
    Guard.ROUTE_FINAL_AUDIT: _route(Route.FINAL_AUDIT),
}


def transitions_from(state: State, event: Event | None = None) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source is state and (event is None or t.event is event)]


GUARDS_SINCE: dict[tuple[Event, Guard], date] = {
    (Event.ASSURE, Guard.NOT_OWN_AGENCY): date(2026, 12, 7),
    (Event.WITHDRAW, Guard.NOT_OWN_AGENCY): date(2026, 12, 7),
}
"""Guards added to a row after dhrflow was in use, with the day they came in: a decision taken before is
judged by the rules of its day when the log is replayed (an assurer's deputy of the action's agency could
assure it until then)."""


def _first_failure(
    transition: Transition,
    action: Action,
    actor: Actor,
    request: Request,
    *,
    input_guards: bool,
    on: date | None = None,
) -> tuple[Guard, str] | None:
    for guard in transition.guards:
        if guard.needs_input and not input_guards:
            continue
        since = GUARDS_SINCE.get((transition.event, guard))
        if on is not None and since is not None and on < since:
            continue
        failure = _CHECKS[guard](action, actor, request)
        if failure is not None:
            return guard, failure
    return None


def decide(action: Action, actor: Actor, request: Request, *, on: date | None = None) -> Outcome:
    """Say whether ``actor`` may fire ``request.event`` on ``action`` now (or, replaying the log, by the rules
    of the day ``on``), and what follows.

    Raises:
        TransitionNotAllowed: no row of the table leaves the action's state on the event.
        RoleNotAllowed: rows exist, but for other roles.
        GuardFailed: the role fits but a guard refuses (the first failing guard is named).
    """
    candidates = transitions_from(action.state, request.event)
    if not candidates:
        raise TransitionNotAllowed(action.ref, action.state, request.event)
    mine = [t for t in candidates if t.role is actor.role]
    if not mine:
        allowed = sorted({t.role.label for t in candidates})
        raise RoleNotAllowed(action.ref, action.state, request.event, actor.role.label, allowed)
    failure: tuple[Guard, str] | None = None
    for transition in mine:
        failure = _first_failure(transition, action, actor, request, input_guards=True, on=on)
        if failure is None:
            return Outcome(transition, events.raised_by(transition.notice, action))
    assert failure is not None  # mine is not empty, so the loop ran and failed
    raise GuardFailed(
        action.ref, action.state, request.event, failure[0], failure[1], input_missing=failure[0].needs_input
    )


def available(action: Action, actor: Actor) -> list[Transition]:
    """Transitions ``actor`` may take on ``action`` now, before typing anything.

    Input guards (a reason, evidence) are left to the form; everything about who
    the person is and which route the action takes is checked.
    """
    empty = Request(event=Event.SUBMIT_EVIDENCE)
    return [
        t
        for t in transitions_from(action.state)
        if t.role is actor.role and _first_failure(t, action, actor, empty, input_guards=False) is None
    ]


def apply(action: Action, outcome: Outcome, actor: Actor, today: date) -> None:
    """Move ``action`` to the outcome's state on ``today`` and record the row's effect; the version is
    storage's to bump."""
    if outcome.target is not outcome.source:
        waiting = outcome.target in (State.EVIDENCE_SUBMITTED, State.COMMISSIONER_VERIFIED)
        action.waiting_since = today if waiting else None
    action.state = outcome.target
    record(action, outcome.transition.effect, actor.acting_id, actor.person_id if actor.deputy else None)


def record(action: Action, effect: Effect, acting_id: int | None, on_behalf_of: int | None) -> None:
    """Record ``effect`` on ``action``: who acted (and for whom). The log's replay calls this too."""
    if effect is Effect.SUBMITS:
        action.submitted_by, action.submitted_for = acting_id, on_behalf_of
        action.verified_by = action.verified_for = None
        action.returned = False
    elif effect is Effect.VERIFIES:
        action.verified_by, action.verified_for = acting_id, on_behalf_of
    elif effect is Effect.RETURNS:
        action.submitted_by = action.submitted_for = None
        action.verified_by = action.verified_for = None
        action.returned = True


def mermaid() -> str:
    """The lifecycle as a Mermaid state diagram (the README's copy is checked against this)."""
    lines = ["stateDiagram-v2", f"    [*] --> {State.OPEN}"]
    for t in TRANSITIONS:
        if t.source is t.target:
            continue
        route = [g.value.removeprefix("route_") for g in t.guards if g.value.startswith("route_")]
        when = f" [{route[0]} route]" if route else ""
        lines.append(f"    {t.source} --> {t.target}: {t.event} by {t.role.label}{when}")
    lines += [f"    {State.PARTNERSHIP_ASSURED} --> [*]", f"    {State.WITHDRAWN} --> [*]"]
    return "\n".join(lines)
