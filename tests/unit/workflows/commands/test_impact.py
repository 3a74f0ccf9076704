"""Impact checks on in-memory storage: assurance schedules one, the partnership answers it, the ladder chases it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from domain.impact import ImpactOutcome, ImpactRefused
from domain.ladders import DEFAULT_LADDERS, LadderName
from domain.states import Event, State
from storage.evidence_store import EvidenceStore
from tests.unit.fakes import FakeTx
from tests.unit.workflows.commands.world import ASSURER, AT, COORDINATOR, LEAD, action
from workflows.commands.impact import ImpactCommand, record_impact, set_impact_months
from workflows.commands.sweep import sweep
from workflows.commands.transitions import TransitionCommand, record_transition
from workflows.context import ActionKey
from workflows.errors import InvalidInput
from workflows.ports import UowFactory
from workflows.runtime.clock import FixedClock
from workflows.runtime.working_days import england_and_wales

KEY = ActionKey("3.11.1")
ASSURED_ON = AT.date()
SIX_MONTHS = date(2014, 4, 1)
CALENDAR = england_and_wales()
LADDER = DEFAULT_LADDERS[LadderName.IMPACT_CHECK]


def _verified(tx: FakeTx) -> None:
    tx.actions.put(action(state=State.COMMISSIONER_VERIFIED), due_on=None)
    tx.actions.rows[1].submitted_by = LEAD.id
    tx.actions.rows[1].verified_by = 20


def _assure(tx: FakeTx, impact_due_on: date | None = None) -> None:
    _verified(tx)
    record_transition(tx, TransitionCommand(ASSURER.email, KEY, Event.ASSURE, impact_due_on=impact_due_on), (), (), AT)


def test_assurance_schedules_the_check_the_partnerships_months_later_and_keeps_the_ladder_looking(tx: FakeTx) -> None:
    _assure(tx)
    check = tx.impact_checks.for_action(1)
    assert check is not None and (check.due_on, check.outcome) == (SIX_MONTHS, None)
    assert tx.decisions.drafts[-1].payload == {"impact_check_due_on": "2014-04-01"}
    assert tx.actions.due_on[1] == ASSURED_ON  # the sweep works out its impact ladder


def test_the_assurer_may_give_another_day_but_not_one_before_the_assurance(tx: FakeTx) -> None:
    _verified(tx)
    early = TransitionCommand(ASSURER.email, KEY, Event.ASSURE, impact_due_on=ASSURED_ON)
    with pytest.raises(ImpactRefused, match="must be after the assurance day"):
        record_transition(tx, early, (), (), AT)
    _assure(tx, date(2014, 1, 31))
    check = tx.impact_checks.for_action(1)
    assert check is not None and check.due_on == date(2014, 1, 31)


def test_a_date_goes_with_assure_only(tx: FakeTx) -> None:
    with pytest.raises(InvalidInput, match="goes with assure, not with submit_evidence"):
        record_transition(
            tx, TransitionCommand(LEAD.email, KEY, Event.SUBMIT_EVIDENCE, impact_due_on=SIX_MONTHS), (), (), AT
        )


async def test_a_partnership_doing_no_checks_schedules_none(tx: FakeTx, uow: UowFactory, clock: FixedClock) -> None:
    with pytest.raises(InvalidInput, match="only its coordinators"):
        await set_impact_months(0, uow_factory=uow, clock=clock, actor_email=ASSURER.email, partnership="BCSP")
    done = await set_impact_months(0, uow_factory=uow, clock=clock, actor_email=COORDINATOR.email, partnership="BCSP")
    assert (done.before, done.months, tx.decisions.drafts[-1].event) == (6, 0, "impact_check_months_set")
    _assure(tx)
    assert tx.impact_checks.for_action(1) is None
    assert tx.actions.due_on[1] is None


async def test_the_assurer_confirms_impact_with_a_file_and_the_ladder_stops(
    tx: FakeTx, uow: UowFactory, clock: FixedClock, tmp_path: Path
) -> None:
    _assure(tx)
    audit = tmp_path / "re-audit.txt"
    audit.write_text("s136 detentions down by a third")
    command = ImpactCommand(ASSURER.email, KEY, ImpactOutcome.CONFIRMED, files=(audit,), note="re-audit")
    result = await record_impact(command, uow_factory=uow, clock=clock, store=EvidenceStore(tmp_path / "store"))
    assert (result.outcome, result.due_on, len(result.evidence)) == (ImpactOutcome.CONFIRMED, SIX_MONTHS, 1)
    draft = tx.decisions.drafts[-1]
    assert (draft.event, draft.from_state, draft.to_state, len(draft.evidence_hashes)) == (
        "impact_confirmed",
        "partnership_assured",
        "partnership_assured",
        1,
    )
    assert [e.decision_id for e in tx.evidence.for_action(1)] == [result.decision_id]
    check = tx.impact_checks.for_action(1)
    assert check is not None and (check.outcome, check.decided_by) == (ImpactOutcome.CONFIRMED, ASSURER.id)
    assert tx.actions.stored(1).version == 1  # a note about the action: assured it stays, at its version
    late = await sweep(date(2014, 6, 2), uow_factory=uow, clock=clock, calendar=CALENDAR)
    assert late.fired_count == 0


async def test_not_shown_needs_a_reason_and_a_check_is_answered_once(
    tx: FakeTx, uow: UowFactory, clock: FixedClock, tmp_path: Path
) -> None:
    store = EvidenceStore(tmp_path)
    _assure(tx)
    bare = ImpactCommand(ASSURER.email, KEY, ImpactOutcome.NOT_SHOWN)
    with pytest.raises(ImpactRefused, match="needs a reason"):
        await record_impact(bare, uow_factory=uow, clock=clock, store=store)
    future = ImpactCommand(ASSURER.email, KEY, ImpactOutcome.NOT_SHOWN, reason="x", decided_on=date(2013, 10, 2))
    with pytest.raises(ImpactRefused, match="in the future"):
        await record_impact(future, uow_factory=uow, clock=clock, store=store)
    shown = ImpactCommand(ASSURER.email, KEY, ImpactOutcome.NOT_SHOWN, reason="no change in the re-audit")
    await record_impact(shown, uow_factory=uow, clock=clock, store=store)
    check = tx.impact_checks.for_action(1)
    assert check is not None and (check.outcome, check.reason) == (ImpactOutcome.NOT_SHOWN, "no change in the re-audit")
    with pytest.raises(ImpactRefused, match="answered already"):
        await record_impact(shown, uow_factory=uow, clock=clock, store=store)


async def test_an_action_not_assured_has_no_check_to_answer(uow: UowFactory, clock: FixedClock, tmp_path: Path) -> None:
    command = ImpactCommand(ASSURER.email, KEY, ImpactOutcome.CONFIRMED, note="changed")
    with pytest.raises(ImpactRefused, match="only an assured action"):
        await record_impact(command, uow_factory=uow, clock=clock, store=EvidenceStore(tmp_path))


async def test_the_impact_ladder_reminds_the_partnership_then_tells_it_on_the_day(
    tx: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:
    _assure(tx)
    reminder_day = LADDER.due_on(LADDER.steps[0], SIX_MONTHS, CALENDAR)
    quiet = await sweep(ASSURED_ON, uow_factory=uow, clock=clock, calendar=CALENDAR)
    assert (quiet.fired_count, tx.actions.due_on[1]) == (0, reminder_day)
    reminded = await sweep(reminder_day, uow_factory=uow, clock=clock, calendar=CALENDAR)
    assert [(f.ladder, f.step) for f in reminded.fired] == [(LadderName.IMPACT_CHECK, "reminder")]
    assert tx.outbox.told()[-1] == ("reminder", "partnership_assurer:*")
    assert tx.actions.due_on[1] == SIX_MONTHS
