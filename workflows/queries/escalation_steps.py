"""A fired ladder step as people say it: which step, who it told (by role and name), how late, and who it
tells now (``desk_of``, ``fired_of``; the rule itself is ``domain.acknowledgements.told``), and the steps
waiting on someone to acknowledge them (``waiting_on``).

Shared by the escalations desk (``workflows.commands.acknowledgements``), My tasks, the actions list, bulk
moves and the action's timeline.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date

from domain.acknowledgements import AcknowledgeRefused, Desk, FiredStep, check_acknowledge
from domain.ladders import AGENCY_DIRECTOR, ESCALATION, Anchor, Ladder, LadderName, LadderStep
from domain.model import Agency, Person
from domain.roles import Actor, Role
from domain.working_days import WorkingCalendar
from storage.escalations import LedgerEntry
from workflows.ports import Tx

History = dict[tuple[LadderName, int], Ladder]


@dataclass(frozen=True)
class Staff:
    """The partnership's agencies and people, for naming who a step told."""

    agencies: dict[int, Agency]
    people: list[Person]

    @classmethod
    def of(cls, tx: Tx, partnership_id: int) -> Staff:
        agencies = tx.agencies.in_partnership(partnership_id)
        return cls({a.id: a for a in agencies}, tx.people.in_partnership(partnership_id))

    def desk(self, actor: Actor) -> Desk:
        """What ``actor`` is told of: as themselves, or as the person their deputy stands in for."""
        return Desk(
            actor,
            directs=[a.id for a in self.agencies.values() if a.director_id == actor.person_id],
            commissioning={p.agency_id for p in self.people if p.role is Role.COMMISSIONER and p.agency_id},
        )

    def _name(self, person_id: int | None) -> str:
        return next((p.name for p in self.people if p.id == person_id), "")

    def told(self, role: Role, ladder: LadderName, agency_id: int | None, lead_officer_id: int | None) -> str:
        """Who ``role`` was on a step for an action of ``agency_id``: "the director of West Midlands Police
        (Director WMP)"."""
        agency = self.agencies.get(agency_id) if agency_id is not None else None
        agency_name = agency.name if agency else "the agency"
        if role is Role.LEAD_OFFICER:
            if lead_officer_id is not None:
                return f"the lead officer ({self._name(lead_officer_id)})"
            names = [p.name for p in self.people if p.role is Role.LEAD_OFFICER and p.agency_id == agency_id]
            return f"the lead officers of {agency_name}" + (f" ({', '.join(names)})" if names else "")
        if role is Role.DIRECTOR:
            if ladder in AGENCY_DIRECTOR:
                name = self._name(agency.director_id if agency else None)
                return f"the director of {agency_name}" + (f" ({name})" if name else "")
            commissioning = {p.agency_id for p in self.people if p.role is Role.COMMISSIONER and p.agency_id}
            bodies = [self.agencies[a] for a in sorted(commissioning) if a in self.agencies]
            named = [f"{a.name} ({self._name(a.director_id)})" if a.director_id else a.name for a in bodies]
            return "the director of the commissioning body" + (f": {'; '.join(named)}" if named else "")
        if role is Role.COMMISSIONER:
            names = [p.name for p in self.people if p.role is Role.COMMISSIONER]
            return "the commissioners" + (f" ({', '.join(names)})" if names else "")
        if role is Role.COORDINATOR:
            names = [p.name for p in self.people if p.role is Role.COORDINATOR]
            return "the coordinator" + (f" ({', '.join(names)})" if names else "")
        names = [p.name for p in self.people if p.role is Role.PARTNERSHIP_ASSURER]
        return "the partnership" + (f" ({', '.join(names)})" if names else "")


@dataclass(frozen=True)
class Placed:
    """A step where it stands: its number on its ladder (1 first; 0 if unknown) and what the ladder counts from."""

    ladder: LadderName
    step: LadderStep
    number: int
    anchor: Anchor


def step_of(history: History, ladder: str, version: int, key: str, also_told: Sequence[str] = ()) -> Placed:
    """The step a ledger row or decision names, placed on its ladder's version, telling whom it told: its
    own roles and, fired on a catch-up, ``also_told`` (the roles of the escalations it passed over)."""
    name = LadderName(ladder)
    found = history.get((name, version))
    step = found.step(key) if found else None
    if found is None or step is None:
        # A ledger row always names a version the partnership had; should it not, it told nobody we know of.
        anchor = {
            LadderName.LEAD_OFFICER: Anchor.TARGET_DATE,
            LadderName.IMPACT_CHECK: Anchor.IMPACT_DUE,
            LadderName.REPORT_SUBMISSION: Anchor.IMPORTED_ON,
        }.get(name, Anchor.WAITING_SINCE)
        return Placed(name, LadderStep(key, 0, (), "escalation"), 0, anchor)
    number = found.steps.index(step) + 1
    if also := tuple(Role(r) for r in also_told if Role(r) not in step.notify):
        step = replace(step, notify=step.notify + also)
    return Placed(name, step, number, found.anchor)


def placed_row(history: History, row: LedgerEntry) -> Placed:
    """The step a ledger row fired, telling whom it told."""
    return step_of(history, row.ladder, row.ladder_version, row.step, row.also_told)


def fired_of(row: LedgerEntry, history: History) -> FiredStep:
    """A ledger row (``Escalations.listing`` or ``one``) as the domain's rule reads it."""
    placed = placed_row(history, row)
    return FiredStep(
        row.id,
        row.action_ref,
        row.agency_id,
        row.lead_officer_id,
        placed.ladder,
        placed.step,
        row.acknowledged_by,
        row.review_ref,
    )


def waiting_on(
    tx: Tx,
    partnership_id: int,
    actor: Actor,
    staff: Staff,
    history: History,
    *,
    action_ids: Collection[int] | None = None,
) -> list[LedgerEntry]:
    """The steps fired and not yet acknowledged that ``actor`` may acknowledge now, newest first; with
    ``action_ids``, those actions' only (a page of a list, one action). Narrowed in SQL to the unacknowledged
    escalation steps that tell the actor's role; then the domain's rule (``check_acknowledge``) decides each."""
    steps = {
        (str(name), step.key)
        for (name, _), ladder in history.items()
        for step in ladder.steps
        if step.kind == ESCALATION and actor.role in step.notify
    }
    if not steps:
        return []
    desk = staff.desk(actor)
    rows = tx.escalations.listing(partnership_id, None, unacknowledged=True, steps=steps, action_ids=action_ids)
    return [row for row in rows if _acknowledgeable(fired_of(row, history), desk)]


def _acknowledgeable(fired: FiredStep, desk: Desk) -> bool:
    try:
        check_acknowledge(fired, desk)
    except AcknowledgeRefused:
        return False
    return True


_DOING = {"escalation": "Escalated to", "overdue": "Overdue notice to", "reminder": "Reminder to"}
_LADDERS = {
    LadderName.LEAD_OFFICER: "the lead officer's ladder",
    LadderName.COMMISSIONER_CHECK: "the commissioner's check",
    LadderName.PARTNERSHIP_CHECK: "the partnership's check",
    LadderName.IMPACT_CHECK: "the impact check's ladder",
    LadderName.REPORT_SUBMISSION: "the report submission's ladder",
}


def step_name(placed: Placed) -> str:
    """ "Step 3 of the lead officer's ladder: escalation to the director"."""
    step = placed.step
    roles = " and the ".join(r.label for r in step.notify) or "nobody"
    number = placed.number or step.key
    return f"Step {number} of {_LADDERS[placed.ladder]}: {step.kind} to the {roles}"


def lateness(placed: Placed, anchor: date, fired_on: date, calendar: WorkingCalendar) -> tuple[int, str]:
    """Working days from the anchor to the day the step fired, and in words: late against the target date
    on the lead officer's ladder, waiting since the evidence arrived on a checker's."""
    days = calendar.working_days_between(anchor, fired_on)
    if placed.anchor is Anchor.TARGET_DATE:
        if days < 0:
            return days, f"{-days} working days before the target date"
        if days == 0:
            return 0, "on the target date"
        return days, f"{days} working days late"
    if placed.anchor is Anchor.IMPORTED_ON:
        return days, f"{days} working days after the plan was imported"
    return days, f"evidence waiting {days} working days"


def in_words(staff: Staff, placed: Placed, agency_id: int | None, lead_officer_id: int | None, late: str) -> str:
    """ "Escalated to the director of West Midlands Police (Director WMP) (step 3, 15 working days late)"."""
    step = placed.step
    who = " and ".join(staff.told(r, placed.ladder, agency_id, lead_officer_id) for r in step.notify) or "nobody"
    doing = _DOING.get(step.kind, "Sent to")
    return f"{doing} {who} (step {placed.number or step.key}, {late})"
