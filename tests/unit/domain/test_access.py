"""Who sees which action: the rule as a page's query applies it agrees with the rule for one action."""

from __future__ import annotations

import dataclasses
import itertools

from domain.access import may_see, visible_agencies
from domain.roles import Actor, Role
from tests.unit.domain.test_lifecycle import make_action

AGENCIES = (1, 2, 3)


def _actors() -> list[Actor]:
    return [Actor(n, role, agency) for n, (role, agency) in enumerate(itertools.product(Role, (None, *AGENCIES)))]


def test_the_agencies_a_query_keeps_are_exactly_the_actions_may_see_lets_through() -> None:
    """Every pair of actors (a person and the one they stand in for), every agency's action."""
    actors = _actors()
    for pair in itertools.product(actors, repeat=2):
        keep = visible_agencies(pair)
        for agency in AGENCIES:
            action = dataclasses.replace(make_action(), agency_id=agency)
            seen = any(may_see(actor, action) for actor in pair)
            assert seen == (keep is None or agency in keep), (pair, agency)


def test_a_lead_officer_without_an_agency_sees_nothing_and_partnership_staff_see_every_agency() -> None:
    assert visible_agencies([Actor(1, Role.LEAD_OFFICER, None)]) == frozenset()
    assert visible_agencies([Actor(1, Role.DIRECTOR, 2), Actor(2, Role.LEAD_OFFICER, 3)]) == {2, 3}
    assert visible_agencies([Actor(1, Role.DIRECTOR, 2), Actor(2, Role.VIEWER, None)]) is None
