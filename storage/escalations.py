"""The clock's storage: the timer index, the escalation ledger and the partnerships' ladders."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import ARRAY, ColumnElement, Integer, and_, any_, bindparam, func, insert, or_, select, update

from domain.ladders import (
    ACKNOWLEDGED,
    ALSO_TOLD,
    DEFAULT_LADDERS,
    Anchor,
    CatchUp,
    InvalidLadder,
    Ladder,
    LadderName,
    LadderStep,
)
from domain.model import ReviewStatus, Route
from domain.roles import Role
from domain.states import State
from storage.repositories import ACTION, DECISION, PERSON, REVIEW, Decisions, P, _Repo
from storage.tables import metadata

ESCALATION = metadata.tables["escalation"]
LADDER = metadata.tables["ladder"]
IMPACT = metadata.tables["impact_check"]


def _among(column: ColumnElement[int], dialect: str) -> ColumnElement[bool]:
    """``column`` is one of the ids bound to ``ids`` as ONE parameter (``_ids``): a JSON array on SQLite,
    an array on PostgreSQL. Why: SQLAlchemy's expanding ``IN`` renders a parameter per id on every
    execution, and for a sweep's batch that cost more than the statement itself."""
    if dialect == "postgresql":
        return column == any_(bindparam("ids", type_=ARRAY(Integer)))
    return column.in_(select(func.json_each(bindparam("ids")).table_valued("value").c.value))


_SET_NEXT = {
    dialect: update(ACTION).where(_among(ACTION.c.id, dialect)).values(next_step_due_on=bindparam("next"))
    for dialect in ("sqlite", "postgresql")
}
_FIRED = {
    dialect: select(ESCALATION.c.action_id, ESCALATION.c.ladder, ESCALATION.c.step, ESCALATION.c.anchor_date).where(
        _among(ESCALATION.c.action_id, dialect)
    )
    for dialect in ("sqlite", "postgresql")
}
_CLAIM = (
    select(
        REVIEW.c.partnership_id,
        REVIEW.c.ref,
        ACTION.c.id,
        ACTION.c.review_id,
        ACTION.c.agency_id,
        ACTION.c.ref,
        ACTION.c.target_date,
        ACTION.c.route,
        ACTION.c.state,
        ACTION.c.lead_officer_id,
        ACTION.c.waiting_since,
        IMPACT.c.due_on,
    )
    .join(REVIEW, REVIEW.c.id == ACTION.c.review_id)
    # An assured action's unanswered impact check: its ladder counts from the day it is due.
    .outerjoin(IMPACT, and_(IMPACT.c.action_id == ACTION.c.id, IMPACT.c.outcome == ""))
    .where(ACTION.c.next_step_due_on <= bindparam("today"), ACTION.c.id > bindparam("after_id"))
    .order_by(ACTION.c.id)
    .limit(bindparam("limit"))
)
_CLAIM_LOCKING = _CLAIM.with_for_update(skip_locked=True, of=ACTION)
_ROUTES = {str(r): r for r in Route}
_STATES = {str(s): s for s in State}


class DueAction(NamedTuple):
    """A claimed action with what its ladder reads (its plan's text and version are not loaded)."""

    partnership_id: int
    review_ref: str
    id: int
    review_id: int
    agency_id: int
    ref: str
    target_date: date | None
    route: Route
    state: State
    lead_officer_id: int | None
    waiting_since: date | None
    impact_due_on: date | None = None
    """The day its impact check is due, while the check is unanswered."""


class DueReview(NamedTuple):
    """A claimed review with what its own ladder reads."""

    partnership_id: int
    id: int
    ref: str
    imported_on: date | None
    status: ReviewStatus


@dataclass(frozen=True)
class LedgerEntry:
    """A step fired (a row of the ledger), with its action as it is now and who acknowledged it (name, email
    and the note they wrote). A step of a review's own ladder (``domain.ladders.REVIEW_LADDERS``) has no
    action: ``action_id``, ``agency_id`` and ``lead_officer_id`` are ``None``, ``action_ref`` and ``state`` empty."""

    id: int
    partnership_id: int
    action_id: int | None
    ladder: str
    ladder_version: int
    step: str
    anchor_date: date
    due_on: date
    fired_on: date
    decision_id: int
    acknowledged_by: int | None
    acknowledged_at: datetime | None
    review_id: int
    review_ref: str
    action_ref: str
    agency_id: int | None
    lead_officer_id: int | None
    state: str
    """The action's state now."""
    acknowledged_by_email: str | None
    acknowledged_by_name: str | None
    action_text: str = ""
    """The action's text."""
    acknowledged_note: str | None = None
    """The note of the acknowledgement's decision, once acknowledged."""
    fired_payload: str = "{}"
    """The payload of the decision that fired the step (JSON), read for ``also_told``."""

    @property
    def also_told(self) -> tuple[str, ...]:
        """On a catch-up, the roles the escalations passed over would have told, told by this step too."""
        if ALSO_TOLD not in self.fired_payload:  # the common case, without parsing
            return ()
        return tuple(json.loads(self.fired_payload).get(ALSO_TOLD, ()))

    @property
    def about_review(self) -> bool:
        """A step of the review's own ladder, about no action."""
        return self.action_id is None

    @property
    def milestone_label(self) -> str:
        """On a step of the review's own ladder, the milestone it chases as people read it ("Report submitted
        to the Home Office"); empty on an action's."""
        if self.action_id is not None:
            return ""
        found = json.loads(self.fired_payload or "{}")
        return str(found.get("milestone_label") or found.get("milestone") or "")


_ACK = DECISION.alias("ack")
"""The acknowledgement's decision: same action, same moment (it is written with the ledger's mark)."""
_FIRING = DECISION.alias("firing")
"""The decision that fired the step."""

LEDGER_REVIEW_ID = func.coalesce(ACTION.c.review_id, ESCALATION.c.review_id)
"""The review of a ledger row: its action's, or (a step of the review's own ladder) the one it names."""

LEDGER = (
    select(
        *(c for c in ESCALATION.c if c.name != "review_id"),
        LEDGER_REVIEW_ID.label("review_id"),
        # A look-up by primary key per row, not a join: joined on the COALESCE, PostgreSQL's planner would
        # rather read the whole review table into a hash than look each one up.
        select(REVIEW.c.ref).where(REVIEW.c.id == LEDGER_REVIEW_ID).scalar_subquery().label("review_ref"),
        func.coalesce(ACTION.c.ref, "").label("action_ref"),
        ACTION.c.agency_id,
        ACTION.c.lead_officer_id,
        func.coalesce(ACTION.c.state, "").label("state"),
        PERSON.c.email.label("acknowledged_by_email"),
        PERSON.c.name.label("acknowledged_by_name"),
        func.coalesce(ACTION.c.action, "").label("action_text"),
        _ACK.c.note.label("acknowledged_note"),
        _FIRING.c.payload.label("fired_payload"),
    )
    # A step of a review's own ladder names no action: its row names the review.
    .outerjoin(ACTION, ACTION.c.id == ESCALATION.c.action_id)
    .join(_FIRING, _FIRING.c.id == ESCALATION.c.decision_id)
    .outerjoin(PERSON, PERSON.c.id == ESCALATION.c.acknowledged_by)
    .outerjoin(
        _ACK,
        and_(
            _ACK.c.action_id == ESCALATION.c.action_id,
            _ACK.c.event == ACKNOWLEDGED,
            _ACK.c.at == ESCALATION.c.acknowledged_at,
        ),
    )
)
"""Ledger rows as ``LedgerEntry`` reads them; narrowed with ``where``."""


class Escalations(_Repo):
    def claim_due(self, today: date, after_id: int, limit: int) -> list[DueAction]:
        """Actions due by ``today``, after ``after_id``, in id order, with what the ladder reads.

        On PostgreSQL the action rows are locked for this transaction and rows
        another sweep holds are skipped (``FOR UPDATE SKIP LOCKED``): two sweeps at
        once share the work and never take the same action. SQLite's write lock,
        taken at BEGIN, already lets one sweep in at a time. One lean statement: a
        catch-up claims a million actions, and whole rows with their text cost more
        than the claim itself.
        """
        stmt = _CLAIM_LOCKING if self._conn.dialect.name == "postgresql" else _CLAIM
        rows = self._conn.execute(stmt, {"today": today, "after_id": after_id, "limit": limit}).all()
        routes, states = _ROUTES, _STATES
        return [
            DueAction(
                pid,
                review_ref,
                id_,
                review_id,
                agency_id,
                ref,
                target,
                routes[route],
                states[state],
                lead,
                since,
                impact,
            )
            for (pid, review_ref, id_, review_id, agency_id, ref, target, route, state, lead, since, impact) in rows
        ]

    def lock_chains_due(self, today: date, after_id: int) -> None:
        """Take the log locks of the partnerships with actions due, before claiming any row
        (PostgreSQL; see ``Decisions.lock_chain`` for why the order matters)."""
        if self._conn.dialect.name != "postgresql":
            return
        stmt = (
            select(REVIEW.c.partnership_id)
            .distinct()
            .join(ACTION, ACTION.c.review_id == REVIEW.c.id)
            .where(ACTION.c.next_step_due_on <= today, ACTION.c.id > after_id)
            .order_by(REVIEW.c.partnership_id)
        )
        decisions = Decisions(self._conn)
        for (partnership_id,) in self._conn.execute(stmt).all():
            decisions.lock_chain(partnership_id)

    def fired(self, ids: Sequence[int]) -> dict[int, set[tuple[str, str, date]]]:
        """Steps already fired, per action: (ladder, step, anchor date)."""
        dialect = self._conn.dialect.name
        found: dict[int, set[tuple[str, str, date]]] = {}
        for action_id, ladder, step, anchor in self._conn.execute(_FIRED[dialect], {"ids": self._ids(ids)}).all():
            found.setdefault(action_id, set()).add((ladder, step, anchor))
        return found

    def set_next(self, by_day: Mapping[date | None, Sequence[int]]) -> None:
        """Move the timer index: each day's actions (ids) are next looked at on that day (``None``: never).
        No new version: the timer is not a decision.

        One statement per distinct day: a batch's actions share a few (a catch-up: none left).
        """
        stmt = _SET_NEXT[self._conn.dialect.name]
        for day, action_ids in by_day.items():
            self._conn.execute(stmt, {"ids": self._ids(action_ids), "next": day})

    def _ids(self, ids: Sequence[int]) -> str | list[int]:
        """``ids`` as ``_among``'s parameter."""
        return list(ids) if self._conn.dialect.name == "postgresql" else json.dumps(list(ids))

    def listing(
        self,
        partnership_id: int,
        limit: int | None = 200,
        *,
        agency_ids: Collection[int] = (),
        lead_officer_id: int | None = None,
        checker_ladders: bool = False,
        unacknowledged: bool = False,
        steps: Collection[tuple[str, str]] = (),
        action_ids: Collection[int] | None = None,
    ) -> list[LedgerEntry]:
        """Steps fired in the partnership, newest first; narrowed to the actions of some agencies, or of a lead
        officer (plus, with ``checker_ladders``, every action on a checker's ladder), for "mine" lists; with
        ``unacknowledged``, only the steps nobody has acknowledged; with ``steps`` (ladder, step key), only
        those steps and the catch-ups that told others too; with ``action_ids``, only those actions'; ``limit``
        ``None``: every one."""
        stmt = LEDGER.where(ESCALATION.c.partnership_id == partnership_id).order_by(ESCALATION.c.id.desc()).limit(limit)
        if action_ids is not None:
            stmt = stmt.where(ESCALATION.c.action_id.in_(list(action_ids)))
        if unacknowledged:
            stmt = stmt.where(ESCALATION.c.acknowledged_by.is_(None))
        if steps:
            named = (and_(ESCALATION.c.ladder == lad, ESCALATION.c.step == key) for lad, key in steps)
            stmt = stmt.where(or_(*named, _FIRING.c.payload.contains(f'"{ALSO_TOLD}"')))
        narrow: list[ColumnElement[bool]] = []
        if agency_ids:
            narrow.append(ACTION.c.agency_id.in_(list(agency_ids)))
        if lead_officer_id is not None:
            narrow.append(ACTION.c.lead_officer_id == lead_officer_id)
        if checker_ladders:
            narrow.append(ESCALATION.c.ladder != str(LadderName.LEAD_OFFICER))
        if narrow:
            stmt = stmt.where(or_(*narrow))
        return self._entries(self._all(stmt))

    def one(self, escalation_id: int) -> LedgerEntry | None:
        """A ledger row with its action's ref, agency, lead officer and state."""
        row = self._one(LEDGER.where(ESCALATION.c.id == escalation_id))
        return self._entries([row])[0] if row else None

    def _entries(self, rows: Sequence[dict[str, Any]]) -> list[LedgerEntry]:
        """``LEDGER``'s rows as entries, the notes of acknowledged steps of reviews' ladders read in one more
        statement (only when there are some): ``LEDGER`` finds an acknowledgement by its action, through the
        decision log's index on it, and these have none."""
        entries = [LedgerEntry(**r) for r in rows]
        return with_review_notes(self._conn, entries)

    # --- a review's own ladder (``domain.ladders.REVIEW_LADDERS``) ----------------------------------------

    def lock_review_chains_due(self, today: date, after_id: int) -> None:
        """Take the log locks of the partnerships with reviews due, before claiming any (PostgreSQL)."""
        if self._conn.dialect.name != "postgresql":
            return
        stmt = (
            select(REVIEW.c.partnership_id)
            .distinct()
            .where(REVIEW.c.next_step_due_on <= today, REVIEW.c.id > after_id)
            .order_by(REVIEW.c.partnership_id)
        )
        decisions = Decisions(self._conn)
        for (partnership_id,) in self._conn.execute(stmt).all():
            decisions.lock_chain(partnership_id)

    def claim_reviews_due(self, today: date, after_id: int, limit: int) -> list[DueReview]:
        """Reviews whose own ladder is due a look by ``today``, after ``after_id``, in id order (locked, and
        those another sweep holds skipped, on PostgreSQL, as ``claim_due``)."""
        stmt = (
            select(REVIEW.c.partnership_id, REVIEW.c.id, REVIEW.c.ref, REVIEW.c.imported_on, REVIEW.c.status)
            .where(REVIEW.c.next_step_due_on <= today, REVIEW.c.id > after_id)
            .order_by(REVIEW.c.id)
            .limit(limit)
        )
        if self._conn.dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True, of=REVIEW)
        return [
            DueReview(pid, id_, ref, imported_on, ReviewStatus(status))
            for pid, id_, ref, imported_on, status in self._conn.execute(stmt).all()
        ]

    def fired_for_reviews(self, ids: Sequence[int]) -> dict[int, set[tuple[str, str, date]]]:
        """Steps of their own ladders already fired, per review: (ladder, step, anchor date)."""
        if not ids:
            return {}
        stmt = select(ESCALATION.c.review_id, ESCALATION.c.ladder, ESCALATION.c.step, ESCALATION.c.anchor_date).where(
            ESCALATION.c.action_id.is_(None), ESCALATION.c.review_id.in_(list(ids))
        )
        found: dict[int, set[tuple[str, str, date]]] = {}
        for review_id, ladder, step, anchor in self._conn.execute(stmt).all():
            found.setdefault(review_id, set()).add((ladder, step, anchor))
        return found

    def record_review_step(
        self,
        partnership_id: int,
        review_id: int,
        ladder: Ladder,
        step: LadderStep,
        anchor: date,
        due_on: date,
        fired_on: date,
        decision_id: int,
    ) -> int:
        """The ledger row of a step of a review's own ladder (no action); the partial unique index refuses it
        twice for one review, step and anchor."""
        values = {
            "partnership_id": partnership_id,
            "action_id": None,
            "review_id": review_id,
            "ladder": str(ladder.name),
            "ladder_version": ladder.version,
            "step": step.key,
            "anchor_date": anchor,
            "due_on": due_on,
            "fired_on": fired_on,
            "decision_id": decision_id,
        }
        key = self._conn.execute(insert(ESCALATION).values(values)).inserted_primary_key
        assert key is not None
        return int(key[0])

    def set_next_reviews(self, by_day: Mapping[date | None, Sequence[int]]) -> None:
        """Move the reviews' timer: each day's reviews (ids) are next looked at on that day (``None``: never)."""
        for day, review_ids in by_day.items():
            stmt = update(REVIEW).where(REVIEW.c.id.in_(list(review_ids))).values(next_step_due_on=day)
            self._conn.execute(stmt)

    def acknowledge(self, escalation_id: int, person_id: int, at: datetime) -> bool:
        """Mark the step acknowledged; ``False`` when someone else did first."""
        stmt = (
            update(ESCALATION)
            .where(ESCALATION.c.id == escalation_id, ESCALATION.c.acknowledged_by.is_(None))
            .values(acknowledged_by=person_id, acknowledged_at=at)
        )
        return bool(self._conn.execute(stmt).rowcount)

    def recheck(self, partnership_id: int, on: date) -> int:
        """Have the sweep on ``on`` look again at every action of the partnership still under way, or assured
        with its impact check unanswered (its ladders changed). Returns how many."""
        reviews = select(REVIEW.c.id).where(REVIEW.c.partnership_id == partnership_id)
        self._conn.execute(  # and every review its own ladder may still climb
            update(REVIEW)
            .where(
                REVIEW.c.partnership_id == partnership_id,
                REVIEW.c.imported_on.is_not(None),
                REVIEW.c.status != str(ReviewStatus.SIGNED_OFF),
            )
            .values(next_step_due_on=on)
        )
        final = [str(s) for s in State if s.is_final]
        checking = select(IMPACT.c.action_id).where(IMPACT.c.outcome == "")
        stmt = (
            update(ACTION)
            .where(
                ACTION.c.review_id.in_(reviews),
                or_(ACTION.c.state.not_in(final), ACTION.c.id.in_(checking)),
            )
            .values(next_step_due_on=on)
        )
        return int(self._conn.execute(stmt).rowcount)


def with_review_notes(conn: Any, entries: list[LedgerEntry]) -> list[LedgerEntry]:
    """``entries`` with the note of each acknowledged step of a review's ladder filled in: its acknowledgement
    is the decision about the review (no action) at the moment the ledger marks."""
    wanted = [e for e in entries if e.action_id is None and e.acknowledged_at is not None]
    if not wanted:
        return entries
    stmt = select(DECISION.c.review_id, DECISION.c.at, DECISION.c.note).where(
        DECISION.c.action_id.is_(None),
        DECISION.c.event == ACKNOWLEDGED,
        DECISION.c.review_id.in_(sorted({e.review_id for e in wanted})),
    )
    notes = {(review_id, at): note for review_id, at, note in conn.execute(stmt).all()}
    return [
        replace(e, acknowledged_note=notes.get((e.review_id, e.acknowledged_at)))
        if e.action_id is None and e.acknowledged_at is not None
        else e
        for e in entries
    ]


class Ladders(_Repo):
    def in_force(self, partnership_id: int) -> dict[LadderName, Ladder]:
        """The latest version of each of the partnership's ladders; the defaults where it set none."""
        newest = (
            select(LADDER.c.name, func.max(LADDER.c.version).label("version"))
            .where(LADDER.c.partnership_id == partnership_id)
            .group_by(LADDER.c.name)
            .subquery()
        )
        stmt = (
            select(LADDER)
            .join(newest, (LADDER.c.name == newest.c.name) & (LADDER.c.version == newest.c.version))
            .where(LADDER.c.partnership_id == partnership_id)
        )
        ladders = dict(DEFAULT_LADDERS)
        for row in self._all(stmt):
            ladder = _ladder(row)
            ladders[ladder.name] = ladder
        return ladders

    def history(self, partnership_id: int) -> dict[tuple[LadderName, int], Ladder]:
        """Every version the partnership has had, the defaults as version 1: the ledger names one of them."""
        found = {(ladder.name, ladder.version): ladder for ladder in DEFAULT_LADDERS.values()}
        for row in self._all(select(LADDER).where(LADDER.c.partnership_id == partnership_id)):
            try:
                ladder = _ladder(row)
            except InvalidLadder:  # stored before its rules were bounded: it never fired a step to name
                continue
            found[ladder.name, ladder.version] = ladder
        return found

    def add_version(self, partnership_id: int, ladder: Ladder, at: datetime) -> Ladder:
        """Store ``ladder`` as the partnership's next version of it (the defaults are version 1)."""
        latest = self._one(
            select(func.max(LADDER.c.version).label("v")).where(
                LADDER.c.partnership_id == partnership_id, LADDER.c.name == str(ladder.name)
            )
        )
        version = ((latest or {}).get("v") or DEFAULT_LADDERS[ladder.name].version) + 1
        steps = [s.to_json() for s in ladder.steps]
        values = {"partnership_id": partnership_id, "name": str(ladder.name), "version": version}
        self._insert(LADDER, values | {"anchor": str(ladder.anchor), "steps": json.dumps(steps), "created_at": at})
        return Ladder(ladder.name, ladder.anchor, ladder.steps, version)

    def catch_up(self, partnership_id: int) -> CatchUp:
        row = self._one(select(P.c.catch_up).where(P.c.id == partnership_id))
        return CatchUp(row["catch_up"]) if row else CatchUp.HIGHEST_ONLY

    def set_catch_up(self, partnership_id: int, catch_up: CatchUp) -> None:
        self._conn.execute(update(P).where(P.c.id == partnership_id).values(catch_up=str(catch_up)))


def _ladder(row: dict[str, Any]) -> Ladder:
    steps = tuple(
        LadderStep(s["key"], s["offset"], tuple(Role(r) for r in s["notify"]), s["kind"])
        for s in json.loads(row["steps"])
    )
    return Ladder(LadderName(row["name"]), Anchor(row["anchor"]), steps, row["version"])
