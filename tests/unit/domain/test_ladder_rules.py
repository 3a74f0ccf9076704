"""Ladders written by a coordinator, and who may acknowledge a fired step."""

from __future__ import annotations

import pytest

from domain.acknowledgements import AcknowledgeRefused, Desk, FiredStep, check_acknowledge, told
from domain.ladders import DEFAULT_LADDERS, Anchor, InvalidLadder, Ladder, LadderName, parse_step
from domain.roles import Actor, Role

LEAD_LADDER = DEFAULT_LADDERS[LadderName.LEAD_OFFICER]
DIRECTOR_STEP = LEAD_LADDER.steps[2]
POLICE, HEALTH = 1, 2


def fired(step: str = "director", ladder: LadderName = LadderName.LEAD_OFFICER, **kw: object) -> FiredStep:
    found = DEFAULT_LADDERS[ladder].step(step)
    assert found is not None
    values: dict[str, object] = {"agency_id": POLICE, "lead_officer_id": 7, "acknowledged_by": None} | kw
    return FiredStep(5, "3.11.1", ladder=ladder, step=found, **values)  # type: ignore[arg-type]


def desk(role: Role, person_id: int = 9, agency: int | None = POLICE, **kw: object) -> Desk:
    return Desk(Actor(person_id, role, agency), **kw)  # type: ignore[arg-type]


def test_a_step_is_written_key_offset_kind_roles() -> None:
    step = parse_step("lead_officer", "board:6:escalation:partnership_assurer+director")
    assert (step.key, step.offset, step.kind, step.notify) == (
        "board",
        6,
        "escalation",
        (Role.PARTNERSHIP_ASSURER, Role.DIRECTOR),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("board:6:escalation", "is not KEY:OFFSET:KIND:ROLE"),
        ("board:soon:escalation:director", "offset 'soon' is not a whole number"),
        ("board:6:escalation:chief", "'chief' is not a role"),
    ],
)
def test_a_badly_written_step_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(InvalidLadder, match=message):
        parse_step("lead_officer", text)


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        (["a:1:reminder:director", "b:1:reminder:director"], "each on a day of its own"),
        (["a:1:reminder:director", "a:2:reminder:director"], "two steps share a name"),
        (["a b:1:reminder:director"], "must be letters, digits and _"),
        (["a:1:shout:director"], "kind 'shout'"),
        (["a:1:reminder:coordinator"], "not the coordinator"),
        (["a:1:reminder:director+director"], "names a role twice"),
    ],
)
def test_a_ladder_that_cannot_work_is_refused(steps: list[str], message: str) -> None:
    with pytest.raises(InvalidLadder, match=message):
        Ladder(LadderName.LEAD_OFFICER, Anchor.TARGET_DATE, tuple(parse_step("x", s) for s in steps))


def test_the_agencys_director_now_is_the_one_told() -> None:
    assert told(fired(), desk(Role.DIRECTOR, directs=[POLICE]))
    assert not told(fired(), desk(Role.DIRECTOR, directs=[HEALTH], agency=HEALTH))
    assert not told(fired(), desk(Role.DIRECTOR, directs=[]))  # replaced: directs nothing now


def test_a_checker_ladders_director_is_a_commissioning_bodys() -> None:
    step = fired("director", LadderName.COMMISSIONER_CHECK)
    assert told(step, desk(Role.DIRECTOR, agency=HEALTH, directs=[HEALTH], commissioning={HEALTH}))
    assert not told(step, desk(Role.DIRECTOR, directs=[POLICE], commissioning={HEALTH}))


def test_a_lead_officer_is_told_of_their_own_action_or_their_agencys_unnamed_one() -> None:
    assert told(fired("reminder"), desk(Role.LEAD_OFFICER, person_id=7))
    assert not told(fired("reminder"), desk(Role.LEAD_OFFICER, person_id=8))
    assert told(fired("reminder", lead_officer_id=None), desk(Role.LEAD_OFFICER, person_id=8))


def test_only_an_escalation_is_acknowledged_once_by_someone_it_told() -> None:
    check_acknowledge(fired(), desk(Role.DIRECTOR, directs=[POLICE]))
    with pytest.raises(AcknowledgeRefused, match="is a reminder"):
        check_acknowledge(fired("reminder"), desk(Role.LEAD_OFFICER, person_id=7))
    with pytest.raises(AcknowledgeRefused, match=r"told the director of action 3\.11\.1, not you"):
        check_acknowledge(fired(), desk(Role.PARTNERSHIP_ASSURER, agency=None))
    with pytest.raises(AcknowledgeRefused, match="acknowledged already"):
        check_acknowledge(fired(acknowledged_by=3), desk(Role.DIRECTOR, directs=[POLICE]))
