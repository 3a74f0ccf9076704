"""What goes in a person's deadline calendar: their actions' target dates and the decisions waiting on them.

Pure: the caller passes the actions the person may see, the extension requests
waiting on them, and a way to count working days.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.lifecycle import leads_action
from domain.model import Action
from domain.roles import Actor, Role
from domain.states import Event

CHECK_WITHIN_WORKING_DAYS = 10
"""Evidence is due a check this many working days after it arrived: the checker ladder's reminder step."""


class DeadlineKind(StrEnum):
    TARGET = "target"
    CHECK = "check"
    EXTENSION = "extension"


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    on: date
    action_id: int
    review_ref: str
    action_ref: str
    summary: str
    description: str


_CHECKS = frozenset({Event.VERIFY, Event.ASSURE})


def deadlines(
    actor: Actor,
    actions: Iterable[tuple[str, Action, bool, bool]],
    add_working_days: Callable[[date, int], date],
) -> list[Deadline]:
    """The person's deadlines, by day then ref.

    Args:
        actor: the person in their own right.
        actions: ``(review_ref, action, may_check, may_decide_extension)``: whether the person may check
            the action's evidence now, and whether an extension request on it waits for their decision.
        add_working_days: the England and Wales working-day calendar.
    """
    out: list[Deadline] = []
    for review_ref, action, may_check, may_decide_extension in actions:
        where = f"{review_ref} {action.ref}"
        text = action.columns.action
        if leads(actor, action) and not action.state.is_final and action.target_date:
            summary = f"Target date: {where}"
            target = action.target_date
            out.append(Deadline(DeadlineKind.TARGET, target, action.id, review_ref, action.ref, summary, text))
        if may_check:
            since = action.waiting_since or action.target_date
            if since is not None:
                on = add_working_days(since, CHECK_WITHIN_WORKING_DAYS)
                summary = f"Evidence to check: {where}"
                out.append(Deadline(DeadlineKind.CHECK, on, action.id, review_ref, action.ref, summary, text))
        if may_decide_extension and action.target_date:
            summary = f"Extension request to decide: {where}"
            out.append(
                Deadline(DeadlineKind.EXTENSION, action.target_date, action.id, review_ref, action.ref, summary, text)
            )
    return sorted(out, key=lambda d: (d.on, d.review_ref, d.action_ref, d.kind))


def may_check(transitions: Iterable[Event]) -> bool:
    """Whether moves the person may start include checking evidence (verify or assure)."""
    return any(event in _CHECKS for event in transitions)


def leads(actor: Actor, action: Action) -> bool:
    """Whether the action is the person's to deliver: its named lead officer, or (none named yet) a lead
    officer of its agency, as the lifecycle decides who may submit its evidence."""
    return actor.role is Role.LEAD_OFFICER and leads_action(action, actor) is None
