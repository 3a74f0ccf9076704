"""Impact checks' rules: when one falls due, who answers it, and what an answer needs."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import ErrorKind
from domain.impact import ImpactCheck, ImpactOutcome, ImpactRefused, check_answer, check_due_on, check_months, due_after
from domain.ladders import AGENCY_DIRECTOR, DEFAULT_LADDERS, LadderName, ladder_in
from domain.model import Action, ActionColumns, Route
from domain.roles import Actor, Role
from domain.states import State

ASSURER = Actor(30, Role.PARTNERSHIP_ASSURER, None, "Asa Assurer")
DAY = date(2014, 3, 3)
DUE = ImpactCheck(1, DAY)


def _assured(state: State = State.PARTNERSHIP_ASSURED) -> Action:
    return Action(
        1,
        1,
        4,
        "3.11.1",
        ActionColumns(success_measure="Audit shows s136 use down"),
        None,
        Route.COMMISSIONER,
        state=state,
    )


def _answer(
    action: Action | None = None,
    actor: Actor = ASSURER,
    check: ImpactCheck | None = DUE,
    outcome: ImpactOutcome = ImpactOutcome.CONFIRMED,
    *,
    reason: str = "",
    note: str = "re-audit attached",
    evidence: int = 0,
    decided_on: date = DAY,
) -> None:
    check_answer(
        action or _assured(),
        actor,
        check,
        outcome,
        reason=reason,
        note=note,
        evidence=evidence,
        on=DAY,
        decided_on=decided_on,
    )


def test_a_check_falls_due_the_partnerships_months_after_assurance_on_the_same_day_or_the_months_last() -> None:
    assert due_after(date(2014, 3, 3), 6) == date(2014, 9, 3)
    assert due_after(date(2014, 8, 31), 6) == date(2015, 2, 28)
    assert due_after(date(2014, 3, 3), 0) is None


def test_the_months_and_an_assurers_own_date_are_bounded() -> None:
    check_months(0)
    with pytest.raises(ImpactRefused, match="must be 0"):
        check_months(-1)
    with pytest.raises(ImpactRefused, match="must be after the assurance day"):
        check_due_on("3.11.1", DAY, DAY)
    with pytest.raises(ImpactRefused, match="more than 60 months"):
        check_due_on("3.11.1", DAY, date(2030, 1, 1))
    check_due_on("3.11.1", DAY, date(2014, 4, 1))


def test_the_partnership_assurer_answers_with_evidence_or_a_reason() -> None:
    _answer()
    _answer(note="", evidence=1)
    _answer(outcome=ImpactOutcome.NOT_SHOWN, reason="the re-audit found no change", note="")


@pytest.mark.parametrize(
    ("kwargs", "message", "kind"),
    [
        (
            {"actor": Actor(20, Role.COMMISSIONER, 1)},
            "partnership assurer records impact, not the commissioner",
            ErrorKind.NOT_YOURS,
        ),
        ({"actor": Actor(30, Role.COORDINATOR, None)}, "not the coordinator", ErrorKind.NOT_YOURS),
        ({"actor": Actor(33, Role.PARTNERSHIP_ASSURER, 4)}, "their own agency", ErrorKind.NOT_YOURS),
        ({"action": _assured(State.COMMISSIONER_VERIFIED)}, "only an assured action", ErrorKind.NOT_NOW),
        ({"check": None}, "has no impact check", ErrorKind.NOT_NOW),
        ({"check": ImpactCheck(1, DAY, ImpactOutcome.CONFIRMED)}, "answered already", ErrorKind.NOT_NOW),
        ({"outcome": ImpactOutcome.NOT_SHOWN, "reason": "  "}, "needs a reason", ErrorKind.BAD_INPUT),
        ({"note": " "}, "needs evidence", ErrorKind.BAD_INPUT),
        ({"decided_on": date(2014, 3, 4)}, "in the future", ErrorKind.BAD_INPUT),
    ],
)
def test_an_answer_is_refused(kwargs: dict[str, object], message: str, kind: ErrorKind) -> None:
    with pytest.raises(ImpactRefused, match=message) as refused:
        _answer(**kwargs)  # type: ignore[arg-type]  # each case overrides one argument
    assert refused.value.kind is kind and "action 3.11.1" in str(refused.value)


def test_an_assured_action_climbs_the_impact_ladder_only_while_its_check_is_unanswered() -> None:
    assert ladder_in(State.PARTNERSHIP_ASSURED, Route.COMMISSIONER, impact_due=True) is LadderName.IMPACT_CHECK
    assert ladder_in(State.PARTNERSHIP_ASSURED, Route.COMMISSIONER) is None
    assert ladder_in(State.WITHDRAWN, Route.COMMISSIONER, impact_due=True) is None
    ladder = DEFAULT_LADDERS[LadderName.IMPACT_CHECK]
    assert [(s.key, s.offset, s.kind) for s in ladder.steps] == [
        ("reminder", -10, "reminder"),
        ("due", 0, "overdue"),
        ("escalation", 20, "escalation"),
    ]
    assert LadderName.IMPACT_CHECK in AGENCY_DIRECTOR  # its director is the action's agency's
