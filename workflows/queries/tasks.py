"""My tasks: everything that waits on a person, and nothing else.

A task is work only this person (or the person they stand in for today) can do next, and that stays undone
until they do it: evidence to verify, actions to assure, an extension to decide, an escalation to
acknowledge, their returned and overdue actions, a progress update the board asked them for. A move that is
merely possible (withdrawing an open action) is no task.

Who may do what is the domain's: the lifecycle table (``domain.access.moves``) for the checks,
``domain.extension.may_decide`` for extensions, ``domain.acknowledgements.check_acknowledge`` for
escalations (through ``escalation_steps.waiting_on``), ``domain.lifecycle.leads_action`` for a lead
officer's own actions. The reads are narrowed in SQL to what can be a task (by state, agency, lead officer,
unacknowledged, pending) before any rule runs.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from domain.access import SEES_EVERY_AGENCY, moves
from domain.board_cycle import ANSWERS, Ask
from domain.extension import may_decide
from domain.lifecycle import TRANSITIONS, leads_action
from domain.model import Action
from domain.roles import Actor, Role
from domain.states import Event, State
from storage.action_lists import ActionFilter
from workflows.context import Principal
from workflows.errors import UnknownPerson
from workflows.ports import Tx, UowFactory
from workflows.queries import cursors
from workflows.queries.desk import actors_of
from workflows.queries.escalation_steps import Staff, lateness, placed_row, waiting_on
from workflows.queries.review_kinds import labels_in
from workflows.runtime.clock import LONDON
from workflows.runtime.working_days import england_and_wales


class TaskKind(StrEnum):
    """What waits, in the order My tasks shows the groups."""

    VERIFY = "verify_evidence"
    ASSURE = "assure"
    DECIDE_EXTENSION = "decide_extension"
    ACKNOWLEDGE = "acknowledge_escalation"
    RETURNED = "returned"
    OVERDUE = "overdue"
    PROGRESS_UPDATE = "progress_update"
    IMPACT_CHECK = "impact_check"
    """An assured action's impact check, due (last: a cursor of an older list still names the same place)."""

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    TaskKind.VERIFY: "Evidence to verify",
    TaskKind.ASSURE: "Actions to assure",
    TaskKind.DECIDE_EXTENSION: "Extension requests to decide",
    TaskKind.ACKNOWLEDGE: "Escalations to acknowledge",
    TaskKind.RETURNED: "Returned to you",
    TaskKind.OVERDUE: "Overdue",
    TaskKind.PROGRESS_UPDATE: "Progress updates the board asked for",
    TaskKind.IMPACT_CHECK: "Impact checks due",
}
_ORDER = {kind: i for i, kind in enumerate(TaskKind)}

CHECKS: dict[Event, TaskKind] = {Event.VERIFY: TaskKind.VERIFY, Event.ASSURE: TaskKind.ASSURE}
"""The lifecycle's events that are someone's task when the table lets them fire: the checks. Returning evidence
is the other answer to the same task; withdrawing, a move the partnership may make, is nobody's task."""


@dataclass(frozen=True)
class Task:
    kind: TaskKind
    since: date
    """When it began waiting on the person: evidence arrived, asked, fired, returned, fell due."""
    description: str
    action_id: int | None = None
    action_ref: str = ""
    review_ref: str = ""
    action_text: str = ""
    on_behalf_of: str = ""
    """The name of the person whose task it is, when the person stands in for them as deputy."""
    escalation_id: int | None = None
    review_label: str = ""
    """Its review named with the review's kind: "DARDR BDHR2011/12-03" (``review_ref`` alone until labelled)."""
    review_id: int | None = None
    """Set on a task about the review as a whole (a step of its own ladder), which has no action."""

    def to_json(self) -> dict[str, Any]:
        return self.__dict__ | {"kind": str(self.kind), "since": self.since.isoformat()}


@dataclass(frozen=True)
class TaskGroup:
    kind: TaskKind
    tasks: tuple[Task, ...]

    @property
    def label(self) -> str:
        return self.kind.label

    @property
    def count(self) -> int:
        return len(self.tasks)


async def tasks(reader: UowFactory, principal: Principal, *, today: date) -> list[Task]:
    """What waits on ``principal`` today, as themselves or as a deputy: by kind, the oldest wait first."""
    async with reader() as uow:
        found = await uow.run(_labelled_tasks_in, principal, today)
    return _sorted(found)


def _sorted(found: list[Task]) -> list[Task]:
    return sorted(found, key=_place)


TaskKey = tuple[int, int, str, tuple[int, ...], int, int, str]


def _place(t: Task) -> TaskKey:
    """Where a task stands in ``tasks``' order: by kind, the oldest wait first, then by review and ref; the
    rest only makes the order total, so that a cursor names one place in it."""
    ids = (t.action_id or 0, t.escalation_id or 0)
    return (_ORDER[t.kind], t.since.toordinal(), t.review_ref, _ref_key(t.action_ref), *ids, t.on_behalf_of)


def task_slice(found: list[Task], *, limit: int, cursor: str | None) -> tuple[list[Task], str | None]:
    """At most ``limit`` of ``found`` (in ``tasks``' order) after the one ``cursor`` names, and the cursor of the
    next slice (``None``: these were the last). A task done meanwhile shifts nothing: the cursor names a place
    in the order, not a position in the list.

    Raises:
        InvalidInput: a cursor this list did not give.
    """
    rest = found
    if cursor:
        after = _key_of(cursors.decode(cursor, "tasks"))
        rest = [t for t in found if _place(t) > after]
    if len(rest) <= limit:
        return rest, None
    last = _place(rest[limit - 1])
    return rest[:limit], cursors.encode("tasks", [*last[:3], list(last[3]), *last[4:]])


def _key_of(values: list[Any]) -> TaskKey:
    if len(values) != 7:
        raise cursors.refused()
    kind, since, review_ref, ref, action_id, escalation_id, behalf = values
    numbers = (kind, since, action_id, escalation_id)
    if not (all(cursors.is_int(n) for n in numbers) and cursors.is_text(review_ref) and cursors.is_text(behalf)):
        raise cursors.refused()
    if not (isinstance(ref, list) and len(ref) <= 20 and all(cursors.is_int(p) for p in ref)):
        raise cursors.refused()
    return (kind, since, review_ref, tuple(ref), action_id, escalation_id, behalf)


async def tasks_of(reader: UowFactory, email: str, *, today: date) -> list[Task]:
    """``tasks`` for the person with this email (the command line names people so).

    Raises:
        UnknownPerson: nobody has that email.
    """

    def read(tx: Tx) -> list[Task]:
        person = tx.people.by_email(email.strip())
        if person is None:
            raise UnknownPerson(email)
        return _labelled_tasks_in(tx, Principal(person), today)

    async with reader() as uow:
        found = await uow.run(read)
    return _sorted(found)


async def task_count(reader: UowFactory, principal: Principal, *, today: date) -> int:
    """How many tasks wait on ``principal`` (the menu bar's number): one read transaction."""
    async with reader() as uow:
        return len(await uow.run(_tasks_in, principal, today))


def grouped(found: list[Task]) -> list[TaskGroup]:
    """``found`` (in ``tasks``' order) in groups by kind, only the kinds with something waiting."""
    counts = Counter(t.kind for t in found)
    return [TaskGroup(kind, tuple(t for t in found if t.kind is kind)) for kind in TaskKind if counts[kind]]


def _ref_key(ref: str) -> tuple[int, ...]:
    return tuple(int(p) for p in ref.split(".") if p.isdigit())


def _labelled_tasks_in(tx: Tx, principal: Principal, today: date) -> list[Task]:
    """``_tasks_in``, each naming its review with the review's kind (the count in the menu bar needs no labels)."""
    found = _tasks_in(tx, principal, today)
    if not any(t.review_ref for t in found):
        return found
    labels = labels_in(tx, principal.person.partnership_id)
    return [dataclasses.replace(t, review_label=labels.label(t.review_ref)) if t.review_ref else t for t in found]


def _tasks_in(tx: Tx, principal: Principal, today: date) -> list[Task]:
    pid = principal.person.partnership_id
    staff = Staff.of(tx, pid)
    found: list[Task] = []
    for stood_for, actor in actors_of(tx, principal, today):
        behalf = stood_for.name if stood_for else ""
        mine = [
            *_checks(tx, pid, actor),
            *_extensions(tx, pid, actor),
            *_escalations(tx, pid, actor, staff),
            *_led(tx, pid, actor, today),
            *_progress(tx, pid, actor, today),
            *_impact_checks(tx, pid, actor, today),
        ]
        found += [_as(t, behalf) for t in mine]
    return found


def _as(task: Task, behalf: str) -> Task:
    if not behalf:
        return task
    return Task(**(task.__dict__ | {"on_behalf_of": behalf}))


def _scope(actor: Actor) -> int | None:
    """The agency whose actions ``actor`` sees (``None``: every agency of the partnership)."""
    return None if actor.role in SEES_EVERY_AGENCY else actor.agency_id


def _sees_nothing(actor: Actor) -> bool:
    return actor.role not in SEES_EVERY_AGENCY and actor.agency_id is None


def _checks(tx: Tx, pid: int, actor: Actor) -> list[Task]:
    """Evidence to verify and actions to assure: the actions in a state a check of the actor's role leaves,
    where the lifecycle table lets the actor make it now."""
    states = sorted({str(t.source) for t in TRANSITIONS if t.role is actor.role and t.event in CHECKS})
    if not states or _sees_nothing(actor):
        return []
    out: list[Task] = []
    lean = ActionFilter(pid, agency_id=_scope(actor), states=states, plan_columns=False)
    for review_ref, action in tx.actions.matching(lean):
        for event in dict.fromkeys(t.event for t in moves(actor, action) if t.event in CHECKS):
            kind = CHECKS[event]
            since = action.waiting_since or today_unknown()
            what = "verify the evidence submitted" if kind is TaskKind.VERIFY else _assure_words(action)
            out.append(_task(kind, since, f"Waiting for you to {what} since {_day(since)}", review_ref, action))
    return out


def _assure_words(action: Action) -> str:
    if action.state is State.COMMISSIONER_VERIFIED:
        return "assure it (verified by the commissioner)"
    return "assure it at final audit"


def today_unknown() -> date:
    """The day a wait began when the record has none (actions checked before ``waiting_since`` was kept)."""
    return date.min


def _extensions(tx: Tx, pid: int, actor: Actor) -> list[Task]:
    if _sees_nothing(actor):
        return []
    out: list[Task] = []
    for request, asked_at in tx.extensions.pending_in(pid, _scope(actor)):
        found = tx.actions.by_id(pid, request.action_id)
        if found is None or not may_decide(found[1], actor, request):
            continue
        review_ref, action = found
        since = _london(asked_at)
        target = _day(action.target_date) if action.target_date else "no date"
        what = f"Extension asked for: {target} to {_day(request.new_date)} ({request.reason})"
        out.append(_task(TaskKind.DECIDE_EXTENSION, since, what, review_ref, action))
    return out


def _escalations(tx: Tx, pid: int, actor: Actor, staff: Staff) -> list[Task]:
    """Steps fired and not yet acknowledged that the actor may acknowledge (the domain's rule)."""
    history = tx.ladders.history(pid)
    calendar = england_and_wales()
    out: list[Task] = []
    for row in waiting_on(tx, pid, actor, staff, history):
        placed = placed_row(history, row)
        _, late = lateness(placed, row.anchor_date, row.fired_on, calendar)
        what = f"Escalated to you ({late}): acknowledge it and say what you are doing"
        about_review = row.action_id is None  # a step of the review's own ladder: its milestone, no action
        out.append(
            Task(
                TaskKind.ACKNOWLEDGE,
                row.fired_on,
                what,
                row.action_id,
                row.action_ref,
                row.review_ref,
                row.milestone_label if about_review else row.action_text,
                escalation_id=row.id,
                review_id=row.review_id if about_review else None,
            )
        )
    return out


def _led(tx: Tx, pid: int, actor: Actor, today: date) -> list[Task]:
    """The actor's own open actions that were returned to them or are past their target date."""
    if not any(t.role is actor.role and t.event is Event.SUBMIT_EVIDENCE for t in TRANSITIONS):
        return []
    if actor.agency_id is None:
        return []
    f = ActionFilter(
        pid, agency_id=actor.agency_id, states=[str(State.OPEN)], led_by=actor.person_id, plan_columns=False
    )
    out: list[Task] = []
    for review_ref, action in tx.actions.matching(f):
        if leads_action(action, actor) is not None:
            continue
        if action.returned:
            since, reason = _returned(tx, action)
            out.append(_task(TaskKind.RETURNED, since, f"Returned on {_day(since)}: {reason}", review_ref, action))
        elif action.target_date is not None and action.target_date < today:
            what = f"Past its target date of {_day(action.target_date)}"
            out.append(_task(TaskKind.OVERDUE, action.target_date, what, review_ref, action))
    return out


def _returned(tx: Tx, action: Action) -> tuple[date, str]:
    """When and why the action was last returned."""
    back = [d for d in tx.decisions.for_action(action.id) if d.event == str(Event.REJECT)]
    if not back:
        return today_unknown(), "no reason recorded"
    return _london(back[-1].at), back[-1].reason


def _progress(tx: Tx, pid: int, actor: Actor, today: date) -> list[Task]:
    """Board meetings to come that asked the actor for a progress update they have not given since."""
    out: list[Task] = []
    for meeting in tx.board_meetings.listing([pid], from_day=today):
        asked = [a for a in tx.board_meetings.asked(meeting.id) if a.person_id == actor.person_id]
        first = next((a for a in asked if a.kind == str(Ask.REQUEST)), None)
        if first is None:
            continue
        if tx.board_meetings.answered(pid, {actor.person_id: first.seq}, [str(e) for e in ANSWERS]):
            continue
        what = f"The board meets on {_day(meeting.meets_on)}: record progress on your open actions"
        out.append(Task(TaskKind.PROGRESS_UPDATE, first.sent_on, what))
    return out


def _impact_checks(tx: Tx, pid: int, actor: Actor, today: date) -> list[Task]:
    """Impact checks due (unanswered, on their day or after) that the actor may answer: the partnership assurer's,
    except for their own agency's actions (``domain.impact.check_answer``)."""
    if actor.role is not Role.PARTNERSHIP_ASSURER:
        return []
    out: list[Task] = []
    for due in tx.impact_checks.due(pid, today):
        if due.agency_id in actor.agencies:
            continue
        measure = due.success_measure.strip() or "the plan gives no success measure"
        what = f"Due {_day(due.due_on)}: did practice change? Success measured by: {measure}"
        task = Task(TaskKind.IMPACT_CHECK, due.due_on, what, due.action_id, due.action_ref, due.review_ref, due.action)
        out.append(task)
    return out


def _task(kind: TaskKind, since: date, description: str, review_ref: str, action: Action) -> Task:
    return Task(kind, since, description, action.id, action.ref, review_ref, action.columns.action)


def _london(at: datetime) -> date:
    return at.astimezone(LONDON).date() if at.tzinfo else at.date()


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"
