"""The lifecycle is one table in fact: each row says what it records and who hears of it, and a table that
contradicts itself is refused when the module is imported."""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain.decisions import KINDS, NOTES, UnknownDecisionKind
from domain.lifecycle import EFFECTS, TRANSITIONS, VERBS, Effect, InvalidTable, _check_table
from domain.states import Event, State


def test_each_event_records_one_effect_and_has_one_verb() -> None:
    assert EFFECTS[Event.SUBMIT_EVIDENCE] is Effect.SUBMITS
    assert EFFECTS[Event.VERIFY] is Effect.VERIFIES
    assert EFFECTS[Event.REJECT] is Effect.RETURNS
    assert {EFFECTS[e] for e in (Event.ASSURE, Event.WITHDRAW, Event.RECORD_PROGRESS)} == {Effect.NONE}
    assert set(VERBS.values()) == {"submit", "progress", "verify", "reject", "assure", "withdraw"}


def test_every_row_that_moves_evidence_tells_someone() -> None:
    silent = [t for t in TRANSITIONS if t.notice is None]
    assert [t.event for t in silent] == [Event.RECORD_PROGRESS]


def test_a_state_no_row_reaches_is_refused() -> None:
    without_assure = tuple(t for t in TRANSITIONS if t.target is not State.PARTNERSHIP_ASSURED)
    with pytest.raises(InvalidTable, match="no row reaches partnership_assured"):
        _check_table(without_assure)


def test_a_row_leaving_a_final_state_is_refused() -> None:
    reopen = replace(TRANSITIONS[-1], source=State.WITHDRAWN, target=State.OPEN)
    with pytest.raises(InvalidTable, match="must be the final ones"):
        _check_table((*TRANSITIONS, reopen))


def test_an_event_recording_different_things_in_different_rows_is_refused() -> None:
    odd = replace(TRANSITIONS[3], effect=Effect.NONE)  # a reject that would not mark the action returned
    with pytest.raises(InvalidTable, match="records different things"):
        _check_table((*TRANSITIONS[:3], odd, *TRANSITIONS[4:]))


def test_the_catalogue_names_every_lifecycle_event_and_which_kinds_leave_an_action_as_it_was() -> None:
    assert {str(e) for e in Event} <= set(KINDS)
    assert all(KINDS[str(e)].changes_action for e in Event)
    notes = {"escalated", "escalation_acknowledged", "theme_confirmed", "theme_removed", "reported_complete"}
    assert notes | {"impact_confirmed", "impact_not_shown"} == NOTES


def test_a_decision_of_an_unknown_kind_is_refused_by_name() -> None:
    assert "not in domain.decisions.KINDS" in str(UnknownDecisionKind("made_up"))
