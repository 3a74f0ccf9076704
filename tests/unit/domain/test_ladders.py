"""Escalation ladders on the England and Wales working-day calendar."""

from __future__ import annotations

from datetime import date

import pytest

from domain.ladders import (
    DEFAULT_LADDERS,
    Anchor,
    CatchUp,
    InvalidLadder,
    Ladder,
    LadderName,
    LadderStep,
    ladder_for,
    passed_over_told,
)
from domain.model import Action, ActionColumns, Route
from domain.roles import Role
from domain.states import State
from workflows.runtime.working_days import england_and_wales

LEAD_LADDER = DEFAULT_LADDERS[LadderName.LEAD_OFFICER]
TARGET = date(2014, 4, 30)  # action 3.1.1 of the seed: "Apr-14"
CAL = england_and_wales()


def test_default_lead_officer_steps_fall_on_working_days_around_bank_holidays() -> None:
    due = {s.key: LEAD_LADDER.due_on(s, TARGET, CAL) for s in LEAD_LADDER.steps}
    assert due == {
        "reminder": date(2014, 4, 14),  # ten working days back, over Good Friday and Easter Monday
        "overdue": date(2014, 4, 30),
        "director": date(2014, 5, 8),  # five on, over the Early May bank holiday
        "partnership": date(2014, 5, 30),  # twenty on, over the Spring bank holiday
    }


def test_each_step_fires_once_in_order() -> None:
    assert [s.key for s in LEAD_LADDER.due(TARGET, date(2014, 4, 11), CAL)] == []
    assert [s.key for s in LEAD_LADDER.due(TARGET, date(2014, 4, 14), CAL)] == ["reminder"]
    assert LEAD_LADDER.due(TARGET, date(2014, 4, 15), CAL, fired=["reminder"]) == []
    assert LEAD_LADDER.next_due_on(TARGET, CAL, fired=["reminder"]) == date(2014, 4, 30)


def test_an_action_found_far_overdue_fires_only_its_highest_step() -> None:
    today = date(2026, 11, 26)
    assert [s.key for s in LEAD_LADDER.due(TARGET, today, CAL)] == ["partnership"]
    assert LEAD_LADDER.next_due_on(TARGET, CAL, fired=["partnership"]) is None
    every = LEAD_LADDER.due(TARGET, today, CAL, catch_up=CatchUp.ALL)
    assert [s.key for s in every] == ["reminder", "overdue", "director", "partnership"]


def test_a_moved_target_date_restarts_the_ladder() -> None:
    """The ledger keys on the anchor date, so an extension's new date has fired nothing yet."""
    extended = date(2014, 9, 30)
    assert LEAD_LADDER.next_due_on(extended, CAL) == date(2014, 9, 16)


@pytest.mark.parametrize(
    ("state", "route", "ladder"),
    [
        (State.OPEN, Route.COMMISSIONER, LadderName.LEAD_OFFICER),
        (State.EVIDENCE_SUBMITTED, Route.COMMISSIONER, LadderName.COMMISSIONER_CHECK),
        (State.EVIDENCE_SUBMITTED, Route.FINAL_AUDIT, LadderName.PARTNERSHIP_CHECK),
        (State.COMMISSIONER_VERIFIED, Route.COMMISSIONER, LadderName.PARTNERSHIP_CHECK),
        (State.PARTNERSHIP_ASSURED, Route.COMMISSIONER, None),
        (State.WITHDRAWN, Route.FINAL_AUDIT, None),
    ],
)
def test_the_ladder_follows_whoever_holds_the_action(state: State, route: Route, ladder: LadderName | None) -> None:
    action = Action(1, 1, 1, "3.1.1", ActionColumns(), TARGET, route, state=state)
    assert ladder_for(action) is ladder


def test_checker_ladders_count_from_when_the_evidence_arrived() -> None:
    ladder = DEFAULT_LADDERS[LadderName.COMMISSIONER_CHECK]
    assert ladder.anchor is Anchor.WAITING_SINCE
    submitted = date(2013, 12, 20)
    # ten working days over Christmas, Boxing Day and New Year's Day
    assert ladder.next_due_on(submitted, CAL) == date(2014, 1, 8)


@pytest.mark.parametrize(
    ("steps", "problem"),
    [
        ((), "has no steps"),
        ((LadderStep("a", 0, (Role.LEAD_OFFICER,), "overdue"), LadderStep("a", 5, (Role.DIRECTOR,), "x")), "share"),
        ((LadderStep("a", 5, (Role.LEAD_OFFICER,), "x"), LadderStep("b", 0, (Role.DIRECTOR,), "x")), "in order"),
        ((LadderStep("a", 0, (), "overdue"),), "tells nobody"),
    ],
)
def test_a_malformed_ladder_is_refused(steps: tuple[LadderStep, ...], problem: str) -> None:
    with pytest.raises(InvalidLadder, match=problem):
        Ladder(LadderName.LEAD_OFFICER, Anchor.TARGET_DATE, steps)


def test_a_ladder_only_climbs_steps_passed_over_never_fire_later() -> None:
    """Found far overdue, 3.1.1 fired its partnership step; looked at again later, nothing lower fires."""
    later = date(2026, 12, 1)
    assert LEAD_LADDER.due(TARGET, later, CAL, fired=["partnership"]) == []
    assert LEAD_LADDER.due(TARGET, later, CAL, fired=["overdue"], catch_up=CatchUp.ALL) == list(LEAD_LADDER.steps[2:])


def test_a_catch_up_tells_whom_the_escalations_passed_over_would_have_told_once() -> None:
    reminder, overdue, director, partnership = LEAD_LADDER.steps
    assert passed_over_told([reminder, overdue, director], partnership) == (Role.DIRECTOR,)
    assert passed_over_told([reminder, overdue], director) == ()  # reminders ask for a date that has gone
    twice = LadderStep("director_again", 30, (Role.DIRECTOR, Role.PARTNERSHIP_ASSURER), "escalation")
    assert passed_over_told([director, twice], partnership) == (Role.DIRECTOR,)


def test_a_climb_under_highest_only_fires_the_highest_and_says_what_it_passed_over() -> None:
    far = date(2014, 6, 2)
    climb = LEAD_LADDER.climb(TARGET, far, CAL)
    assert [s.key for s in climb.fires] == ["partnership"]
    assert ([s.key for s in climb.passed_over], climb.also_told) == (
        ["reminder", "overdue", "director"],
        (Role.DIRECTOR,),
    )
    every = LEAD_LADDER.climb(TARGET, far, CAL, catch_up=CatchUp.ALL)
    assert (len(every.fires), every.passed_over, every.also_told) == (4, (), ())


def test_a_highest_step_that_is_not_an_escalation_carries_nobody_more() -> None:
    director = LadderStep("director", 5, (Role.DIRECTOR,), "escalation")
    final = LadderStep("final", 30, (Role.LEAD_OFFICER,), "overdue")
    ladder = Ladder(LadderName.LEAD_OFFICER, Anchor.TARGET_DATE, (director, final))
    climb = ladder.climb(TARGET, date(2014, 7, 31), CAL)
    assert ([s.key for s in climb.fires], climb.also_told) == (["final"], ())
