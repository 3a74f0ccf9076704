"""Escalation ladders: who is told, and when, while an action waits on someone.

A ladder is data: steps at working-day offsets from an anchor date, each naming
who is told by role. Three ladders apply in turn, by the action's state:

- ``lead_officer`` while the action is open, anchored at its target date;
- ``commissioner_check`` while evidence waits for a commissioner, anchored at its submission;
- ``partnership_check`` while it waits for the partnership, anchored at the day it got there;
- ``impact_check`` once it is assured, while its impact check (``domain.impact``) is unanswered, anchored at the
  day the check is due.

One ladder is about a review as a whole, not an action (``REVIEW_LADDERS``): ``report_submission`` chases the
report to the quality assurer, counting from the day the review's plan was first imported
(``domain.milestone_ladder``). It tells the partnership's own people (``REVIEW_TOLD``).

Each step fires once per action and anchor date (the escalation ledger keys on
both): an approved extension moves the target date and so restarts the ladder.
An action found with several steps already due (imported far overdue) fires only
its highest due step under ``CatchUp.HIGHEST_ONLY``, every one under ``ALL``. Under
``HIGHEST_ONLY`` the step's message also goes, once, to everyone the escalation
steps passed over would have told (``passed_over_told``): an action imported long
overdue reaches its director as well as the partnership.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.errors import DomainError
from domain.model import Action, Route
from domain.roles import Role
from domain.states import State
from domain.working_days import WorkingCalendar

ESCALATED = "escalated"
"""The decision a fired step records: about the action, without changing it (no new version)."""
ACKNOWLEDGED = "escalation_acknowledged"
"""Someone a fired escalation told says they have it in hand; the action is unchanged too."""
ALSO_TOLD = "also_told"
"""The key of a fired step's payload naming the roles a catch-up told beyond the step's own
(``passed_over_told``)."""
REPORTED_COMPLETE = "reported_complete"
"""The imported plan says an action is done (and on which day): a record of what the plan reports, which the
partnership works through; it assures nothing."""

MAX_OFFSET = 260
"""The furthest a step may be from its anchor, in working days (about a year): further is a slip, and an offset
of 99999999999999999999 would put the ladder's arithmetic past the calendar's end."""
ESCALATION = "escalation"
"""The kind of step someone acknowledges."""
KINDS = ("reminder", "overdue", ESCALATION)
"""What a step says. Only an ``escalation`` is acknowledged: a reminder is answered by doing the action."""
TOLD = (Role.LEAD_OFFICER, Role.DIRECTOR, Role.COMMISSIONER, Role.PARTNERSHIP_ASSURER)
"""The roles a step of an action's ladder may tell; the coordinator and viewers are told nothing by one."""
REVIEW_TOLD = (Role.COORDINATOR, Role.PARTNERSHIP_ASSURER)
"""The roles a step of a review's ladder may tell: the review's milestones are the coordinator's and the
partnership's DHR lead's to record (``domain.milestones.RECORDED_BY``); a review has no agency, so no lead
officer, director or commissioner of its own."""


class LadderName(StrEnum):
    LEAD_OFFICER = "lead_officer"
    COMMISSIONER_CHECK = "commissioner_check"
    PARTNERSHIP_CHECK = "partnership_check"
    IMPACT_CHECK = "impact_check"
    REPORT_SUBMISSION = "report_submission"


REVIEW_LADDERS = frozenset({LadderName.REPORT_SUBMISSION})
"""The ladders of a review as a whole: the ledger keys their steps on the review, not an action."""

AGENCY_DIRECTOR = frozenset({LadderName.LEAD_OFFICER, LadderName.IMPACT_CHECK})
"""The ladders whose ``director`` is the director of the action's own agency: the action is its agency's to do (or,
once assured, to show it changed practice). A checker's ladder tells the director of the commissioning body."""


class Anchor(StrEnum):
    TARGET_DATE = "target_date"
    """The action's target date: the lead officer's deadline."""
    WAITING_SINCE = "waiting_since"
    """The day the evidence reached the checker who now holds it."""
    IMPACT_DUE = "impact_due"
    """The day an assured action's impact check falls due."""
    IMPORTED_ON = "imported_on"
    """The day a review's plan was first imported (``review.imported_on``)."""


class CatchUp(StrEnum):
    HIGHEST_ONLY = "highest_only"
    """Several steps due at once fire only the highest: nobody gets a reminder for a year-old deadline."""
    ALL = "all"


class InvalidLadder(DomainError):
    def __init__(self, ladder: str, problem: str) -> None:
        self.ladder = ladder
        super().__init__(f"ladder {ladder}: {problem}")


@dataclass(frozen=True)
class LadderStep:
    """One rung: ``offset`` working days from the anchor (negative: before it)."""

    key: str
    """Stable name of the step ("reminder", "director"): the ledger records it."""
    offset: int
    notify: tuple[Role, ...]
    """Who is told, by role; the lead officer and the director are the action's agency's."""
    kind: str
    """What is said: ``reminder``, ``overdue`` or ``escalation``."""

    def to_json(self) -> dict[str, object]:
        return {"key": self.key, "offset": self.offset, "kind": self.kind, "notify": [str(r) for r in self.notify]}


@dataclass(frozen=True)
class Ladder:
    name: LadderName
    anchor: Anchor
    steps: tuple[LadderStep, ...]
    version: int = 1

    def __post_init__(self) -> None:
        if not self.steps:
            raise InvalidLadder(self.name, "has no steps")
        keys = [s.key for s in self.steps]
        if len(set(keys)) != len(keys):
            raise InvalidLadder(self.name, "two steps share a name")
        offsets = [s.offset for s in self.steps]
        if far := next((o for o in offsets if abs(o) > MAX_OFFSET), None):
            raise InvalidLadder(
                self.name, f"offset {far} is more than {MAX_OFFSET} working days (a year) from the date it counts from"
            )
        if offsets != sorted(offsets) or len(set(offsets)) != len(offsets):
            raise InvalidLadder(self.name, "steps must come in order of their offsets, each on a day of its own")
        for step in self.steps:
            if not step.key or not step.key.replace("_", "").isalnum():
                raise InvalidLadder(self.name, f"step name {step.key!r} must be letters, digits and _")
            if not step.notify:
                raise InvalidLadder(self.name, f"step {step.key} tells nobody")
            if step.kind not in KINDS:
                raise InvalidLadder(self.name, f"step {step.key}: kind {step.kind!r} is not one of {', '.join(KINDS)}")
            allowed = told_by(self.name)
            for role in step.notify:
                if role not in allowed:
                    told = ", ".join(allowed)
                    raise InvalidLadder(self.name, f"step {step.key}: this ladder tells the {told}, not the {role}")
            if len(set(step.notify)) != len(step.notify):
                raise InvalidLadder(self.name, f"step {step.key} names a role twice")

        if self.anchor is Anchor.WAITING_SINCE and self.steps[0].offset < 0:
            raise InvalidLadder(self.name, "counts from the day the evidence arrived: no step can come before it")
        if self.anchor is Anchor.IMPORTED_ON and self.steps[0].offset < 0:
            raise InvalidLadder(self.name, "counts from the day the plan was imported: no step can come before it")

    def to_json(self) -> dict[str, object]:
        steps = [s.to_json() for s in self.steps]
        return {"name": str(self.name), "version": self.version, "anchor": str(self.anchor), "steps": steps}

    def step(self, key: str) -> LadderStep | None:
        return next((s for s in self.steps if s.key == key), None)

    def due_on(self, step: LadderStep, anchor: date, calendar: WorkingCalendar) -> date:
        """The working day ``step`` falls due for an action anchored at ``anchor``."""
        return calendar.add_working_days(anchor, step.offset)

    def due(
        self,
        anchor: date,
        today: date,
        calendar: WorkingCalendar,
        fired: Iterable[str] = (),
        catch_up: CatchUp = CatchUp.HIGHEST_ONLY,
    ) -> list[LadderStep]:
        """Steps to fire on ``today``: due by now, not fired yet for this anchor.

        Under ``HIGHEST_ONLY`` only the highest of them fires; the lower ones are
        passed over for good: a ladder only climbs, so no step below the highest
        fired one fires later.
        """
        waiting = [s for s in self._above_fired(fired) if self.due_on(s, anchor, calendar) <= today]
        if catch_up is CatchUp.HIGHEST_ONLY and waiting:
            return [waiting[-1]]
        return waiting

    def climb(
        self,
        anchor: date,
        today: date,
        calendar: WorkingCalendar,
        fired: Iterable[str] = (),
        catch_up: CatchUp = CatchUp.HIGHEST_ONLY,
    ) -> Climb:
        """What fires on ``today`` (``due``), and on a catch-up under ``HIGHEST_ONLY`` the steps passed over
        and whom the highest step tells besides its own roles (``passed_over_told``)."""
        waiting = self.due(anchor, today, calendar, fired, CatchUp.ALL)
        if catch_up is CatchUp.ALL or len(waiting) < 2:
            return Climb(tuple(waiting))
        highest, passed_over = waiting[-1], tuple(waiting[:-1])
        return Climb((highest,), passed_over, passed_over_told(passed_over, highest))

    def next_due_on(self, anchor: date, calendar: WorkingCalendar, fired: Iterable[str] = ()) -> date | None:
        """When the next step falls due, after the highest fired one; ``None`` when the ladder is done."""
        rest = self._above_fired(fired)
        return self.due_on(rest[0], anchor, calendar) if rest else None

    def _above_fired(self, fired: Iterable[str]) -> tuple[LadderStep, ...]:
        done = set(fired)
        highest = max((i for i, s in enumerate(self.steps) if s.key in done), default=-1)
        return self.steps[highest + 1 :]


@dataclass(frozen=True)
class Climb:
    """The steps that fire today; on a catch-up, the ones passed over for good and whom the fired step
    tells besides its own roles."""

    fires: tuple[LadderStep, ...]
    passed_over: tuple[LadderStep, ...] = ()
    also_told: tuple[Role, ...] = ()


def passed_over_told(passed_over: Iterable[LadderStep], fired: LadderStep) -> tuple[Role, ...]:
    """On a catch-up, the roles the escalation steps passed over would have told and ``fired`` does not.

    They get ``fired``'s message, once: the escalation they missed is not sent late, nor lost. Reminders and
    overdue notices passed over tell nobody: they ask for the action by a date that has gone. Only an
    escalation carries them (an overdue notice is the lead officer's to act on, and nobody acknowledges it):
    a highest step of another kind tells nobody more.
    """
    if fired.kind != ESCALATION:
        return ()
    also: list[Role] = []
    for step in passed_over:
        if step.kind == ESCALATION:
            also.extend(r for r in step.notify if r not in fired.notify and r not in also)
    return tuple(also)


def told_by(name: LadderName) -> tuple[Role, ...]:
    """The roles a step of the ladder ``name`` may tell."""
    return REVIEW_TOLD if name in REVIEW_LADDERS else TOLD


def parse_step(ladder: str, text: str) -> LadderStep:
    """A step written ``KEY:OFFSET:KIND:ROLE[+ROLE...]``, e.g. ``director:5:escalation:director``.

    Raises:
        InvalidLadder: the text does not have that shape, or names an unknown role.
    """
    parts = [p.strip() for p in text.split(":")]
    if len(parts) != 4:
        raise InvalidLadder(
            ladder, f"step {text!r} is not KEY:OFFSET:KIND:ROLE[+ROLE] (e.g. director:5:escalation:director)"
        )
    key, offset, kind, roles = parts
    try:
        days = int(offset)
    except ValueError:
        raise InvalidLadder(ladder, f"step {text!r}: offset {offset!r} is not a whole number of working days") from None
    notify: list[Role] = []
    for name in roles.split("+"):
        try:
            notify.append(Role(name.strip()))
        except ValueError:
            told = ", ".join(dict.fromkeys((*TOLD, *REVIEW_TOLD)))
            raise InvalidLadder(ladder, f"step {text!r}: {name!r} is not a role ({told})") from None
    return LadderStep(key, days, tuple(notify), kind)


def _step(key: str, offset: int, kind: str, *notify: Role) -> LadderStep:
    return LadderStep(key, offset, notify, kind)


_LEAD, _DIRECTOR = Role.LEAD_OFFICER, Role.DIRECTOR
_COMMISSIONER, _PARTNERSHIP = Role.COMMISSIONER, Role.PARTNERSHIP_ASSURER
_COORDINATOR = Role.COORDINATOR

DEFAULT_LADDERS: dict[LadderName, Ladder] = {
    LadderName.LEAD_OFFICER: Ladder(
        LadderName.LEAD_OFFICER,
        Anchor.TARGET_DATE,
        (
            _step("reminder", -10, "reminder", _LEAD),
            _step("overdue", 0, "overdue", _LEAD),
            _step("director", 5, "escalation", _DIRECTOR),
            _step("partnership", 20, "escalation", _PARTNERSHIP),
        ),
    ),
    LadderName.COMMISSIONER_CHECK: Ladder(
        LadderName.COMMISSIONER_CHECK,
        Anchor.WAITING_SINCE,
        (
            _step("reminder", 10, "reminder", _COMMISSIONER),
            # The commissioning body's director: the director of the commissioner's own agency.
            _step("director", 20, "escalation", _DIRECTOR),
        ),
    ),
    LadderName.PARTNERSHIP_CHECK: Ladder(
        LadderName.PARTNERSHIP_CHECK,
        Anchor.WAITING_SINCE,
        (
            _step("reminder", 10, "reminder", _PARTNERSHIP),
            _step("escalation", 20, "escalation", _PARTNERSHIP),
        ),
    ),
    LadderName.IMPACT_CHECK: Ladder(
        LadderName.IMPACT_CHECK,
        Anchor.IMPACT_DUE,
        (
            _step("reminder", -10, "reminder", _PARTNERSHIP),
            _step("due", 0, "overdue", _PARTNERSHIP),
            # Whether practice changed is the agency's to show: its director hears the check is late.
            _step("escalation", 20, "escalation", _PARTNERSHIP, _DIRECTOR),
        ),
    ),
    # The report to the quality assurer (the Home Office panel for a DARDR), counted from the plan's import: the
    # plan is written near the end of a review the guidance expects done and sent within about six months, so
    # the report should follow it within weeks. About four weeks: a reminder to the coordinator, who sends it;
    # eight: overdue, and the partnership's DHR lead hears of it; twelve: escalated to the partnership, the
    # coordinator told again (a catch-up firing only this step still reaches them).
    LadderName.REPORT_SUBMISSION: Ladder(
        LadderName.REPORT_SUBMISSION,
        Anchor.IMPORTED_ON,
        (
            _step("reminder", 20, "reminder", _COORDINATOR),
            _step("overdue", 40, "overdue", _COORDINATOR, _PARTNERSHIP),
            _step("escalation", 60, "escalation", _PARTNERSHIP, _COORDINATOR),
        ),
    ),
}
"""The defaults of shared/DOMAIN.md; each partnership may set its own (versioned)."""


def ladder_for(action: Action, impact_due: bool = False) -> LadderName | None:
    """The ladder that runs for ``action`` in its state (``impact_due``: assured, its impact check unanswered);
    ``None`` once it is closed."""
    return ladder_in(action.state, action.route, impact_due)


def ladder_in(state: State, route: Route, impact_due: bool = False) -> LadderName | None:
    """The ladder that runs for an action in ``state`` on ``route``; ``None`` once it is closed. An assured action
    whose impact check is still unanswered (``impact_due``) climbs the impact check's."""
    if state is State.PARTNERSHIP_ASSURED and impact_due:
        return LadderName.IMPACT_CHECK
    if state is State.OPEN:
        return LadderName.LEAD_OFFICER
    if state is State.EVIDENCE_SUBMITTED and route is Route.COMMISSIONER:
        return LadderName.COMMISSIONER_CHECK
    if state in (State.EVIDENCE_SUBMITTED, State.COMMISSIONER_VERIFIED):
        return LadderName.PARTNERSHIP_CHECK
    return None
