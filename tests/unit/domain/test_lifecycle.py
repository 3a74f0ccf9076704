"""The lifecycle table: every allowed transition, the illegal ones per state, and the guards."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import GuardFailed, RoleNotAllowed, TransitionNotAllowed
from domain.lifecycle import TRANSITIONS, Guard, Request, Transition, apply, available, decide
from domain.model import Action, ActionColumns, Route
from domain.roles import Actor, Deputy, Role
from domain.states import Event, State

POLICE, HEALTH, COMMISSIONING = 1, 2, 3
LEAD = Actor(10, Role.LEAD_OFFICER, POLICE, "Lead")
OTHER_LEAD = Actor(11, Role.LEAD_OFFICER, HEALTH, "Other lead")
COMMISSIONER = Actor(20, Role.COMMISSIONER, COMMISSIONING, "Commissioner")
ASSURER = Actor(30, Role.PARTNERSHIP_ASSURER, None, "Assurer")


def make_action(state: State = State.OPEN, route: Route = Route.COMMISSIONER, **kw: object) -> Action:
    values: dict[str, object] = {"submitted_by": LEAD.person_id if state is not State.OPEN else None} | kw
    return Action(
        id=1,
        review_id=1,
        agency_id=POLICE,
        ref="3.11.1",
        columns=ActionColumns(action="Audit s136 use"),
        target_date=date(2013, 6, 30),
        route=route,
        state=state,
        **values,  # type: ignore[arg-type]
    )


def actor_for(transition: Transition) -> Actor:
    return {Role.LEAD_OFFICER: LEAD, Role.COMMISSIONER: COMMISSIONER, Role.PARTNERSHIP_ASSURER: ASSURER}[
        transition.role
    ]


def full_request(transition: Transition) -> Request:
    return Request(transition.event, reason="Because", note="Done", evidence_hashes=("ab" * 32,))


def route_for(transition: Transition) -> Route:
    return Route.FINAL_AUDIT if Guard.ROUTE_FINAL_AUDIT in transition.guards else Route.COMMISSIONER


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: f"{t.source}-{t.event}-{t.role}")
def test_every_transition_in_the_table_is_allowed_for_its_role(transition: Transition) -> None:
    action = make_action(transition.source, route_for(transition))
    outcome = decide(action, actor_for(transition), full_request(transition))
    assert outcome.transition == transition
    apply(action, outcome, actor_for(transition), date(2013, 10, 1))
    assert action.state is transition.target


@pytest.mark.parametrize("state", list(State))
def test_events_missing_from_a_state_are_illegal_and_named(state: State) -> None:
    possible = {t.event for t in TRANSITIONS if t.source is state}
    illegal = [e for e in Event if e not in possible]
    assert illegal, f"every event leaves {state}?"
    for event in illegal:
        with pytest.raises(TransitionNotAllowed) as caught:
            decide(make_action(state), ASSURER, Request(event, reason="r", note="n"))
        message = str(caught.value)
        assert "3.11.1" in message and str(state) in message and str(event) in message


def test_final_states_allow_nothing() -> None:
    for state in (State.PARTNERSHIP_ASSURED, State.WITHDRAWN):
        assert not [t for t in TRANSITIONS if t.source is state]


def test_lead_officer_cannot_verify() -> None:
    with pytest.raises(RoleNotAllowed, match="commissioner"):
        decide(make_action(State.EVIDENCE_SUBMITTED), LEAD, Request(Event.VERIFY))


def test_lead_officer_of_another_agency_cannot_submit() -> None:
    with pytest.raises(GuardFailed, match="another agency") as caught:
        decide(make_action(), OTHER_LEAD, Request(Event.SUBMIT_EVIDENCE, note="done"))
    assert caught.value.guard == Guard.LEADS_ACTION


def test_named_lead_officer_alone_may_submit_when_one_is_assigned() -> None:
    colleague = Actor(12, Role.LEAD_OFFICER, POLICE, "Colleague")
    action = make_action(lead_officer_id=LEAD.person_id)
    with pytest.raises(GuardFailed, match="lead officer"):
        decide(action, colleague, Request(Event.SUBMIT_EVIDENCE, note="done"))
    decide(action, LEAD, Request(Event.SUBMIT_EVIDENCE, note="done"))


def test_submission_needs_a_note_or_files() -> None:
    with pytest.raises(GuardFailed, match="evidence is required"):
        decide(make_action(), LEAD, Request(Event.SUBMIT_EVIDENCE, note="   "))
    decide(make_action(), LEAD, Request(Event.SUBMIT_EVIDENCE, evidence_hashes=("ab" * 32,)))


@pytest.mark.parametrize(
    ("state", "actor", "event"),
    [
        (State.EVIDENCE_SUBMITTED, COMMISSIONER, Event.REJECT),
        (State.COMMISSIONER_VERIFIED, ASSURER, Event.REJECT),
        (State.OPEN, ASSURER, Event.WITHDRAW),
    ],
)
def test_reject_and_withdraw_need_a_reason(state: State, actor: Actor, event: Event) -> None:
    with pytest.raises(GuardFailed, match="reason is required") as caught:
        decide(make_action(state), actor, Request(event, reason="  "))
    assert caught.value.guard == Guard.REASON_GIVEN


def test_commissioner_cannot_verify_own_agency_evidence() -> None:
    own = Actor(21, Role.COMMISSIONER, POLICE, "Police commissioner")
    with pytest.raises(GuardFailed, match="own organisation") as caught:
        decide(make_action(State.EVIDENCE_SUBMITTED), own, Request(Event.VERIFY))
    assert caught.value.guard == Guard.NOT_OWN_AGENCY


def test_submitter_never_verifies_their_own_evidence() -> None:
    """A person who submitted (say, acting as lead) and also holds a commissioner login is refused."""
    same_person = Actor(LEAD.person_id, Role.COMMISSIONER, COMMISSIONING, "Lead with two hats")
    with pytest.raises(GuardFailed, match="segregation of duties") as caught:
        decide(make_action(State.EVIDENCE_SUBMITTED), same_person, Request(Event.VERIFY))
    assert caught.value.guard == Guard.NOT_SUBMITTER


def test_submitter_never_assures_their_own_evidence() -> None:
    same_person = Actor(LEAD.person_id, Role.PARTNERSHIP_ASSURER, None, "Lead with two hats")
    with pytest.raises(GuardFailed, match="segregation of duties"):
        decide(make_action(State.COMMISSIONER_VERIFIED), same_person, Request(Event.ASSURE))


def test_commissioner_route_needs_verification_before_assurance() -> None:
    with pytest.raises(GuardFailed, match="commissioner's verification"):
        decide(make_action(State.EVIDENCE_SUBMITTED, Route.COMMISSIONER), ASSURER, Request(Event.ASSURE))


def test_final_audit_route_skips_the_commissioner() -> None:
    action = make_action(State.EVIDENCE_SUBMITTED, Route.FINAL_AUDIT)
    with pytest.raises(GuardFailed, match="final audit"):
        decide(action, COMMISSIONER, Request(Event.VERIFY))
    assert decide(action, ASSURER, Request(Event.ASSURE)).target is State.PARTNERSHIP_ASSURED


def test_rejection_returns_the_action_and_marks_it_returned() -> None:
    action = make_action(State.EVIDENCE_SUBMITTED)
    outcome = decide(action, COMMISSIONER, Request(Event.REJECT, reason="No minutes attached"))
    apply(action, outcome, COMMISSIONER, date(2013, 10, 1))
    assert (action.state, action.returned, action.submitted_by) == (State.OPEN, True, None)
    assert [e.kind for e in outcome.events] == ["evidence_returned"]
    resubmit = decide(action, LEAD, Request(Event.SUBMIT_EVIDENCE, note="Minutes attached"))
    apply(action, resubmit, LEAD, date(2013, 10, 2))
    assert (action.state, action.returned, action.submitted_by) == (State.EVIDENCE_SUBMITTED, False, LEAD.person_id)


def test_evidence_submitted_tells_the_checker_of_the_route() -> None:
    for route, role in ((Route.COMMISSIONER, Role.COMMISSIONER), (Route.FINAL_AUDIT, Role.PARTNERSHIP_ASSURER)):
        outcome = decide(make_action(route=route), LEAD, Request(Event.SUBMIT_EVIDENCE, note="done"))
        assert [r.role for e in outcome.events for r in e.recipients] == [role]


def test_available_offers_exactly_what_the_person_may_do_now() -> None:
    submitted = make_action(State.EVIDENCE_SUBMITTED)
    assert {(t.event, t.role) for t in available(submitted, COMMISSIONER)} == {
        (Event.VERIFY, Role.COMMISSIONER),
        (Event.REJECT, Role.COMMISSIONER),
    }
    assert {t.event for t in available(submitted, ASSURER)} == {Event.WITHDRAW}
    assert available(submitted, LEAD) == []
    assert {t.event for t in available(make_action(), OTHER_LEAD)} == set()


def test_partnership_cannot_return_unverified_commissioner_route_evidence() -> None:
    with pytest.raises(GuardFailed, match="verification before the partnership returns it"):
        decide(make_action(State.EVIDENCE_SUBMITTED), ASSURER, Request(Event.REJECT, reason="weak"))


def test_a_guard_added_later_judges_only_decisions_taken_since_it_came_in() -> None:
    """An assurer's deputy of the action's agency could withdraw it until 7 December 2026; the log's replay
    judges a decision by the rules of its day, the use case by today's."""
    deputy = Actor(ASSURER.person_id, ASSURER.role, None, "Assurer", Deputy(40, POLICE, "Police colleague"))
    request = Request(Event.WITHDRAW, reason="Superseded")
    assert decide(make_action(), deputy, request, on=date(2026, 12, 6)).target is State.WITHDRAWN
    with pytest.raises(GuardFailed, match="deputy may not withdraw their own organisation's action"):
        decide(make_action(), deputy, request, on=date(2026, 12, 7))
    with pytest.raises(GuardFailed):
        decide(make_action(), deputy, request)
