"""Theme suggestions are transparent keyword rules; the report counts confirmed themes by review and outcome."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import ThemeRefused
from domain.states import State
from domain.themes import STARTER, ThemedAction, check_new_theme, outcome, suggest, tally, theme_named


def test_a_suggestion_names_the_words_that_matched() -> None:
    text = "BSMFHT will record details of carers and offer a carer's assessment; audit s136 use and DASH forms"
    found = {s.theme: s.matched for s in suggest(text, STARTER)}
    assert found["carers_assessment"] == ("carers", "carer's")
    assert found["mha_s136"] == ("s136",)
    assert found["risk_assessment"] == ("DASH",)
    assert "housing" not in found


def test_a_phrase_matches_at_the_start_of_a_word_only() -> None:
    assert suggest("the dashboard and a redrug", STARTER) == []  # neither "dash" nor "drug" starts a word there


def test_the_starter_vocabulary_has_unique_keys_and_names_the_lessons_of_learning_from_loss() -> None:
    keys = [t.key for t in STARTER]
    assert len(keys) == len(set(keys))
    for key in ("carers_assessment", "medication_compliance", "record_keeping", "information_sharing", "mha_s136"):
        assert key in keys


def test_a_new_theme_must_be_well_formed_and_new() -> None:
    theme = check_new_theme("interpreters", "Interpreters", ["Interpret", " "], STARTER)
    assert theme.phrases == ("interpret",)
    for key, label, phrases in [("Bad Key", "x", ["x"]), ("ok_key", "", ["x"]), ("ok_key", "x", [" "])]:
        with pytest.raises(ThemeRefused):
            check_new_theme(key, label, phrases, STARTER)
    with pytest.raises(ThemeRefused, match="already"):
        check_new_theme("housing", "Housing again", ["flat"], STARTER)
    assert theme_named("Housing", STARTER).key == "housing"
    with pytest.raises(ThemeRefused, match="no theme"):
        theme_named("weather", STARTER)


def test_the_tally_counts_reviews_and_outcomes_and_puts_recurring_themes_first() -> None:
    today = date(2014, 1, 1)
    rows = [
        ThemedAction("BCSP", "R1", "housing", State.OPEN, date(2014, 6, 1)),
        ThemedAction("BCSP", "R1", "carers_assessment", State.PARTNERSHIP_ASSURED, date(2013, 6, 1)),
        ThemedAction("BCSP", "R2", "carers_assessment", State.OPEN, date(2013, 6, 1)),
        ThemedAction("BCSP", "R2", "carers_assessment", State.WITHDRAWN, None),
    ]
    [carers, housing] = tally(rows, {"carers_assessment": "Carers' assessments"}, today)
    assert (carers.theme, carers.actions, len(carers.reviews), carers.recurs) == ("carers_assessment", 3, 2, True)
    assert carers.outcomes == {"assured": 1, "withdrawn": 1, "overdue": 1, "open": 0}
    assert (housing.label, housing.recurs, housing.outcomes["open"]) == ("housing", False, 1)
    assert outcome(State.EVIDENCE_SUBMITTED, date(2013, 1, 1), today) == "overdue"
