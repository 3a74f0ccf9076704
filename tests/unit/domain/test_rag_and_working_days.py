from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.model import Action, ActionColumns, DottedNumber, Route, recommendation_numbers, ref_sort_key
from domain.rag import Due, DueBands, Rag, RagPolicy, is_overdue, rag
from domain.states import State
from domain.working_days import WorkingCalendar
from workflows.runtime.working_days import england_and_wales

TARGET = date(2014, 4, 30)


def action(state: State = State.OPEN, target: date | None = TARGET, returned: bool = False) -> Action:
    return Action(1, 1, 1, "3.1.1", ActionColumns(), target, Route.COMMISSIONER, state=state, returned=returned)


@pytest.mark.parametrize(
    ("a", "today", "expected"),
    [
        (action(), date(2014, 1, 1), Rag.GREEN),
        (action(), date(2014, 4, 16), Rag.AMBER),  # 14 days before: inside the warning window
        (action(), date(2014, 4, 15), Rag.GREEN),
        (action(), TARGET, Rag.AMBER),
        (action(), date(2014, 5, 1), Rag.RED),
        (action(returned=True), date(2014, 1, 1), Rag.AMBER),
        (action(State.EVIDENCE_SUBMITTED), date(2015, 1, 1), Rag.GREEN),
        (action(State.COMMISSIONER_VERIFIED), date(2015, 1, 1), Rag.GREEN),
        (action(State.PARTNERSHIP_ASSURED), date(2015, 1, 1), Rag.BLUE),
        (action(State.WITHDRAWN), date(2015, 1, 1), Rag.GREY),
        (action(target=None), date(2015, 1, 1), Rag.AMBER),
    ],
)
def test_rag_is_derived_from_state_and_dates(a: Action, today: date, expected: Rag) -> None:
    assert rag(a, today) is expected


def test_rag_warning_window_is_configurable() -> None:
    assert rag(action(), date(2014, 3, 31), RagPolicy(warning_days=30)) is Rag.AMBER
    assert rag(action(), date(2014, 4, 29), RagPolicy(warning_days=0)) is Rag.GREEN


def test_where_a_target_date_stands_has_the_bounds_the_colours_have() -> None:
    """``DueBands`` is what a database compares its target dates with: each band edge is a colour edge."""
    bands = DueBands.on(date(2014, 4, 16))  # TARGET is 14 days on: the warning window's last day
    assert [bands.due(d) for d in (None, date(2014, 4, 15), date(2014, 4, 16), TARGET, date(2014, 5, 1))] == [
        Due.UNDATED,
        Due.PAST,
        Due.SOON,
        Due.SOON,
        Due.LATER,
    ]
    assert is_overdue(State.OPEN, Due.PAST) and not is_overdue(State.EVIDENCE_SUBMITTED, Due.PAST)


def test_refs_sort_numerically_not_as_text() -> None:
    refs = ["3.11.1", "3.2.1", "3.1.2", "3.9.1", "3.11.2", "3.1.1", "10.1"]
    assert sorted(refs, key=ref_sort_key) == ["3.1.1", "3.1.2", "3.2.1", "3.9.1", "3.11.1", "3.11.2", "10.1"]
    assert DottedNumber.parse("3.2") < DottedNumber.parse("3.11")


def test_recommendation_numbers_are_read_from_grouping_rows() -> None:
    text = "Recommendations 5, 7 and 10: Improved record keeping"
    assert [str(n) for n in recommendation_numbers(text)] == ["5", "7", "10"]
    assert [str(n) for n in recommendation_numbers("Recommendation 8: BSMHFT ensure")] == ["8"]
    assert recommendation_numbers("Key stakeholders, local CCG ...") == ()


def test_working_days_skip_weekends_and_given_holidays() -> None:
    cal = WorkingCalendar({date(2013, 12, 25), date(2013, 12, 26)})
    assert cal.add_working_days(date(2013, 12, 24), 1) == date(2013, 12, 27)
    assert cal.add_working_days(date(2013, 12, 27), -1) == date(2013, 12, 24)
    assert cal.add_working_days(date(2013, 12, 28), 0) == date(2013, 12, 30)
    assert cal.working_days_between(date(2013, 12, 20), date(2013, 12, 31)) == 5


def test_england_and_wales_calendar_knows_the_bank_holidays() -> None:
    cal = england_and_wales()
    # Easter 2014: Good Friday 18 April and Easter Monday 21 April are bank holidays in England and Wales.
    assert not cal.is_working_day(date(2014, 4, 18))
    assert not cal.is_working_day(date(2014, 4, 21))
    assert cal.add_working_days(date(2014, 4, 17), 1) == date(2014, 4, 22)
    # Early May and spring bank holidays 2013; St Andrew's Day (Scotland only) is a working day.
    assert not cal.is_working_day(date(2013, 5, 6))
    assert not cal.is_working_day(date(2013, 5, 27))
    assert cal.is_working_day(date(2013, 12, 2))
    # The Queen's funeral, 19 September 2022, was a one-off bank holiday.
    assert not cal.is_working_day(date(2022, 9, 19))
    # Ten working days before 30 April 2014 crosses Easter.
    assert cal.add_working_days(date(2014, 4, 30), -10) == date(2014, 4, 14)


def test_counting_by_lookup_agrees_with_walking_day_by_day() -> None:
    cal = england_and_wales()
    start = date(2012, 12, 20)
    for offset in range(0, 800, 7):
        day = start + timedelta(days=offset)
        for n in (-20, -10, -1, 0, 1, 5, 20):
            assert cal.add_working_days(day, n) == cal._walk(day, n), (day, n)


def test_dates_beyond_the_listed_years_still_count() -> None:
    cal = WorkingCalendar({date(2014, 4, 18)})
    assert cal.add_working_days(date(2099, 1, 2), 1) == date(2099, 1, 5)
