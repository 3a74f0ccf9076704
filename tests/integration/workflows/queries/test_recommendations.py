"""Recommendations tracked on real databases: the coordinator's decisions about them (the log still verifies),
their status derived from their actions and impact checks, the list's filters and who sees which actions, and
the national export against its JSON Schema, with no person named.

The clock is pinned (2013-10-01, the conftest's). Milestones and impact checks are recorded by their own use
cases, so the log verifies with them.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import event, text

from documents.export_national import national_csv
from documents.importer import read_plan
from domain.impact import ImpactOutcome
from domain.model import Scope
from domain.recommendations import InvalidScope, RecommendationStatus
from domain.states import Event
from tests.integration.helpers import (
    ASSURER,
    COMMISSIONER,
    COORDINATOR,
    LEAD,
    LEAD_BSMHFT,
    seed,
)
from tests.paths import REPO_ROOT
from tests.unit.plan_builders import write_csv
from workflows.commands.impact import ImpactCommand, record_impact
from workflows.commands.import_plan import import_plan
from workflows.commands.milestones import MilestoneCommand, record_milestone
from workflows.commands.recommendations import (
    AlreadyAccepted,
    set_accepted,
    set_not_accepted,
    set_recommendation,
)
from workflows.commands.transitions import TransitionCommand, take_transition
from workflows.context import ActionKey, Principal
from workflows.errors import InvalidInput, NotVisible
from workflows.queries.log import verify_log
from workflows.queries.recommendations import (
    NATIONAL_COLUMNS,
    RecommendationQuery,
    national_export,
    recommendation_slice,
    recommendations,
)
from workflows.runtime.container import App

REVIEW = "BDHR2011/12-03"
SCHEMA = json.loads((REPO_ROOT / "docs" / "schemas" / "national-recommendations.schema.json").read_text())
S = RecommendationStatus


async def act(app: App, who: str, ref: str, event_: Event, **kw: str) -> None:
    command = TransitionCommand(actor_email=who, action=ActionKey(ref), event=event_, **kw)
    await take_transition(command, uow_factory=app.uow, clock=app.clock, store=app.store)


async def published(app: App, on: date) -> None:
    """The review submitted, then published on ``on``, through the timeline's use case."""
    for milestone in ("report_submitted_to_home_office", "published"):
        url = "https://www.example.gov.uk/dhr/bdhr-2011-12-03" if milestone == "published" else ""
        command = MilestoneCommand(REVIEW, milestone, on, url=url)
        await record_milestone(COORDINATOR, command, uow_factory=app.uow, clock=app.clock)


async def impact(app: App, ref: str, outcome: str, reason: str = "") -> None:
    """Action ``ref``'s impact check (scheduled when it was assured) answered by the partnership assurer."""
    answer = ImpactOutcome(outcome)
    note = "the re-audit found the new practice in every case" if answer is ImpactOutcome.CONFIRMED else ""
    command = ImpactCommand(ASSURER, ActionKey(ref), answer, reason=reason, note=note)
    await record_impact(command, uow_factory=app.uow, clock=app.clock, store=app.store)


async def set_(app: App, number: str, **kw: object) -> dict[str, dict[str, str]]:
    change = await set_recommendation(COORDINATOR, REVIEW, number, uow_factory=app.uow, clock=app.clock, **kw)  # type: ignore[arg-type]
    return change.changes


async def by_number(app: App, **kw: object) -> dict[str, object]:
    return {v.number: v for v in await recommendations(app.reader, **kw)}  # type: ignore[arg-type]


async def principal(app: App, email: str) -> Principal:
    async with app.reader() as uow:
        person = await uow.run(lambda tx: tx.people.by_email(email))
    assert person is not None
    return Principal(person)


async def national_plan(app: App, seed_plan: Path) -> None:
    """The seed with recommendations 8, 9 and 11 national, and their actions moved on."""
    await seed(app, seed_plan)
    assert await set_(app, "8", scopes=["national"], addressee="dhsc") == {
        "scope": {"from": "", "to": "national"},
        "addressee": {
            "from": "Birmingham & Solihull Mental Health Foundation Trust (BSMHFT)",
            "to": "Department of Health and Social Care",
        },
    }
    await set_(app, "9", scopes=["local", "national"])
    await set_(app, "11", scopes=["national"], addressee="Home office")
    await act(app, LEAD_BSMHFT, "3.8.1", Event.SUBMIT_EVIDENCE, note="Risk tool updated")
    await act(app, COMMISSIONER, "3.8.1", Event.VERIFY)
    await act(app, ASSURER, "3.8.1", Event.ASSURE)
    await act(app, ASSURER, "3.8.2", Event.WITHDRAW, reason="Superseded by 3.8.1")
    await act(app, LEAD_BSMHFT, "3.9.1", Event.SUBMIT_EVIDENCE, note="Procedure issued")
    await act(app, COMMISSIONER, "3.9.1", Event.VERIFY)
    await act(app, ASSURER, "3.9.1", Event.ASSURE)
    await act(app, LEAD, "3.11.1", Event.RECORD_PROGRESS, note="Briefing drafted")


async def test_status_follows_the_actions_and_the_log_verifies(app: App, seed_plan: Path) -> None:
    await national_plan(app, seed_plan)
    found = await by_number(app)
    assert {n: (v.status, v.reason) for n, v in found.items()} == {  # type: ignore[attr-defined]
        "5, 7, 10": (S.NOT_STARTED, "no action has started"),
        "8": (S.PARTLY_IMPLEMENTED, "action 3.8.2 withdrawn"),
        "9": (S.IMPLEMENTED, ""),
        "11": (S.IN_PROGRESS, ""),
        "#1": (S.NOT_STARTED, "no action has started"),
    }
    nine = found["9"]
    assert (nine.implemented_on, nine.first_target, nine.latest_target) == (  # type: ignore[attr-defined]
        date(2013, 10, 1),
        date(2013, 12, 31),
        date(2013, 12, 31),
    )
    assert [(a.ref, a.state) for a in found["8"].actions] == [  # type: ignore[attr-defined]
        ("3.8.1", "partnership_assured"),
        ("3.8.2", "withdrawn"),
    ]

    await impact(app, "3.9.1", "impact_not_shown", "the audit found no change")
    await set_not_accepted(
        COORDINATOR, REVIEW, "11", "Force policy already covers it", uow_factory=app.uow, clock=app.clock
    )
    found = await by_number(app)
    assert (found["9"].status, found["9"].reason) == (  # type: ignore[attr-defined]
        S.PARTLY_IMPLEMENTED,
        "impact not shown for 3.9.1: the audit found no change",
    )
    assert (found["11"].status, found["11"].reason) == (S.NOT_ACCEPTED, "Force policy already covers it")  # type: ignore[attr-defined]
    await set_accepted(COORDINATOR, REVIEW, "11", uow_factory=app.uow, clock=app.clock)
    assert (await by_number(app))["11"].status is S.IN_PROGRESS  # type: ignore[attr-defined]
    with pytest.raises(AlreadyAccepted):
        await set_accepted(COORDINATOR, REVIEW, "11", uow_factory=app.uow, clock=app.clock)

    async with app.reader() as uow:
        rows = (
            await uow.connection.execute(
                text(
                    "SELECT event, review_ref, reason, payload FROM decision"
                    " WHERE event LIKE 'recommendation%' ORDER BY seq"
                )
            )
        ).all()
    assert [r[0] for r in rows] == [
        "recommendation_set",
        "recommendation_set",
        "recommendation_set",
        "recommendation_not_accepted",
        "recommendation_accepted",
    ]
    assert rows[3][2] == "Force policy already covers it" and json.loads(rows[3][3])["number"] == "11"
    [log] = await verify_log(app.reader)
    assert log.ok, log.to_json()


async def test_bad_input_is_refused_in_one_line_and_writes_nothing(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    with pytest.raises(InvalidScope, match=r"^scope 'Pan-London' is not one of: local, regional, national$"):
        await set_(app, "8", scopes=["local", "Pan-London"], addressee="DHSC")
    with pytest.raises(InvalidInput, match=r"has no recommendation '12' \(it has: 5, 7, 10; 8; 9; 11; #1\)"):
        await set_(app, "12", scopes=["local"])
    with pytest.raises(InvalidInput, match="only its coordinators may"):
        await set_recommendation(LEAD, REVIEW, "8", scopes=["local"], uow_factory=app.uow, clock=app.clock)
    with pytest.raises(InvalidInput, match="--reason"):
        await set_not_accepted(COORDINATOR, REVIEW, "8", "  ", uow_factory=app.uow, clock=app.clock)
    assert await set_(app, "8", scopes=[]) == {}  # no scope, as it was: nothing written
    eight = (await by_number(app))["8"]
    assert (eight.scope, eight.addressee) == ((), "Birmingham & Solihull Mental Health Foundation Trust (BSMHFT)")  # type: ignore[attr-defined]
    async with app.reader() as uow:
        count = (
            await uow.connection.execute(text("SELECT count(*) FROM decision WHERE event LIKE 'recommendation%'"))
        ).scalar()
    assert count == 0


async def test_filters_and_who_sees_which_actions(app: App, seed_plan: Path) -> None:
    await national_plan(app, seed_plan)
    national = await recommendations(app.reader, RecommendationQuery(scope=Scope.NATIONAL))
    assert [v.number for v in national] == ["8", "9", "11"]
    local = await recommendations(app.reader, RecommendationQuery(scope=Scope.LOCAL))
    assert [v.number for v in local] == ["9"]
    done = await recommendations(app.reader, RecommendationQuery(status=S.IMPLEMENTED))
    assert [v.number for v in done] == ["9"]
    assert await recommendations(app.reader, RecommendationQuery(review_ref="nope")) == []

    lead = await principal(app, LEAD)  # the police: recommendation 11's actions, none of 8's
    seen = {v.number: v for v in await recommendations(app.reader, principal=lead)}
    assert [a.ref for a in seen["11"].actions] == ["3.11.1", "3.11.2"]
    assert (seen["8"].actions, seen["8"].hidden_actions, seen["8"].status) == ((), 2, S.PARTLY_IMPLEMENTED)

    coordinator = await principal(app, COORDINATOR)
    first, following = await recommendation_slice(app.reader, coordinator, RecommendationQuery(), limit=2, cursor=None)
    rest, last = await recommendation_slice(app.reader, coordinator, RecommendationQuery(), limit=10, cursor=following)
    assert len(first) == 2 and last is None
    assert [v.id for v in first + rest] == sorted(v.id for v in await recommendations(app.reader))  # as imported


async def test_the_list_costs_the_same_few_statements_whatever_its_length(app: App, seed_plan: Path) -> None:
    """Two statements for the list (the recommendations, then their actions), never one per recommendation."""
    await seed(app, seed_plan)
    statements: list[str] = []

    def seen(*args: object) -> None:
        statements.append(str(args[2]))

    async def count(**kw: object) -> int:
        statements.clear()
        event.listen(app.engine.sync_engine, "before_cursor_execute", seen)
        try:
            await recommendations(app.reader, **kw)  # type: ignore[arg-type]
        finally:
            event.remove(app.engine.sync_engine, "before_cursor_execute", seen)
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])

    few = await count(query=RecommendationQuery(review_ref=REVIEW, scope=Scope.NATIONAL))
    assert await count() == few <= 3


async def test_the_national_export_validates_against_its_schema_and_names_no_one(app: App, seed_plan: Path) -> None:
    await national_plan(app, seed_plan)
    await impact(app, "3.8.1", "impact_confirmed")
    before = await national_export(app.reader, today=app.clock.today())
    assert [r["published_on"] for r in before.rows()] == [None, None, None]
    await published(app, date(2013, 9, 2))

    found = await national_export(app.reader, today=app.clock.today())
    document = found.to_json()
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(document)
    assert SCHEMA["properties"]["schema_version"]["const"] == SCHEMA["version"] == document["schema_version"]
    rows = {r["recommendation_number"]: r for r in document["recommendations"]}
    assert list(rows) == ["8", "9", "11"]
    assert rows["8"] | {"recommendation_text": ""} == {
        "partnership": "BCSP",
        "review_ref": REVIEW,
        "review_kind": "DARDR",
        "review_kind_name": "Domestic Abuse Related Death Review",
        "published_on": "2013-09-02",
        "recommendation_number": "8",
        "recommendation_text": "",
        "addressee": "Department of Health and Social Care",
        "scope": ["national"],
        "status": "partly_implemented",
        "status_reason": "action 3.8.2 withdrawn",
        "first_target": "2013-12-31",  # 3.8.1's: withdrawn 3.8.2's 2013-09-30 no longer counts
        "latest_target": "2013-12-31",
        "implemented_on": "2013-10-01",
        "actions": 2,
        "actions_assured": 1,
        "actions_withdrawn": 1,
        "actions_under_way": 0,
        "impact_confirmed": 1,
        "impact_not_shown": 0,
    }
    assert rows["11"]["addressee"] == "Home Office" and rows["9"]["scope"] == ["local", "national"]
    assert set(SCHEMA["$defs"]["recommendation"]["required"]) == set(NATIONAL_COLUMNS)

    async with app.reader() as uow:
        people = (await uow.connection.execute(text("SELECT name, email FROM person"))).all()
    whole = json.dumps(document) + national_csv(found.rows(), NATIONAL_COLUMNS).decode()
    for name, email in people:
        assert name not in whole and email not in whole
    header = national_csv(found.rows(), NATIONAL_COLUMNS).decode().splitlines()[0]
    assert header.split(",") == list(NATIONAL_COLUMNS)


async def test_the_national_export_is_for_the_partnerships_staff_and_all_for_the_operator(
    app: App, seed_plan: Path
) -> None:
    await national_plan(app, seed_plan)
    today = app.clock.today()
    mine = await national_export(app.reader, today=today, principal=await principal(app, ASSURER))
    assert (mine.partnerships, len(mine.recommendations)) == (("BCSP",), 3)
    by_email = await national_export(app.reader, today=today, as_email=COORDINATOR)
    assert by_email.rows() == mine.rows()
    with pytest.raises(NotVisible, match="partnership's own staff"):
        await national_export(app.reader, today=today, principal=await principal(app, LEAD))
    with pytest.raises(NotVisible, match="operator"):
        await national_export(app.reader, today=today, as_email=COORDINATOR, every=True)
    every = await national_export(app.reader, today=today, every=True)
    assert (every.partnerships, every.rows()) == (("BCSP",), mine.rows())


ADDRESSED = [
    ["Domestic Homicide Review 'Sarah' Action Plan"],
    ["Recommendation", "Scope of recommendation", "Addressed to", "Action to take", "Lead Agency", "Target Date"],
    ["1. Officers recognise coercive control", "Local", "", "Brief officers", "Police", "Q1 2021/22"],
    ["2. The Home Office should fund advocates", "National", "", "Write to the Home Office", "Police", "Q2 2021/22"],
    ["3. GPs ask about abuse", "National", "dhsc", "Update the GP template", "NHS England", "End of March 2022"],
]


async def test_the_import_fills_the_addressee_where_the_plan_says_it_and_keeps_the_coordinators(
    app: App, seed_plan: Path, tmp_path: Path
) -> None:
    await seed(app, seed_plan)
    plan = write_csv(tmp_path / "plan.csv", ADDRESSED)
    await import_plan(
        read_plan(plan, partnership_short_name="BCSP"), uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR
    )
    sarah = "Domestic Homicide Review 'Sarah'"
    found = {v.number: v for v in await recommendations(app.reader, RecommendationQuery(review_ref=sarah))}
    assert {n: (v.addressee, v.scope) for n, v in found.items()} == {
        "1": ("", ("local",)),
        "2": ("Home Office", ("national",)),
        "3": ("Department of Health and Social Care", ("national",)),
    }
    await set_recommendation(COORDINATOR, sarah, "3", addressee="NHSE", uow_factory=app.uow, clock=app.clock)
    await import_plan(
        read_plan(plan, partnership_short_name="BCSP"), uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR
    )
    again = {v.number: v for v in await recommendations(app.reader, RecommendationQuery(review_ref=sarah))}
    assert again["3"].addressee == "NHS England"
