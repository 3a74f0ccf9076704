"""Reading a review's kind from its document's title, by the kinds' names and aliases (data, not code)."""

from __future__ import annotations

import pytest

from domain.review_kinds import (
    ReviewKind,
    UnknownReviewKind,
    described,
    former_name_of,
    former_name_used,
    kind_by_key,
    kind_named_in,
)

DARDR = ReviewKind(
    "dardr", "Domestic Abuse Related Death Review", "DARDR", "the Home Office", ("Domestic Homicide Review", "DHR")
)
SAR = ReviewKind("sar", "Safeguarding Adults Review", "SAR", "the SAB", ("Safeguarding Adult Review", "SAR"))
CSPR = ReviewKind(
    "cspr",
    "Child Safeguarding Practice Review",
    "CSPR",
    "the panel",
    ("Local Child Safeguarding Practice Review", "CSPR"),
)
KINDS = (DARDR, SAR, CSPR)


@pytest.mark.parametrize(
    ("title", "key", "used"),
    [
        (
            "Birmingham Community Safety Partnership\nDomestic Homicide Review\nBDHR2011/12-03",
            "dardr",
            "Domestic Homicide Review",
        ),
        ("DOMESTIC ABUSE RELATED DEATH REVIEW - Action Plan", "dardr", "DOMESTIC ABUSE RELATED DEATH REVIEW"),
        ("Safeguarding Adults Review 'Adult B' - Action Plan", "sar", "Safeguarding Adults Review"),
        ("SAR Adult C action plan", "sar", "SAR"),
        ("Local Child Safeguarding Practice Review: Child L", "cspr", "Local Child Safeguarding Practice Review"),
    ],
)
def test_the_kind_is_read_from_the_title(title: str, key: str, used: str) -> None:
    found = kind_named_in(title, KINDS)
    assert found is not None and (found[0].key, found[1]) == (key, used)


@pytest.mark.parametrize("title", ["Action Plan for Sarah", "BDHR2011/12-03 action plan", ""])
def test_an_abbreviation_inside_a_word_names_no_kind(title: str) -> None:
    assert kind_named_in(title, KINDS) is None


def test_the_former_name_is_kept_for_exports_but_not_an_abbreviation_or_the_kinds_own_name() -> None:
    assert former_name_used(DARDR, "Domestic Homicide Review") == "Domestic Homicide Review"
    assert former_name_used(DARDR, "DHR") == ""
    assert former_name_used(DARDR, "domestic abuse related death review") == ""


def test_an_unknown_key_names_the_known_ones() -> None:
    assert kind_by_key(" SAR ", KINDS) is SAR
    with pytest.raises(UnknownReviewKind, match=r"--kind 'scr' is not a review kind; the kinds are: dardr, sar, cspr"):
        kind_by_key("scr", KINDS)


def test_an_export_states_the_kind_with_the_former_name_the_plan_used_as_the_vocabulary_words_it() -> None:
    worded = ReviewKind(
        "dardr",
        "Domestic Abuse Related Death Review",
        "DARDR",
        "the Home Office",
        ("Domestic Homicide Review",),
        {"former_name": "Domestic Homicide Review (until 2024)"},
    )
    assert described(SAR) == "Safeguarding Adults Review (SAR)"
    formerly = "Domestic Abuse Related Death Review (DARDR), formerly Domestic Homicide Review (until 2024)"
    assert described(worded, "DOMESTIC HOMICIDE REVIEW") == formerly
    assert described(DARDR, "Domestic Homicide Review") == (
        "Domestic Abuse Related Death Review (DARDR), formerly Domestic Homicide Review"  # no word: as written
    )
    assert former_name_of(worded, "") == ""
