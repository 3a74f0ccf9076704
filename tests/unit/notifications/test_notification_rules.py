"""The dispatcher's rules that need no server: reply classes, backoff, Message-IDs, digests, recipients."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import ValidationError

from notifications.message_id import message_id
from notifications.retry import next_attempt
from notifications.sender import Verdict, classify
from notifications.settings import NotifySettings
from storage.outbox import Addressee, RoleRow
from workflows.commands.dispatch import digest_slot, recipients_for


@pytest.mark.parametrize(
    ("code", "verdict"),
    [(550, Verdict.PERMANENT), (554, Verdict.PERMANENT), (451, Verdict.TEMPORARY), (421, Verdict.TEMPORARY)],
)
def test_5xx_replies_are_permanent_and_4xx_temporary(code: int, verdict: Verdict) -> None:
    outcome = classify(code, "5.1.1 whatever")
    assert outcome.verdict is verdict and outcome.reply == f"{code} 5.1.1 whatever"


def test_a_dropped_connection_is_temporary() -> None:
    assert classify(-1, "Server disconnected").verdict is Verdict.TEMPORARY


def test_backoff_doubles_with_jitter_up_to_the_ceiling() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    rng = random.Random(7)
    delays = [(next_attempt(now, n, base_s=60, max_s=3600, rng=rng) - now).total_seconds() for n in range(1, 10)]
    for n, delay in enumerate(delays, start=1):
        ceiling = min(3600, 60 * 2 ** (n - 1))
        assert ceiling / 2 <= delay <= ceiling
    assert len({round(d) for d in delays}) == len(delays)  # jittered, not in lockstep


def test_the_message_id_is_stable_per_key_and_differs_between_keys() -> None:
    a = message_id("decision:7:escalation:person:3", "bcsp.test")
    assert a == message_id("decision:7:escalation:person:3", "bcsp.test")
    assert a != message_id("decision:8:escalation:person:3", "bcsp.test")
    assert a.startswith("<") and a.endswith("@bcsp.test>")


def test_a_row_joins_todays_digest_before_the_hour_and_tomorrows_after() -> None:
    morning = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # 09:00 in London (summer time)
    assert digest_slot(morning, 16) == (date(2026, 6, 1), datetime(2026, 6, 1, 15, 0, tzinfo=UTC))
    evening = morning + timedelta(hours=8)  # 17:00 in London
    assert digest_slot(evening, 16) == (date(2026, 6, 2), datetime(2026, 6, 2, 15, 0, tzinfo=UTC))


def person(id_: int, role: str, agency_id: int | None, email: str = "") -> Addressee:
    return Addressee(id_, 1, f"Person {id_}", email or f"p{id_}@x", role, agency_id)


PEOPLE = [
    person(1, "lead_officer", 10),
    person(2, "lead_officer", 10),
    person(3, "director", 10),
    person(4, "commissioner", 20),
    person(5, "commissioner", 10),
    person(6, "partnership_assurer", None),
    person(7, "director", 20),
]
AGENCIES = {10: ("Police", 3), 20: ("NHS", 7), 30: ("Council", None)}


def row(
    role: str, agency_id: int | None = None, person_id: int | None = None, action_lead_id: int | None = None
) -> RoleRow:
    return RoleRow(
        "decision:1:kind:role",
        1,
        1,
        "kind",
        role,
        datetime(2026, 1, 1, tzinfo=UTC),
        review_id=1,
        action_id=1,
        recipient_agency_id=agency_id,
        recipient_person_id=person_id,
        id=1,
        action_agency_id=10,
        action_lead_id=action_lead_id,
    )


def ids(found: tuple[list[Addressee], str]) -> list[int]:
    return [p.id for p in found[0]]


def test_the_lead_officer_is_whoever_leads_the_action_now() -> None:
    assert ids(recipients_for(row("lead_officer", 10, 1, action_lead_id=2), PEOPLE, AGENCIES)) == [2]
    assert ids(recipients_for(row("lead_officer", 10, 1), PEOPLE, AGENCIES)) == [1]
    assert ids(recipients_for(row("lead_officer", 10), PEOPLE, AGENCIES)) == [1, 2]


def test_the_agency_director_is_resolved_now_and_a_missing_one_is_said() -> None:
    assert ids(recipients_for(row("director", 10), PEOPLE, AGENCIES)) == [3]
    found, why = recipients_for(row("director", 30), PEOPLE, AGENCIES)
    assert found == [] and why == "Council has no director: add one"


def test_a_checker_ladders_director_is_the_commissioners_own() -> None:
    assert ids(recipients_for(row("director"), PEOPLE, AGENCIES)) == [3, 7]


def test_commissioners_of_the_actions_own_agency_are_not_asked_to_check_it() -> None:
    assert ids(recipients_for(row("commissioner"), PEOPLE, AGENCIES)) == [4]


def test_plain_mail_with_a_password_to_a_remote_server_is_refused() -> None:
    with pytest.raises(ValidationError, match="plain with a password is refused"):
        NotifySettings(
            _env_file=None,  # type: ignore[call-arg]
            smtp_security="plain",
            smtp_host="mail.example.org",
            smtp_username="u",
            smtp_password="p",  # type: ignore[arg-type]
        )
