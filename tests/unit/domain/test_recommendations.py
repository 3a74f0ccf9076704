"""A recommendation's status, derived from its actions: an example for every branch of ``standing``, and the
scope and addressee it is recorded with."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.addressees import normalise, read_addressee
from domain.impact import ImpactOutcome
from domain.model import Recommendation, Scope, recommendation_numbers
from domain.recommendations import (
    ActionFacts,
    InvalidScope,
    RecommendationStatus,
    named,
    number_of,
    parse_scopes,
    standing,
)
from domain.states import State

S = RecommendationStatus
D1, D2, D3 = date(2025, 3, 31), date(2025, 6, 30), date(2025, 9, 30)


def fact(ref: str, state: State = State.OPEN, **kw: Any) -> ActionFacts:
    return ActionFacts(ref, state, **kw)


def test_not_accepted_wins_over_every_action_state() -> None:
    found = standing([fact("1.1", State.PARTNERSHIP_ASSURED, assured_on=D1)], "  Not ours: national policy  ")
    assert (found.status, found.reason) == (S.NOT_ACCEPTED, "Not ours: national policy")


def test_no_actions_is_not_started() -> None:
    found = standing([])
    assert (found.status, found.reason, found.first_target, found.implemented_on) == (
        S.NOT_STARTED,
        "no actions",
        None,
        None,
    )


def test_every_action_open_without_progress_is_not_started() -> None:
    found = standing([fact("1.1", target_date=D2), fact("1.2", target_date=D1)])
    assert (found.status, found.reason) == (S.NOT_STARTED, "no action has started")
    assert (found.first_target, found.latest_target) == (D1, D2)


def test_progress_recorded_on_an_open_action_is_in_progress() -> None:
    found = standing([fact("1.1", progress_recorded=True), fact("1.2")])
    assert (found.status, found.reason) == (S.IN_PROGRESS, "")


def test_evidence_waiting_for_a_check_is_in_progress() -> None:
    assert standing([fact("1.1", State.EVIDENCE_SUBMITTED)]).status is S.IN_PROGRESS
    assert standing([fact("1.1", State.COMMISSIONER_VERIFIED)]).status is S.IN_PROGRESS


def test_one_assured_one_open_is_in_progress_without_a_day_implemented() -> None:
    found = standing([fact("1.1", State.PARTNERSHIP_ASSURED, assured_on=D1), fact("1.2")])
    assert (found.status, found.implemented_on) == (S.IN_PROGRESS, None)


def test_every_action_assured_is_implemented_on_the_day_of_the_last_assurance() -> None:
    found = standing(
        [
            fact("1.1", State.PARTNERSHIP_ASSURED, assured_on=D2, target_date=D1),
            fact("1.2", State.PARTNERSHIP_ASSURED, assured_on=D1, target_date=D3, impact=ImpactOutcome.CONFIRMED),
        ]
    )
    assert (found.status, found.reason, found.implemented_on) == (S.IMPLEMENTED, "", D2)
    assert (found.first_target, found.latest_target) == (D1, D3)


def test_an_impact_check_not_shown_makes_a_settled_recommendation_partly_implemented() -> None:
    found = standing(
        [
            fact("1.1", State.PARTNERSHIP_ASSURED, assured_on=D1),
            fact(
                "1.2",
                State.PARTNERSHIP_ASSURED,
                assured_on=D2,
                impact=ImpactOutcome.NOT_SHOWN,
                impact_reason="no audit",
            ),
        ]
    )
    assert (found.status, found.reason, found.implemented_on) == (
        S.PARTLY_IMPLEMENTED,
        "impact not shown for 1.2: no audit",
        D2,
    )


def test_a_withdrawn_action_makes_a_settled_recommendation_partly_implemented_and_its_target_does_not_count() -> None:
    found = standing(
        [
            fact("1.1", State.PARTNERSHIP_ASSURED, assured_on=D1, target_date=D1),
            fact("1.2", State.WITHDRAWN, target_date=D3),
        ]
    )
    assert (found.status, found.reason) == (S.PARTLY_IMPLEMENTED, "action 1.2 withdrawn")
    assert (found.first_target, found.latest_target, found.implemented_on) == (D1, D1, D1)


def test_withdrawn_and_no_impact_are_both_named() -> None:
    found = standing(
        [
            fact("1.1", State.PARTNERSHIP_ASSURED, assured_on=D1, impact=ImpactOutcome.NOT_SHOWN),
            fact("1.2", State.WITHDRAWN),
        ]
    )
    assert found.reason == "action 1.2 withdrawn; impact not shown for 1.1"


def test_every_action_withdrawn_is_partly_implemented_naming_them() -> None:
    found = standing([fact("1.1", State.WITHDRAWN, target_date=D2), fact("1.2", State.WITHDRAWN, target_date=D1)])
    assert (found.status, found.reason) == (S.PARTLY_IMPLEMENTED, "every action withdrawn: 1.1, 1.2")
    assert (found.first_target, found.latest_target, found.implemented_on) == (D1, D2, None)


def test_a_withdrawn_action_beside_an_untouched_one_is_in_progress() -> None:
    assert standing([fact("1.1", State.WITHDRAWN), fact("1.2")]).status is S.IN_PROGRESS


def test_impact_not_shown_while_others_run_stays_in_progress_and_says_so() -> None:
    found = standing(
        [fact("1.1", State.PARTNERSHIP_ASSURED, impact=ImpactOutcome.NOT_SHOWN, impact_reason="x"), fact("1.2")]
    )
    assert (found.status, found.reason) == (S.IN_PROGRESS, "impact not shown for 1.1: x")


def test_an_impact_check_still_due_leaves_it_implemented() -> None:
    assert standing([fact("1.1", State.PARTNERSHIP_ASSURED, assured_on=D1, impact=None)]).status is S.IMPLEMENTED


@pytest.mark.parametrize(
    ("given", "scopes"),
    [
        (["national"], (Scope.NATIONAL,)),
        (["National", " local "], (Scope.LOCAL, Scope.NATIONAL)),
        (["regional,local"], (Scope.LOCAL, Scope.REGIONAL)),
        ([], ()),
    ],
)
def test_scopes_are_exactly_the_three(given: list[str], scopes: tuple[Scope, ...]) -> None:
    assert parse_scopes(given) == scopes


def test_another_scope_is_refused_naming_it_and_the_three() -> None:
    with pytest.raises(InvalidScope) as refused:
        parse_scopes(["local", "pan-London"])
    assert str(refused.value) == "scope 'pan-London' is not one of: local, regional, national"


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("DHSC", "Department of Health and Social Care"),
        ("dept of health", "Department of Health and Social Care"),
        ("the home office", "Home Office"),
        ("MOJ", "Ministry of Justice"),
        ("NHSE", "NHS England"),
        ("  West  Midlands Police ", "West Midlands Police"),
        ("Birmingham City council", "Birmingham City Council"),
        ("", ""),
    ],
)
def test_addressees_are_normalised_to_the_national_body_or_the_plans_agency(typed: str, name: str) -> None:
    assert normalise(typed, ["Birmingham City Council"]) == name


@pytest.mark.parametrize(
    ("text", "addressee"),
    [
        ("The Home Office should issue guidance on ...", "Home Office"),
        ("NHS England to commission a review of ...", "NHS England"),
        ("Recommendation 3: DHSC must consider ...", "Department of Health and Social Care"),
        ("2. West Midlands Police should train ...", "West Midlands Police"),
        ("All agencies should share information", ""),
        ("Training on coercive control to be delivered", ""),
        ("Review the Home Office guidance", ""),
        ("Recommendation 8: BSMHFT ensure that all risk assessments ...", "Mental Health Trust (BSMHFT)"),
        ("Recommendations 5, 7 and 10: Improved record keeping", ""),
    ],
)
def test_the_addressee_is_read_from_the_recommendations_first_words(text: str, addressee: str) -> None:
    assert read_addressee(text, ["West Midlands Police", "Mental Health Trust (BSMHFT)"]) == addressee


def test_a_recommendation_is_named_by_its_numbers_its_leading_number_or_its_place() -> None:
    several = Recommendation(
        1, 1, "Recommendations 5, 7 and 10: ...", recommendation_numbers("Recommendations 5, 7 and 10: x")
    )
    leading = Recommendation(2, 1, "2. GPs ask about abuse", position=1)
    theme = Recommendation(3, 1, "Key stakeholders work jointly", position=2)
    assert [number_of(r) for r in (several, leading, theme)] == ["5, 7, 10", "2", "#3"]
    found = [several, leading, theme]
    assert (named(found, "7"), named(found, " 2 "), named(found, "#3"), named(found, "4")) == (
        several,
        leading,
        theme,
        None,
    )
