"""Recommendations tracked in their own right: each with its scope, addressee, derived status and dates, and
its actions; and the national picture, every national-scope recommendation as an oversight body collects it.

Reads are set-based: two statements for the whole list (``storage.recommendation_lists``), whatever its
length; the status of each is ``domain.recommendations.standing``. A status filter is applied after the
status is derived (it is never stored), so the list is read whole and then cut.

Who reads what: a signed-in person (``Principal``) reads their own partnership, and sees the actions of the
agencies they may see (``domain.access``): a recommendation's status still counts every action. The command
line reads as the machine's operator: the partnership named (or the only one), or every one (``every``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from domain.access import may_read_partnership_documents, visible_agencies
from domain.impact import ImpactOutcome
from domain.model import Scope
from domain.recommendations import (
    ActionFacts,
    InvalidScope,
    RecommendationStatus,
    Standing,
    number_of,
    parse_scopes,
    standing,
)
from domain.states import State
from storage.recommendation_lists import ActionFactsRow, ListedRecommendation, RecommendationFilter
from workflows.context import Principal, partnership_id, person_named
from workflows.errors import InvalidInput, NotVisible
from workflows.ports import Tx, UowFactory
from workflows.queries import cursors
from workflows.runtime.clock import LONDON

NATIONAL_SCHEMA_ID = "https://dhrflow.example/schemas/national-recommendations.schema.json"
NATIONAL_SCHEMA_VERSION = "1.0.0"
"""The version of ``docs/schemas/national-recommendations.schema.json`` the national export follows."""


@dataclass(frozen=True)
class ActionLine:
    id: int
    ref: str
    state: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "ref": self.ref, "state": self.state}


@dataclass(frozen=True)
class RecommendationView:
    id: int
    partnership: str
    review_ref: str
    review_kind: str
    """The kind's abbreviation: "DARDR", "SAR", "CSPR"."""
    review_kind_name: str
    published_on: date | None
    number: str
    text: str
    scope: tuple[str, ...]
    addressee: str
    status: RecommendationStatus
    reason: str
    first_target: date | None
    latest_target: date | None
    implemented_on: date | None
    actions: tuple[ActionLine, ...]
    """The actions the reader may see, in plan order."""
    counts: dict[str, int] = field(default_factory=dict)
    """Every action of it (seen or not) by what became of it: ``actions``, ``assured``, ``withdrawn``,
    ``under_way``, ``impact_confirmed``, ``impact_not_shown``."""
    hidden_actions: int = 0
    """Its actions of agencies the reader may not see."""
    review_id: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "partnership": self.partnership,
            "review_ref": self.review_ref,
            "review_kind": self.review_kind,
            "published_on": _day(self.published_on),
            "number": self.number,
            "text": self.text,
            "scope": list(self.scope),
            "addressee": self.addressee,
            "status": str(self.status),
            "reason": self.reason,
            "first_target": _day(self.first_target),
            "latest_target": _day(self.latest_target),
            "implemented_on": _day(self.implemented_on),
            "actions": [a.to_json() for a in self.actions],
            "action_counts": self.counts,
        }


def _day(d: date | None) -> str | None:
    return d.isoformat() if d else None


@dataclass(frozen=True)
class RecommendationQuery:
    review_ref: str | None = None
    scope: Scope | None = None
    status: RecommendationStatus | None = None


async def recommendations(
    reader: UowFactory,
    query: RecommendationQuery = RecommendationQuery(),
    *,
    principal: Principal | None = None,
    partnership: str | None = None,
    every: bool = False,
) -> list[RecommendationView]:
    """The recommendations ``query`` keeps, by partnership, review and number.

    Raises:
        InvalidInput: no such partnership, or several and none named (without ``every``).
    """
    async with reader() as uow:
        return await uow.run(_read, query, principal, partnership, every)


async def recommendation_slice(
    reader: UowFactory, principal: Principal, query: RecommendationQuery, *, limit: int, cursor: str | None
) -> tuple[list[RecommendationView], str | None]:
    """At most ``limit`` of the person's partnership's recommendations after the one ``cursor`` names, and the
    cursor of the next slice (``None``: these were the last); by review, then in the order they were imported
    (a place a recommendation keeps: one added meanwhile never makes a slice repeat or skip one).

    Raises:
        InvalidInput: a cursor this list did not give.
    """
    found = await recommendations(reader, query, principal=principal)
    return cursors.after(found, lambda v: (v.review_id, v.id), kind="recommendations", limit=limit, cursor=cursor)


def _read(
    tx: Tx, query: RecommendationQuery, principal: Principal | None, partnership: str | None, every: bool
) -> list[RecommendationView]:
    if principal is not None:
        pids: list[int] | None = [principal.person.partnership_id]
        seen = visible_agencies([principal.actor])
    else:
        pids = None if every and partnership is None else [partnership_id(tx, partnership)]
        seen = None
    f = RecommendationFilter(pids, query.review_ref.strip() if query.review_ref else None, query.scope)
    views = _views(tx.recommendations.listed(f), tx.recommendations.facts(f), seen)
    if query.status is not None:
        views = [v for v in views if v.status is query.status]
    return views


def _views(
    listed: list[ListedRecommendation], rows: list[ActionFactsRow], seen: frozenset[int] | None
) -> list[RecommendationView]:
    by_rec: dict[int, list[ActionFactsRow]] = defaultdict(list)
    for row in rows:
        by_rec[row.recommendation_id].append(row)
    views = []
    for item in listed:
        rec = item.recommendation
        mine = by_rec.get(rec.id, [])
        found = standing([_facts(r) for r in mine], rec.not_accepted_reason)
        shown = [r for r in mine if seen is None or r.agency_id in seen]
        views.append(_view(item, found, mine, shown))
    return views


def _view(
    item: ListedRecommendation, found: Standing, mine: list[ActionFactsRow], shown: list[ActionFactsRow]
) -> RecommendationView:
    rec = item.recommendation
    return RecommendationView(
        id=rec.id,
        partnership=item.partnership,
        review_ref=item.review_ref,
        review_kind=item.review_kind_abbreviation,
        review_kind_name=item.review_kind_name,
        published_on=item.published_on,
        number=number_of(rec),
        text=rec.text,
        scope=tuple(str(s) for s in rec.scope),
        addressee=rec.addressee,
        status=found.status,
        reason=found.reason,
        first_target=found.first_target,
        latest_target=found.latest_target,
        implemented_on=found.implemented_on,
        actions=tuple(ActionLine(r.action_id, r.ref, r.state) for r in shown),
        counts=_counts(mine),
        hidden_actions=len(mine) - len(shown),
        review_id=rec.review_id,
    )


_ASSURED, _WITHDRAWN = str(State.PARTNERSHIP_ASSURED), str(State.WITHDRAWN)
_CONFIRMED, _NOT_SHOWN = str(ImpactOutcome.CONFIRMED), str(ImpactOutcome.NOT_SHOWN)


def _counts(rows: list[ActionFactsRow]) -> dict[str, int]:
    assured = withdrawn = confirmed = not_shown = 0
    for r in rows:
        assured += r.state == _ASSURED
        withdrawn += r.state == _WITHDRAWN
        confirmed += r.impact_outcome == _CONFIRMED
        not_shown += r.impact_outcome == _NOT_SHOWN
    return {
        "actions": len(rows),
        "assured": assured,
        "withdrawn": withdrawn,
        "under_way": len(rows) - assured - withdrawn,
        "impact_confirmed": confirmed,
        "impact_not_shown": not_shown,
    }


def _facts(row: ActionFactsRow) -> ActionFacts:
    try:
        impact: ImpactOutcome | None = ImpactOutcome(row.impact_outcome) if row.impact_outcome else None
    except ValueError:
        impact = None  # an outcome this version does not know: read as not yet checked
    return ActionFacts(
        ref=row.ref,
        state=State(row.state),
        progress_recorded=row.progress_recorded,
        target_date=row.target_date,
        assured_on=_local_day(row.assured_at) if row.assured_at else None,
        impact=impact,
        impact_reason=row.impact_reason,
    )


def _local_day(at: datetime) -> date:
    """The day in England and Wales of an instant the database gives back (UTC)."""
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(LONDON).date()


# The national picture ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NationalExport:
    """Every national-scope recommendation of the partnerships read, as ``docs/schemas/
    national-recommendations.schema.json`` describes it: no person's name anywhere."""

    generated_on: date
    partnerships: tuple[str, ...]
    recommendations: list[RecommendationView]

    def rows(self) -> list[dict[str, Any]]:
        """One flat record a recommendation: the export's JSON items and its CSV rows alike."""
        return [national_row(v) for v in self.recommendations]

    def to_json(self) -> dict[str, Any]:
        return {
            "$schema": NATIONAL_SCHEMA_ID,
            "schema_version": NATIONAL_SCHEMA_VERSION,
            "generated_on": self.generated_on.isoformat(),
            "partnerships": list(self.partnerships),
            "recommendations": self.rows(),
        }


NATIONAL_COLUMNS = (
    "partnership",
    "review_ref",
    "review_kind",
    "review_kind_name",
    "published_on",
    "recommendation_number",
    "recommendation_text",
    "addressee",
    "scope",
    "status",
    "status_reason",
    "first_target",
    "latest_target",
    "implemented_on",
    "actions",
    "actions_assured",
    "actions_withdrawn",
    "actions_under_way",
    "impact_confirmed",
    "impact_not_shown",
)
"""The national export's fields, in order: the CSV's columns (``docs/reference.md`` says what each holds)."""


def national_row(v: RecommendationView) -> dict[str, Any]:
    counts = v.counts
    return {
        "partnership": v.partnership,
        "review_ref": v.review_ref,
        "review_kind": v.review_kind,
        "review_kind_name": v.review_kind_name,
        "published_on": _day(v.published_on),
        "recommendation_number": v.number,
        "recommendation_text": v.text,
        "addressee": v.addressee,
        "scope": list(v.scope),
        "status": str(v.status),
        "status_reason": v.reason,
        "first_target": _day(v.first_target),
        "latest_target": _day(v.latest_target),
        "implemented_on": _day(v.implemented_on),
        "actions": counts["actions"],
        "actions_assured": counts["assured"],
        "actions_withdrawn": counts["withdrawn"],
        "actions_under_way": counts["under_way"],
        "impact_confirmed": counts["impact_confirmed"],
        "impact_not_shown": counts["impact_not_shown"],
    }


async def national_export(
    reader: UowFactory,
    *,
    today: date,
    principal: Principal | None = None,
    as_email: str | None = None,
    partnership: str | None = None,
    every: bool = False,
) -> NationalExport:
    """Every national-scope recommendation of one partnership's reviews (a signed-in person's own, or that of
    the person ``as_email`` names on the command line; else the one named, or the only one), or with ``every``
    of every partnership in the database: the installation operator's, so the command line without ``--as``.

    Raises:
        NotVisible: asked for by an agency's person (it covers every agency), or ``every`` by a person.
        UnknownPerson: ``as_email`` names nobody.
        InvalidInput: no such partnership, or several and none named.
    """
    if every and (principal is not None or as_email is not None):
        raise NotVisible("--all is the installation operator's: run it on the server without --as")
    query = RecommendationQuery(scope=Scope.NATIONAL)

    def read(tx: Tx) -> NationalExport:
        who = principal or (Principal(person_named(tx, as_email)) if as_email is not None else None)
        if who is not None and not may_read_partnership_documents(who.actor):
            raise NotVisible("the national export covers every agency: it is for the partnership's own staff")
        if who is not None and partnership is not None and partnership_id(tx, partnership) != who.person.partnership_id:
            raise NotVisible(f"{who.person.email} is not one of {partnership}'s people")
        found = _read(tx, query, who, partnership, every)
        short = {p.id: p.short_name for p in tx.partnerships.all()}
        if who is not None:
            names: tuple[str, ...] = (short[who.person.partnership_id],)
        elif every and partnership is None:
            names = tuple(sorted(short.values()))
        else:
            names = (short[partnership_id(tx, partnership)],)
        return NationalExport(today, names, found)

    async with reader() as uow:
        return await uow.run(read)


def parse_status(text: str | None) -> RecommendationStatus | None:
    """A status as a person types it ("partly implemented", "partly_implemented"); ``None`` for none.

    Raises:
        InvalidInput: no such status (the message lists them).
    """
    if text is None or not text.strip():
        return None
    try:
        return RecommendationStatus(text.strip().lower().replace(" ", "_").replace("-", "_"))
    except ValueError:
        allowed = ", ".join(s.value for s in RecommendationStatus)
        raise InvalidInput(f"--status {text!r} is not one of: {allowed}") from None


def one_scope(text: str | None) -> Scope | None:
    """The one scope a list is filtered by; ``None`` for none.

    Raises:
        InvalidScope: not one of local, regional, national (named, with the three).
    """
    if text is None or not text.strip():
        return None
    scopes = parse_scopes([text])
    if len(scopes) != 1:
        raise InvalidScope(text)
    return scopes[0]


async def recommendation_choices(reader: UowFactory, principal: Principal) -> tuple[list[str], list[str]]:
    """What the recommendations page offers: the partnership's review refs, and its agencies' names (who a
    recommendation may be addressed to, beside the national bodies)."""

    def read(tx: Tx) -> tuple[list[str], list[str]]:
        pid = principal.person.partnership_id
        return [r.ref for r in tx.reviews.in_partnership(pid)], sorted(a.name for a in tx.agencies.in_partnership(pid))

    async with reader() as uow:
        return await uow.run(read)
