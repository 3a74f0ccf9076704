"""In-memory partnerships, people, agencies, reviews, recommendations, actions, extensions, evidence,
sign-offs, themes and column mappings (``workflows.ports.plans``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from domain.extension import ExtensionRequest
from domain.milestones import KindWords, Recorded, ReviewMilestone
from domain.model import (
    Action,
    Agency,
    DottedNumber,
    Note,
    Partnership,
    Person,
    Recommendation,
    Review,
    ReviewStatus,
    Scope,
)
from domain.rag import ATTENTION, rag
from domain.roles import Role
from domain.states import State
from domain.themes import Theme, ThemedAction
from storage import mapping
from storage.action_lists import NO_DATE, ActionFilter, Lead, Listed, Order, Sort, SortKey
from storage.errors import ConcurrencyConflict
from storage.evidence_store import StoredFile
from storage.recommendation_lists import ActionFactsRow, ListedRecommendation, RecommendationFilter
from storage.repositories import EvidenceRecord
from storage.signoffs import SignOff

if TYPE_CHECKING:
    from tests.unit.fakes import FakeTx


def _next_id(rows: dict[int, Any]) -> int:
    return max(rows, default=0) + 1


class FakePartnerships:
    def __init__(self) -> None:
        self.rows: dict[int, Partnership] = {}

    def by_short_name(self, short_name: str) -> Partnership | None:
        return next((p for p in self.rows.values() if p.short_name.lower() == short_name.strip().lower()), None)

    def add(self, name: str, short_name: str) -> int:
        id_ = _next_id(self.rows)
        self.rows[id_] = Partnership(id_, name, short_name)
        return id_

    def all(self) -> list[Partnership]:
        return [self.rows[i] for i in sorted(self.rows)]


class FakePeople:
    def __init__(self) -> None:
        self.rows: dict[int, Person] = {}
        self.notify: dict[int, str] = {}
        """Person id -> ``daily`` for those who asked for a digest (``immediate`` otherwise)."""

    def put(self, person: Person) -> Person:
        self.rows[person.id] = dataclasses.replace(person, email=person.email.strip().lower())
        return person

    def by_email(self, email: str) -> Person | None:
        return next((p for p in self.rows.values() if p.email == email.strip().lower()), None)

    def by_id(self, person_id: int) -> Person | None:
        return self.rows.get(person_id)

    def emails(self, ids: Sequence[int]) -> dict[int, str]:
        return {i: self.rows[i].email for i in ids if i in self.rows}

    def add(self, partnership_id: int, name: str, email: str, role: str, agency_id: int | None) -> int:
        id_ = _next_id(self.rows)
        self.put(Person(id_, partnership_id, name, email, Role(role), agency_id))
        return id_

    def in_partnership(self, partnership_id: int) -> list[Person]:
        return [p for _, p in sorted(self.rows.items()) if p.partnership_id == partnership_id]

    def set_notify(self, email: str, preference: str) -> bool:
        person = self.by_email(email)
        if person is not None:
            self.notify[person.id] = preference
        return person is not None


class FakeAgencies:
    def __init__(self) -> None:
        self.rows: dict[int, Agency] = {}

    def put(self, agency: Agency) -> Agency:
        self.rows[agency.id] = agency
        return agency

    def in_partnership(self, partnership_id: int) -> list[Agency]:
        return [a for _, a in sorted(self.rows.items()) if a.partnership_id == partnership_id]

    def add(self, partnership_id: int, name: str) -> int:
        id_ = _next_id(self.rows)
        self.rows[id_] = Agency(id_, partnership_id, name)
        return id_

    def set_director(self, agency_id: int, person_id: int) -> None:
        self.rows[agency_id] = dataclasses.replace(self.rows[agency_id], director_id=person_id)


class FakeReviews:
    def __init__(self) -> None:
        self.rows: dict[int, Review] = {}

    def put(self, review: Review) -> Review:
        self.rows[review.id] = review
        return review

    def by_ref(self, partnership_id: int, ref: str) -> Review | None:
        return next((r for r in self.rows.values() if (r.partnership_id, r.ref) == (partnership_id, ref)), None)

    def add(self, partnership_id: int, ref: str, title: str) -> int:
        id_ = _next_id(self.rows)
        self.rows[id_] = Review(id_, partnership_id, ref, title)
        return id_

    def set_notes(self, review_id: int, notes: Sequence[Note]) -> None:
        self.rows[review_id] = dataclasses.replace(self.rows[review_id], notes=tuple(notes))

    def set_status(self, review_id: int, status: str) -> None:
        self.rows[review_id] = dataclasses.replace(self.rows[review_id], status=ReviewStatus(status))

    def set_kind(self, review_id: int, kind: str) -> None:
        self.rows[review_id] = dataclasses.replace(self.rows[review_id], kind=kind)

    def in_partnership(self, partnership_id: int) -> list[Review]:
        return sorted((r for r in self.rows.values() if r.partnership_id == partnership_id), key=lambda r: r.ref)

    def count(self, partnership_id: int) -> int:
        return len(self.in_partnership(partnership_id))

    def page(self, partnership_id: int, limit: int, *, offset: int = 0, after_ref: str | None = None) -> list[Review]:
        found = [r for r in self.in_partnership(partnership_id) if after_ref is None or r.ref > after_ref]
        return found[offset : offset + limit]


class FakeMilestones:
    """Milestones by review; the kind's words are the DARDR's unless a test sets others."""

    def __init__(self, db: FakeTx) -> None:
        self.db = db
        self.rows: dict[int, list[tuple[Recorded, int]]] = {}
        """Review id -> (milestone, decision id), in the order recorded."""
        self.words: dict[int, KindWords] = {}

    def for_reviews(self, review_ids: Collection[int]) -> dict[int, list[Recorded]]:
        return {
            i: sorted((r for r, _ in self.rows[i]), key=lambda r: r.happened_on) for i in review_ids if self.rows.get(i)
        }

    def add(
        self,
        review_id: int,
        milestone: ReviewMilestone,
        happened_on: date,
        detail: dict[str, Any],
        recorded_by: int,
        at: datetime,
        decision_id: int,
    ) -> int:
        mine = self.rows.setdefault(review_id, [])
        if any(r.milestone is milestone for r, _ in mine):
            raise AssertionError(f"unique (review_id, milestone): {milestone} twice")
        person = self.db.people.by_id(recorded_by)
        name = person.name if person else ""
        points = tuple(detail.get("points", ()))
        mine.append((Recorded(milestone, happened_on, name, detail.get("url", ""), points), decision_id))
        return sum(len(v) for v in self.rows.values())

    def kind_words(self, review_ids: Collection[int]) -> dict[int, KindWords]:
        return {i: self.words.get(i, KindWords()) for i in review_ids if i in self.db.reviews.rows}

    def first_import_at(self, review_id: int) -> datetime | None:
        found = [d.at for d in self.db.decisions.drafts if d.review_id == review_id and d.event == "import_plan"]
        return min(found, default=None)

    def set_imported_on(self, review_id: int, day: date) -> None:
        review = self.db.reviews.rows[review_id]
        if review.imported_on is None:
            self.db.reviews.rows[review_id] = dataclasses.replace(review, imported_on=day)
            self.db.escalations.review_due[review_id] = day


class FakeRecommendations:
    def __init__(self) -> None:
        self.rows: dict[int, Recommendation] = {}

    def for_review(self, review_id: int) -> list[Recommendation]:
        return sorted((r for r in self.rows.values() if r.review_id == review_id), key=Recommendation.sort_key)

    def by_ids(self, ids: Collection[int]) -> dict[int, Recommendation]:
        return {i: self.rows[i] for i in ids if i in self.rows}

    def for_reviews(self, review_ids: Collection[int]) -> list[Recommendation]:
        return [r for i in sorted(set(review_ids)) for r in self.for_review(i)]

    def add(
        self, review_id: int, text_: str, numbers: str, position: int, scope: Sequence[Scope] = (), addressee: str = ""
    ) -> int:
        id_ = _next_id(self.rows)
        parsed = tuple(DottedNumber.parse(n) for n in numbers.split(",") if n)
        self.rows[id_] = Recommendation(id_, review_id, text_, parsed, position, tuple(scope), addressee)
        return id_

    def set_scope(self, recommendation_id: int, scope: Sequence[Scope]) -> None:
        self.rows[recommendation_id] = dataclasses.replace(self.rows[recommendation_id], scope=tuple(scope))

    def set_addressee(self, recommendation_id: int, addressee: str) -> None:
        self.rows[recommendation_id] = dataclasses.replace(self.rows[recommendation_id], addressee=addressee)

    def set_not_accepted(self, recommendation_id: int, reason: str) -> None:
        self.rows[recommendation_id] = dataclasses.replace(self.rows[recommendation_id], not_accepted_reason=reason)

    def listed(self, f: RecommendationFilter) -> list[ListedRecommendation]:
        raise NotImplementedError("the recommendations list is read in SQL: tests/integration reads it")

    def facts(self, f: RecommendationFilter) -> list[ActionFactsRow]:
        raise NotImplementedError("the recommendations list is read in SQL: tests/integration reads it")


_STATE_FIELDS = ("state", "submitted_by", "submitted_for", "verified_by", "verified_for", "returned", "waiting_since")


def _row(action: Action) -> dict[str, Any]:
    """``action`` as its table row (what ``mapping.action_from_row`` reads back)."""
    fields = {f.name: getattr(action, f.name) for f in dataclasses.fields(action) if f.name != "columns"}
    after = action.target_after
    counted = {
        "target_after_months": after.months if after else None,
        "target_after_event": after.event if after else "",
    }
    return (
        mapping.columns_to_row(action.columns)
        | fields
        | counted
        | {"route": str(action.route), "state": str(action.state)}
    )


def _leads(lead: Lead, a: Action) -> bool:
    return a.lead_officer_id == lead.person_id or (a.lead_officer_id is None and a.agency_id == lead.agency_id)


def _day(f: ActionFilter) -> date:
    assert f.today is not None, "a RAG filter or order needs the day"
    return f.today


def _holds(text: str, review_ref: str, a: Action) -> bool:
    wanted = text.strip().lower()
    return not wanted or any(wanted in t.lower() for t in (a.ref, review_ref, a.columns.action))


class FakeActions:
    """Actions by id, each in a review of ``db.reviews``; with the document order and the sweep's timer."""

    def __init__(self, db: FakeTx) -> None:
        self.db = db
        self.rows: dict[int, Action] = {}
        self.position: dict[int, int] = {}
        self.due_on: dict[int, date | None] = {}
        """The timer index: when the sweep next looks at each action (``None``: never)."""
        self.conflicts_to_raise = 0
        """Make the next saves fail as if another decision had landed (and committed) first."""
        self.landed: Callable[[int], None] = lambda _action_id: None
        """Told of each such decision, so a rollback of ours keeps theirs."""

    def put(self, action: Action, *, due_on: date | None = None) -> Action:
        self.rows[action.id] = dataclasses.replace(action)
        self.position.setdefault(action.id, len(self.position))
        self.due_on[action.id] = due_on
        return action

    def stored(self, action_id: int) -> Action:
        return self.rows[action_id]

    def _placed(self, action: Action) -> tuple[int, str]:
        review = self.db.reviews.rows[action.review_id]
        return review.partnership_id, review.ref

    def _found(self, partnership_id: int, keep: Callable[[str, Action], bool]) -> list[tuple[str, Action]]:
        found = []
        for action in self.rows.values():
            pid, review_ref = self._placed(action)
            if pid == partnership_id and keep(review_ref, action):
                found.append((review_ref, dataclasses.replace(action)))
        return sorted(found, key=lambda r: (r[0], self.position[r[1].id], r[1].id))

    def find(self, partnership_id: int, ref: str, review_ref: str | None = None) -> list[tuple[str, Action]]:
        return self._found(partnership_id, lambda r, a: a.ref == ref.strip() and review_ref in (None, r))

    def by_id(self, partnership_id: int, action_id: int) -> tuple[str, Action] | None:
        found = self._found(partnership_id, lambda _r, a: a.id == action_id)
        return found[0] if found else None

    def unfinished(self, review_id: int) -> int:
        return sum(1 for a in self.rows.values() if a.review_id == review_id and not a.state.is_final)

    def for_review(self, review_id: int) -> list[Action]:
        mine = [a for a in self.rows.values() if a.review_id == review_id]
        return [dataclasses.replace(a) for a in sorted(mine, key=lambda a: (self.position[a.id], a.id))]

    def count_by_agency(self, partnership_id: int) -> dict[int, tuple[int, int]]:
        counts: dict[int, tuple[int, int]] = {}
        for _, a in self._found(partnership_id, lambda _r, _a: True):
            total, running = counts.get(a.agency_id, (0, 0))
            counts[a.agency_id] = (total + 1, running + (not a.state.is_final))
        return counts

    def matching(self, f: ActionFilter) -> list[tuple[str, Action]]:
        def keep(review_ref: str, a: Action) -> bool:
            recommendation = self.db.recommendations.rows.get(a.recommendation_id or 0)
            return (
                (not f.review_ref or review_ref == f.review_ref)
                and (not f.review_refs or review_ref in f.review_refs)
                and (f.agency_id is None or a.agency_id == f.agency_id)
                and (not f.states or str(a.state) in f.states)
                and (
                    f.due_before is None
                    or (str(a.state) == "open" and a.target_date is not None and a.target_date < f.due_before)
                )
                and (f.scope is None or (recommendation is not None and f.scope in recommendation.scope))
                and (not f.reported_complete or (a.reported_complete and not a.state.is_final))
                and (f.led_by is None or a.lead_officer_id in (None, f.led_by))
                and (f.visible is None or a.agency_id in f.visible)
                and (f.lead is None or _leads(f.lead, a))
                and (not f.rags or rag(a, _day(f), f.policy) in f.rags)
                and _holds(f.text, review_ref, a)
            )

        return self._found(f.partnership_id, keep)

    def count(self, f: ActionFilter) -> int:
        return len(self.matching(f))

    def page(
        self, f: ActionFilter, order: Order, limit: int, *, offset: int = 0, after: SortKey | None = None
    ) -> list[Listed]:
        agencies = {a.id: a.name for a in self.db.agencies.rows.values()}

        def key(review_ref: str, a: Action) -> SortKey:
            document = (review_ref, self.position[a.id], a.id)
            first: dict[Sort, Any] = {
                Sort.AGENCY: agencies.get(a.agency_id, ""),
                Sort.STATE: list(State).index(a.state),
                Sort.TARGET: a.target_date or NO_DATE,
                Sort.RAG: ATTENTION.index(rag(a, _day(f), f.policy)) if order.sort is Sort.RAG else 0,
            }
            return document if order.sort is Sort.DOCUMENT else (first[order.sort], *document)

        rows = sorted(
            (Listed(ref, a, key(ref, a)) for ref, a in self.matching(f)),
            key=lambda r: r.key,
            reverse=order.descending,
        )
        if after is not None:
            rows = [r for r in rows if (r.key < after if order.descending else r.key > after)]
        return rows[offset : offset + limit]

    def add(self, values: dict[str, Any]) -> int:
        id_ = _next_id(self.rows)
        blank = {f: None for f in ("lead_officer_id", *_STATE_FIELDS[1:5], "waiting_since", "original_target_date")}
        row = blank | {"returned": False, "version": 0} | values | {"id": id_}
        self.rows[id_] = mapping.action_from_row(row)
        self.position[id_] = values["position"]
        self.due_on[id_] = values.get("next_step_due_on")
        return id_

    def positions(self, review_id: int) -> dict[int, int]:
        return {i: self.position[i] for i, a in self.rows.items() if a.review_id == review_id}

    def set_positions(self, positions: dict[int, int]) -> None:
        self.position |= positions

    def _check(self, action: Action, expected_version: int) -> Action:
        stored = self.rows[action.id]
        if self.conflicts_to_raise:
            self.conflicts_to_raise -= 1
            stored.version += 1  # someone else's decision
            self.landed(action.id)
        if stored.version != expected_version:
            raise ConcurrencyConflict(action.ref, expected_version, stored.version)
        return stored

    def _write(self, stored: Action, values: dict[str, Any]) -> int:
        if "next_step_due_on" in values:
            self.due_on[stored.id] = values["next_step_due_on"]
        columns = {k: v for k, v in values.items() if k != "next_step_due_on"}
        self.rows[stored.id] = mapping.action_from_row(_row(stored) | columns | {"version": stored.version + 1})
        return stored.version + 1

    def update_versioned(self, action: Action, expected_version: int, values: dict[str, Any]) -> int:
        return self._write(self._check(action, expected_version), values)

    def move_target(self, action: Action, expected_version: int, new_date: date, recheck_on: date) -> int:
        stored = self._check(action, expected_version)
        kept = stored.original_target_date or stored.target_date
        return self._write(
            stored, {"target_date": new_date, "original_target_date": kept, "next_step_due_on": recheck_on}
        )

    def save_state(self, action: Action, expected_version: int, recheck_on: date | None) -> int:
        stored = self._check(action, expected_version)
        changes = {name: getattr(action, name) for name in _STATE_FIELDS}
        self.rows[action.id] = dataclasses.replace(stored, **changes, version=expected_version + 1)
        self.due_on[action.id] = recheck_on
        return expected_version + 1


class FakeExtensions:
    def __init__(self, db: FakeTx) -> None:
        self.db = db
        self.rows: dict[int, ExtensionRequest] = {}
        self.status: dict[int, str] = {}
        """Request id -> pending, approved or refused."""
        self.asked_at: dict[int, datetime] = {}

    def pending(self, action_id: int) -> ExtensionRequest | None:
        return next((r for i, r in self.rows.items() if r.action_id == action_id and self.status[i] == "pending"), None)

    def add(self, request: ExtensionRequest, at: datetime) -> int:
        id_ = _next_id(self.rows)
        self.rows[id_] = dataclasses.replace(request, id=id_)
        self.status[id_] = "pending"
        self.asked_at[id_] = at
        return id_

    def pending_in(self, partnership_id: int, agency_id: int | None = None) -> list[tuple[ExtensionRequest, datetime]]:
        found = []
        for i, r in self.rows.items():
            action = self.db.actions.rows[r.action_id]
            in_partnership = self.db.reviews.rows[action.review_id].partnership_id == partnership_id
            if self.status[i] == "pending" and in_partnership and agency_id in (None, action.agency_id):
                found.append((r, self.asked_at[i]))
        return sorted(found, key=lambda f: (f[1], f[0].id or 0))

    def decide(self, extension_id: int, status: str, decided_by: int, reason: str, at: datetime) -> None:
        self.status[extension_id] = status


class FakeEvidence:
    def __init__(self) -> None:
        self.rows: dict[int, EvidenceRecord] = {}

    def add(self, action_id: int, decision_id: int, file: StoredFile, at: datetime) -> int:
        id_ = _next_id(self.rows)
        f = file
        record = EvidenceRecord(
            id_, action_id, decision_id, f.sha256, f.size, f.content_type, f.name, f.stored_path, at
        )
        self.rows[id_] = record
        return id_

    def for_action(self, action_id: int) -> list[EvidenceRecord]:
        return [e for _, e in sorted(self.rows.items()) if e.action_id == action_id]

    def by_id(self, evidence_id: int) -> EvidenceRecord | None:
        return self.rows.get(evidence_id)


class FakeSignOffs:
    def __init__(self) -> None:
        self.rows: dict[int, SignOff] = {}
        """By review id: a review is signed off once."""

    def add(self, review_id: int, snapshot: str, sha256: str, signed_by: int, at: datetime, decision_id: int) -> int:
        assert review_id not in self.rows, "one sign-off per review (a unique key)"
        self.rows[review_id] = SignOff(len(self.rows) + 1, review_id, snapshot, sha256, signed_by, at, decision_id)
        return self.rows[review_id].id

    def for_review(self, review_id: int) -> SignOff | None:
        return self.rows.get(review_id)

    def hashes(self, review_ids: Collection[int]) -> dict[int, str]:
        return {i: self.rows[i].sha256 for i in review_ids if i in self.rows}


class FakeThemes:
    def __init__(self, db: FakeTx) -> None:
        self.db = db
        self.own: list[tuple[int, Theme]] = []
        self.word: dict[tuple[int, str], bool] = {}
        """(action id, theme) -> confirmed (True) or removed (False)."""

    def added(self, partnership_id: int) -> list[Theme]:
        return [t for pid, t in self.own if pid == partnership_id]

    def add(self, partnership_id: int, theme: Theme, at: datetime) -> int:
        self.own.append((partnership_id, theme))
        return len(self.own)

    def decided(self, action_ids: Sequence[int]) -> dict[int, dict[str, bool]]:
        out: dict[int, dict[str, bool]] = {i: {} for i in action_ids}
        for (action_id, theme), confirmed in self.word.items():
            if action_id in out:
                out[action_id][theme] = confirmed
        return out

    def set(self, action_id: int, theme: str, confirmed: bool, decision_id: int, at: datetime) -> None:
        self.word[(action_id, theme)] = confirmed

    def confirmed(self, partnership_ids: Sequence[int]) -> list[ThemedAction]:
        found = []
        for (action_id, theme), confirmed in self.word.items():
            action = self.db.actions.rows[action_id]
            review = self.db.reviews.rows[action.review_id]
            if confirmed and review.partnership_id in partnership_ids:
                short = self.db.partnerships.rows[review.partnership_id].short_name
                found.append(ThemedAction(short, review.ref, theme, action.state, action.target_date))
        return sorted(found, key=lambda t: (t.partnership, t.review_ref, t.theme))


class FakeImportMappings:
    def __init__(self) -> None:
        self.rows: dict[tuple[int, str], tuple[str, str]] = {}
        """(partnership id, header key) -> (header as written, field)."""

    def for_partnership(self, partnership_id: int) -> list[tuple[str, str]]:
        return [found for (pid, _), found in sorted(self.rows.items()) if pid == partnership_id]

    def put(self, partnership_id: int, key: str, header: str, field: str, at: datetime, by: int | None) -> bool:
        if self.rows.get((partnership_id, key)) == (header, field):
            return False
        self.rows[(partnership_id, key)] = (header, field)
        return True

    def remove(self, partnership_id: int, key: str) -> str | None:
        found = self.rows.pop((partnership_id, key), None)
        return found[1] if found else None
