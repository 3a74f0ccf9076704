"""Repositories: the only code that speaks SQL. None of them commits; the unit of work does.

Repositories are synchronous, on the transaction's synchronous connection: a use
case hands its whole transactional body to ``SqlUnitOfWork.run``, which runs it
in one trip through SQLAlchemy's async layer instead of one per statement.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, bindparam, case, func, insert, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Insert
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from domain.decisions import KINDS, UnknownDecisionKind
from domain.events import DomainEvent, Recipient
from domain.extension import ExtensionRequest
from domain.model import Action, Agency, Note, Partnership, Person, Recommendation, Review, Scope
from domain.states import State
from storage import action_lists, mapping, recommendation_lists
from storage.action_lists import ActionFilter, Listed, Order, SortKey
from storage.chain import GENESIS, ChainRecord, log_key, record_hash, seal
from storage.driver import Prepared, execute, executemany, sqlite_driver
from storage.errors import ConcurrencyConflict, LogKeyMismatch
from storage.evidence_store import StoredFile
from storage.recommendation_lists import ActionFactsRow, ListedRecommendation, RecommendationFilter
from storage.tables import metadata

P = metadata.tables["partnership"]
PERSON = metadata.tables["person"]
AGENCY = metadata.tables["agency"]
REVIEW = metadata.tables["review"]
REC = metadata.tables["recommendation"]
ACTION = metadata.tables["action"]
DECISION = metadata.tables["decision"]
EVIDENCE = metadata.tables["evidence"]
OUTBOX = metadata.tables["outbox"]

# Statements on the decision path are built once: building one costs more than running it on SQLite.
# On a writing unit of work's sqlite3 connection the Prepared ones run straight on the driver (storage.driver).
_PERSON_BY_EMAIL = Prepared(select(PERSON).where(PERSON.c.email == bindparam("email")))
_ACTIONS_BY_REF = Prepared(
    select(ACTION, REVIEW.c.ref.label("review_ref_"))
    .join(REVIEW, REVIEW.c.id == ACTION.c.review_id)
    .where(REVIEW.c.partnership_id == bindparam("partnership_id"), ACTION.c.ref == bindparam("ref"))
)
_ACTION_BY_ID = Prepared(
    select(ACTION, REVIEW.c.ref.label("review_ref_"))
    .join(REVIEW, REVIEW.c.id == ACTION.c.review_id)
    .where(REVIEW.c.partnership_id == bindparam("partnership_id"), ACTION.c.id == bindparam("action_id"))
)
_UNFINISHED_IN_REVIEW = (
    select(func.count())
    .select_from(ACTION)
    .where(ACTION.c.review_id == bindparam("review_id"), ACTION.c.state.not_in([str(s) for s in State if s.is_final]))
)
_SAVE_STATE = Prepared(
    update(ACTION)
    .where(ACTION.c.id == bindparam("action_id"), ACTION.c.version == bindparam("expected"))
    .values(
        state=bindparam("new_state"),
        submitted_by=bindparam("new_submitted_by"),
        submitted_for=bindparam("new_submitted_for"),
        verified_by=bindparam("new_verified_by"),
        verified_for=bindparam("new_verified_for"),
        returned=bindparam("new_returned"),
        waiting_since=bindparam("new_waiting_since"),
        next_step_due_on=bindparam("new_next_step_due_on"),
        version=bindparam("new_version"),
    )
)
_CHAIN_HEAD = Prepared(
    select(DECISION.c.seq, DECISION.c.hash, DECISION.c.seal)
    .where(DECISION.c.partnership_id == bindparam("partnership_id"))
    .order_by(DECISION.c.seq.desc())
    .limit(1)
)
_CHAIN_LOCK = text("SELECT pg_advisory_xact_lock(:ns, :pid)")
_LAST_DECISION_ID = select(func.max(DECISION.c.id))
_NEXT_DECISION_IDS = text("SELECT nextval(pg_get_serial_sequence('decision', 'id')) FROM generate_series(1, :n)")

_CHAIN_LOCK_NAMESPACE = 0x0D4F
"""First key of the PostgreSQL advisory lock that serialises one partnership's chain appends."""


def normal_email(email: str) -> str:
    """Emails are stored and looked up in lower case, so the unique index serves every lookup."""
    return email.strip().lower()


_Plan = tuple[str, Callable[[dict[str, Any]], tuple[Any, ...]], list[tuple[int, Callable[[Any], Any]]]]
_PLANS: dict[tuple[str, str, tuple[str, ...]], _Plan | None] = {}


def insert_many(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """``INSERT`` every row (all with the same keys) through the driver's ``executemany``.

    Why: SQLAlchemy's parameter handling for a multi-row insert cost more per row
    than SQLite's insert itself (measured ~40 µs a firing in a catch-up sweep).
    The statement is compiled once per dialect, table and columns; values go
    through the same bind processors SQLAlchemy would apply (a date becomes
    SQLite's text), once per distinct value since a batch shares a few dates
    (so values must be hashable, as every column's here is). Drivers without a
    positional parameter style take the ordinary path.
    """
    if not rows:
        return
    columns = tuple(rows[0])
    key = (conn.dialect.name, table.name, columns)
    if key not in _PLANS:
        _PLANS[key] = _plan(conn, table, columns)
    plan = _PLANS[key]
    if plan is None:
        conn.execute(insert(table), list(rows))
        return
    sql, values_of, processors = plan
    params = [values_of(row) for row in rows]
    if processors:
        by_column = list(zip(*params, strict=True))
        for i, process in processors:
            converted = {value: process(value) for value in set(by_column[i])}
            by_column[i] = tuple(map(converted.__getitem__, by_column[i]))
        params = list(zip(*by_column, strict=True))
    if (driver := sqlite_driver(conn)) is not None:
        executemany(conn, driver, sql, params)
    else:
        conn.exec_driver_sql(sql, params)


_INSERTS: dict[str, Insert] = {}


def insert_one(conn: Connection, table: Table, row: dict[str, Any]) -> int:
    """``INSERT`` one row; returns its primary key. On a ``sqlite3`` connection it goes straight to the driver
    (``storage.driver``), compiled and converted as ``insert_many`` does."""
    driver = sqlite_driver(conn)
    key = (conn.dialect.name, table.name, tuple(row))
    if driver is not None and key not in _PLANS:
        _PLANS[key] = _plan(conn, table, key[2])
    plan = _PLANS[key] if driver is not None else None
    if driver is None or plan is None:
        if table.name not in _INSERTS:
            _INSERTS[table.name] = insert(table)  # built once: building one costs more than running it
        inserted = conn.execute(_INSERTS[table.name], row).inserted_primary_key
        assert inserted is not None
        return int(inserted[0])
    sql, values_of, processors = plan
    values = list(values_of(row))
    for i, process in processors:
        values[i] = process(values[i])  # None too, as SQLAlchemy does
    cursor = execute(conn, driver, sql, values)
    new_id = cursor.lastrowid
    cursor.close()
    assert new_id is not None
    return new_id


def _plan(conn: Connection, table: Table, columns: tuple[str, ...]) -> _Plan | None:
    dialect = conn.dialect
    compiled = insert(table).compile(dialect=dialect, column_keys=list(columns), for_executemany=True)
    order = compiled.positiontup
    if not order:
        return None  # a named parameter style
    # Columns the rows leave out that SQLAlchemy fills from the table's defaults: constants only.
    defaults: dict[str, Any] = {}
    for name in set(order) - set(columns):
        default = table.c[name].default
        if not isinstance(default, ScalarElementColumnDefault):
            return None
        defaults[name] = default.arg
    processors: list[tuple[int, Callable[[Any], Any]]] = []
    for i, name in enumerate(order):
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            processors.append((i, process))
    get = itemgetter(*order)
    values_of: Callable[[dict[str, Any]], tuple[Any, ...]]
    if len(order) == 1:
        values_of = lambda row: (get(defaults | row),)  # noqa: E731 (one of three shapes, picked once)
    elif defaults:
        values_of = lambda row: get(defaults | row)  # noqa: E731
    else:
        values_of = get
    return (compiled.string, values_of, processors)


_Compiled = tuple[str | None, dict[str, Callable[[Any], Any]]]
_COMPILED: dict[tuple[str, str, tuple[str, ...]], _Compiled] = {}


class DriverInsert:
    """An ``INSERT`` of rows given as tuples, already in the driver's form, straight to its ``executemany``.

    For a loop that builds its rows itself (the sweep's firings, a million in a
    catch-up): it converts the values rows share once, with ``bind``, and hands
    each row to the driver as it is, with no dict and no per-value conversion.
    ``columns`` names every column the insert writes, in the table's order: the
    table's defaults are not filled in (its server defaults are).
    """

    def __init__(self, conn: Connection, table: Table, columns: Sequence[str]) -> None:
        self._conn = conn
        self._table = table
        self._columns = tuple(columns)
        key = (conn.dialect.name, table.name, self._columns)
        if key not in _COMPILED:
            _COMPILED[key] = self._compile()
        self._sql, self._processors = _COMPILED[key]

    def _compile(self) -> _Compiled:
        dialect = self._conn.dialect
        compiled = insert(self._table).compile(dialect=dialect, column_keys=list(self._columns), for_executemany=True)
        order = compiled.positiontup
        if not order:
            return None, {}  # a named parameter style: rows go through SQLAlchemy as dicts
        if tuple(order) != self._columns:
            raise ValueError(f"{self._table.name}: name the columns {tuple(order)}, in that order")
        processors: dict[str, Callable[[Any], Any]] = {}
        for name in order:
            process = self._table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                processors[name] = process
        return compiled.string, processors

    def bind(self, column: str, value: Any) -> Any:
        """``value`` of ``column`` as the driver takes it (what SQLAlchemy's bind processor makes of it)."""
        process = self._processors.get(column)
        return value if process is None or value is None else process(value)

    def run(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if self._sql is None:
            self._conn.execute(insert(self._table), [dict(zip(self._columns, row, strict=True)) for row in rows])
            return
        self._conn.exec_driver_sql(self._sql, rows)


class _Repo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _one(self, stmt: Any, params: dict[str, Any] | None = None) -> dict[str, Any] | None:
        if isinstance(stmt, Prepared):
            return stmt.first(self._conn, params or {})
        row = (self._conn.execute(stmt, params)).mappings().first()
        return dict(row) if row is not None else None

    def _all(self, stmt: Any, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        if isinstance(stmt, Prepared):
            return stmt.rows(self._conn, params or {})
        return [dict(r) for r in (self._conn.execute(stmt, params)).mappings()]

    def _insert(self, table: Any, values: dict[str, Any]) -> int:
        result = self._conn.execute(insert(table), values)
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])


class Partnerships(_Repo):
    def by_short_name(self, short_name: str) -> Partnership | None:
        """Case-insensitive: BCSP and bcsp are one partnership."""
        row = self._one(select(P).where(func.lower(P.c.short_name) == short_name.strip().lower()))
        return mapping.partnership_from_row(row) if row else None

    def add(self, name: str, short_name: str) -> int:
        return self._insert(P, {"name": name, "short_name": short_name})

    def all(self) -> list[Partnership]:
        return [mapping.partnership_from_row(r) for r in self._all(select(P).order_by(P.c.id))]


class People(_Repo):
    def set_notify(self, email: str, preference: str) -> bool:
        """How ``email`` is sent notifications (``immediate`` or ``daily``); False when nobody has it."""
        done = self._conn.execute(update(PERSON).where(PERSON.c.email == email).values(notify=preference))
        return bool(done.rowcount)

    def by_email(self, email: str) -> Person | None:
        row = self._one(_PERSON_BY_EMAIL, {"email": normal_email(email)})
        return mapping.person_from_row(row) if row else None

    def by_id(self, person_id: int) -> Person | None:
        row = self._one(select(PERSON).where(PERSON.c.id == person_id))
        return mapping.person_from_row(row) if row else None

    def emails(self, ids: Sequence[int]) -> dict[int, str]:
        if not ids:
            return {}
        rows = self._all(select(PERSON.c.id, PERSON.c.email).where(PERSON.c.id.in_(set(ids))))
        return {r["id"]: r["email"] for r in rows}

    def add(self, partnership_id: int, name: str, email: str, role: str, agency_id: int | None) -> int:
        values = {"partnership_id": partnership_id, "name": name, "email": normal_email(email), "role": role}
        return self._insert(PERSON, values | {"agency_id": agency_id})

    def in_partnership(self, partnership_id: int) -> list[Person]:
        rows = self._all(select(PERSON).where(PERSON.c.partnership_id == partnership_id).order_by(PERSON.c.id))
        return [mapping.person_from_row(r) for r in rows]


class Agencies(_Repo):
    def in_partnership(self, partnership_id: int) -> list[Agency]:
        rows = self._all(select(AGENCY).where(AGENCY.c.partnership_id == partnership_id).order_by(AGENCY.c.id))
        return [mapping.agency_from_row(r) for r in rows]

    def add(self, partnership_id: int, name: str) -> int:
        return self._insert(AGENCY, {"partnership_id": partnership_id, "name": name})

    def set_director(self, agency_id: int, person_id: int) -> None:
        self._conn.execute(update(AGENCY).where(AGENCY.c.id == agency_id).values(director_id=person_id))


class Reviews(_Repo):
    def by_ref(self, partnership_id: int, ref: str) -> Review | None:
        stmt = select(REVIEW).where(REVIEW.c.partnership_id == partnership_id, REVIEW.c.ref == ref)
        row = self._one(stmt)
        return mapping.review_from_row(row) if row else None

    def add(self, partnership_id: int, ref: str, title: str) -> int:
        return self._insert(REVIEW, {"partnership_id": partnership_id, "ref": ref, "title": title})

    def set_notes(self, review_id: int, notes: Sequence[Note]) -> None:
        """The notes the plan carries beside its actions, as last imported."""
        kept = json.dumps([{"location": n.location, "text": n.text} for n in notes], ensure_ascii=False)
        self._conn.execute(update(REVIEW).where(REVIEW.c.id == review_id).values(notes=kept))

    def set_status(self, review_id: int, status: str) -> None:
        self._conn.execute(update(REVIEW).where(REVIEW.c.id == review_id).values(status=status))

    def set_kind(self, review_id: int, kind: str) -> None:
        """The review's kind (a key of ``review_kind``)."""
        self._conn.execute(update(REVIEW).where(REVIEW.c.id == review_id).values(kind=kind))

    def in_partnership(self, partnership_id: int) -> list[Review]:
        stmt = select(REVIEW).where(REVIEW.c.partnership_id == partnership_id).order_by(REVIEW.c.ref)
        return [mapping.review_from_row(r) for r in self._all(stmt)]

    def count(self, partnership_id: int) -> int:
        stmt = select(func.count()).select_from(REVIEW).where(REVIEW.c.partnership_id == partnership_id)
        return int(self._conn.execute(stmt).scalar_one())

    def page(self, partnership_id: int, limit: int, *, offset: int = 0, after_ref: str | None = None) -> list[Review]:
        """At most ``limit`` of the partnership's reviews by ref, from the ``offset``-th or after ``after_ref``."""
        stmt = select(REVIEW).where(REVIEW.c.partnership_id == partnership_id)
        if after_ref is not None:
            stmt = stmt.where(REVIEW.c.ref > after_ref)
        stmt = stmt.order_by(REVIEW.c.ref).limit(limit).offset(offset or None)
        return [mapping.review_from_row(r) for r in self._all(stmt)]


class Recommendations(_Repo):
    def for_review(self, review_id: int) -> list[Recommendation]:
        """A review's recommendations, numbered ones first in numeric order (8 before 10), then themes."""
        stmt = select(REC).where(REC.c.review_id == review_id)
        found = [mapping.recommendation_from_row(r) for r in self._all(stmt)]
        return sorted(found, key=Recommendation.sort_key)

    def by_ids(self, ids: Collection[int]) -> dict[int, Recommendation]:
        """These recommendations (those of a page of actions), by id."""
        if not ids:
            return {}
        stmt = select(REC).where(REC.c.id.in_(sorted(set(ids))))
        return {r["id"]: mapping.recommendation_from_row(r) for r in self._all(stmt)}

    def for_reviews(self, review_ids: Collection[int]) -> list[Recommendation]:
        """The recommendations of these reviews (one statement, for a page of a list), by id."""
        if not review_ids:
            return []
        stmt = select(REC).where(REC.c.review_id.in_(sorted(set(review_ids)))).order_by(REC.c.id)
        return [mapping.recommendation_from_row(r) for r in self._all(stmt)]

    def add(
        self, review_id: int, text_: str, numbers: str, position: int, scope: Sequence[Scope] = (), addressee: str = ""
    ) -> int:
        digest = hashlib.sha256(text_.encode()).hexdigest()
        values = {"review_id": review_id, "text": text_, "text_sha256": digest, "numbers": numbers}
        return self._insert(REC, values | {"position": position, "scope": ",".join(scope), "addressee": addressee})

    def set_scope(self, recommendation_id: int, scope: Sequence[Scope]) -> None:
        self._conn.execute(update(REC).where(REC.c.id == recommendation_id).values(scope=",".join(scope)))

    def set_addressee(self, recommendation_id: int, addressee: str) -> None:
        self._conn.execute(update(REC).where(REC.c.id == recommendation_id).values(addressee=addressee))

    def set_not_accepted(self, recommendation_id: int, reason: str) -> None:
        """Record why it was not accepted; "" accepts it again."""
        self._conn.execute(update(REC).where(REC.c.id == recommendation_id).values(not_accepted_reason=reason))

    def listed(self, f: RecommendationFilter) -> list[ListedRecommendation]:
        """The recommendations ``f`` keeps, with their review, partnership, kind and publication date."""
        return recommendation_lists.listed(self._conn, f)

    def facts(self, f: RecommendationFilter) -> list[ActionFactsRow]:
        """The actions of the recommendations ``f`` keeps, with what their status reads."""
        return recommendation_lists.facts(self._conn, f)


class Actions(_Repo):
    def find(self, partnership_id: int, ref: str, review_ref: str | None = None) -> list[tuple[str, Action]]:
        """Actions with this ref in the partnership (one per review), with their review's ref."""
        rows = self._all(_ACTIONS_BY_REF, {"partnership_id": partnership_id, "ref": ref.strip()})
        return [
            (row["review_ref_"], mapping.action_from_row(row))
            for row in rows
            if review_ref is None or row["review_ref_"] == review_ref
        ]

    def by_id(self, partnership_id: int, action_id: int) -> tuple[str, Action] | None:
        """The action with this id in the partnership (none from another), with its review's ref."""
        row = self._one(_ACTION_BY_ID, {"partnership_id": partnership_id, "action_id": action_id})
        return (row["review_ref_"], mapping.action_from_row(row)) if row else None

    def unfinished(self, review_id: int) -> int:
        """How many of the review's actions are neither assured nor withdrawn."""
        return int(self._conn.execute(_UNFINISHED_IN_REVIEW, {"review_id": review_id}).scalar_one())

    def for_review(self, review_id: int) -> list[Action]:
        stmt = select(ACTION).where(ACTION.c.review_id == review_id).order_by(ACTION.c.position, ACTION.c.id)
        return [mapping.action_from_row(r) for r in self._all(stmt)]

    def count_by_agency(self, partnership_id: int) -> dict[int, tuple[int, int]]:
        """Per agency: its actions, and those still under way (not assured or withdrawn)."""
        closed = [str(s) for s in State if s.is_final]
        running = func.sum(case((ACTION.c.state.in_(closed), 0), else_=1))
        stmt = (
            select(ACTION.c.agency_id, func.count(), running)
            .join(REVIEW, REVIEW.c.id == ACTION.c.review_id)
            .where(REVIEW.c.partnership_id == partnership_id)
            .group_by(ACTION.c.agency_id)
        )
        return {agency_id: (int(n), int(r or 0)) for agency_id, n, r in self._conn.execute(stmt)}

    def matching(self, f: ActionFilter) -> list[tuple[str, Action]]:
        """Actions and their review refs, in document order within each review."""
        columns = action_lists.action_columns(f)
        stmt = action_lists.narrowed(
            select(*columns, REVIEW.c.ref.label("review_ref_")).join(REVIEW, REVIEW.c.id == ACTION.c.review_id), f
        ).order_by(REVIEW.c.ref, ACTION.c.position, ACTION.c.id)
        return [(r["review_ref_"], mapping.action_from_row(r)) for r in self._all(stmt)]

    def count(self, f: ActionFilter) -> int:
        """How many actions ``f`` keeps."""
        return int(self._conn.execute(action_lists.count_statement(f)).scalar_one())

    def page(
        self, f: ActionFilter, order: Order, limit: int, *, offset: int = 0, after: SortKey | None = None
    ) -> list[Listed]:
        """At most ``limit`` of the actions ``f`` keeps, in ``order``, from the ``offset``-th or after the one
        whose key is ``after``; each with its review's ref and its key (what a cursor names)."""
        stmt = action_lists.page_statement(f, order, limit, offset=offset, after=after)
        width = action_lists.key_width(order)
        return [action_lists.listed(r, width) for r in self._conn.execute(stmt).mappings()]

    def add(self, values: dict[str, Any]) -> int:
        return self._insert(ACTION, values)

    def positions(self, review_id: int) -> dict[int, int]:
        """Action id -> place in the imported document."""
        rows = self._all(select(ACTION.c.id, ACTION.c.position).where(ACTION.c.review_id == review_id))
        return {r["id"]: r["position"] for r in rows}

    def set_positions(self, positions: dict[int, int]) -> None:
        """Reorder without a new version: the order of the document is not a decision."""
        if positions:
            stmt = update(ACTION).where(ACTION.c.id == bindparam("action_id")).values(position=bindparam("pos"))
            self._conn.execute(stmt, [{"action_id": a, "pos": p} for a, p in positions.items()])

    def update_versioned(self, action: Action, expected_version: int, values: dict[str, Any]) -> int:
        """Write ``values`` only if the row is still at ``expected_version``; returns the new version.

        Raises:
            ConcurrencyConflict: the row moved on since it was read; nothing is written.
        """
        new_version = expected_version + 1
        stmt = (
            update(ACTION)
            .where(ACTION.c.id == action.id, ACTION.c.version == expected_version)
            .values(**values, version=new_version)
        )
        result = self._conn.execute(stmt)
        if result.rowcount != 1:
            self._conflict(action, expected_version)
        return new_version

    def move_target(self, action: Action, expected_version: int, new_date: date, recheck_on: date) -> int:
        """An approved extension: the new target date, the plan's own kept (once), the ladder rechecked."""
        values = {
            "target_date": new_date,
            # SET reads the row as it was: the first extension keeps the plan's date, later ones keep it too.
            "original_target_date": func.coalesce(ACTION.c.original_target_date, ACTION.c.target_date),
            "next_step_due_on": recheck_on,
        }
        return self.update_versioned(action, expected_version, values)

    def save_state(self, action: Action, expected_version: int, recheck_on: date | None) -> int:
        """``update_versioned`` for the state columns, with a statement built once.

        ``recheck_on`` sets the timer index: the day the sweep looks at the action
        again and works out its ladder (``None``: never, the action is closed).
        """
        params = {
            "action_id": action.id,
            "expected": expected_version,
            "new_state": str(action.state),
            "new_submitted_by": action.submitted_by,
            "new_submitted_for": action.submitted_for,
            "new_verified_by": action.verified_by,
            "new_verified_for": action.verified_for,
            "new_returned": action.returned,
            "new_waiting_since": action.waiting_since,
            "new_next_step_due_on": recheck_on,
            "new_version": expected_version + 1,
        }
        if _SAVE_STATE.rowcount(self._conn, params) != 1:
            self._conflict(action, expected_version)
        return expected_version + 1

    def _conflict(self, action: Action, expected_version: int) -> None:
        current = self._one(select(ACTION.c.version).where(ACTION.c.id == action.id))
        raise ConcurrencyConflict(action.ref, expected_version, current["version"] if current else None)


@dataclass
class DecisionDraft:
    """A decision before the log gives it its place in the chain."""

    partnership_id: int
    actor_name: str
    actor_role: str
    event: str
    at: datetime
    actor_id: int | None = None
    review_id: int | None = None
    review_ref: str = ""
    action_id: int | None = None
    action_ref: str = ""
    on_behalf_of_id: int | None = None
    from_state: str = ""
    to_state: str = ""
    reason: str = ""
    note: str = ""
    evidence_hashes: Sequence[str] = ()
    payload: dict[str, Any] = field(default_factory=dict)


def payload_json(payload: Mapping[str, Any]) -> str:
    """A decision's payload as the log stores (and hashes) it."""
    return json.dumps(payload, sort_keys=True, ensure_ascii=False)


def chained_record(draft: DecisionDraft, seq: int, prev_hash: str) -> dict[str, Any]:
    """The row of ``draft`` at ``seq`` after ``prev_hash``, its hash computed (unsealed, without its id)."""
    record: dict[str, Any] = {
        "partnership_id": draft.partnership_id,
        "seq": seq,
        "review_id": draft.review_id,
        "review_ref": draft.review_ref,
        "action_id": draft.action_id,
        "action_ref": draft.action_ref,
        "actor_id": draft.actor_id,
        "actor_name": draft.actor_name,
        "actor_role": draft.actor_role,
        "on_behalf_of_id": draft.on_behalf_of_id,
        "event": draft.event,
        "from_state": draft.from_state,
        "to_state": draft.to_state,
        "reason": draft.reason,
        "note": draft.note,
        "evidence_hashes": json.dumps(sorted(draft.evidence_hashes)) if draft.evidence_hashes else "[]",
        "payload": payload_json(draft.payload),
        "at": draft.at,
        "prev_hash": prev_hash,
    }
    record["hash"] = record_hash(record)
    return record


@dataclass(frozen=True)
class LoggedDecision:
    """A decision as the log holds it, its JSON columns read (``Decisions.chain`` gives the records as the
    hash reads them instead)."""

    id: int
    partnership_id: int
    seq: int
    review_id: int | None
    review_ref: str
    action_id: int | None
    action_ref: str
    actor_id: int | None
    actor_name: str
    actor_role: str
    on_behalf_of_id: int | None
    event: str
    from_state: str
    to_state: str
    reason: str
    note: str
    evidence_hashes: tuple[str, ...]
    payload: dict[str, Any]
    at: datetime
    prev_hash: str
    hash: str
    seal: str | None = None


def logged_decision(row: Mapping[str, Any]) -> LoggedDecision:
    """A ``decision`` row as a ``LoggedDecision``."""
    return LoggedDecision(
        id=row["id"],
        partnership_id=row["partnership_id"],
        seq=row["seq"],
        review_id=row["review_id"],
        review_ref=row["review_ref"],
        action_id=row["action_id"],
        action_ref=row["action_ref"],
        actor_id=row["actor_id"],
        actor_name=row["actor_name"],
        actor_role=row["actor_role"],
        on_behalf_of_id=row["on_behalf_of_id"],
        event=row["event"],
        from_state=row["from_state"],
        to_state=row["to_state"],
        reason=row["reason"],
        note=row["note"],
        evidence_hashes=tuple(json.loads(row["evidence_hashes"])),
        payload=json.loads(row["payload"]) if row["payload"] else {},
        at=row["at"],
        prev_hash=row["prev_hash"],
        hash=row["hash"],
        seal=row["seal"],
    )


class Decisions(_Repo):
    def append(self, draft: DecisionDraft) -> int:
        """Add ``draft`` at the head of its partnership's chain; returns its id.

        Appends to one chain are serialised: by ``BEGIN IMMEDIATE`` on SQLite, by a
        transaction-scoped advisory lock on PostgreSQL. The unique (partnership, seq)
        constraint is the backstop should either ever be bypassed.
        """
        if draft.event not in KINDS:
            raise UnknownDecisionKind(draft.event)
        seq, prev = self._head(draft.partnership_id)
        record = chained_record(draft, seq + 1, prev)
        if (sealing := log_key(self._conn)) is not None:
            record["seal"] = seal(sealing, record["hash"])
        return insert_one(self._conn, DECISION, record)

    def reserve_ids(self, n: int) -> list[int]:
        """Ids for ``n`` decisions this transaction is about to insert, in ascending order.

        PostgreSQL draws them from the table's sequence, as its inserts would. On
        SQLite, whose write lock (``BEGIN IMMEDIATE``) lets no one else insert before
        this transaction ends, they are the ids SQLite would give the rows itself (the
        largest id plus one, two, ...). Either way the primary key refuses a clash.
        """
        if n <= 0:
            return []
        if self._conn.dialect.name == "postgresql":
            return sorted(self._conn.execute(_NEXT_DECISION_IDS, {"n": n}).scalars())
        last = self._conn.execute(_LAST_DECISION_ID).scalar() or 0
        return list(range(last + 1, last + 1 + n))

    def lock_chain(self, partnership_id: int) -> None:
        """Hold the partnership's decision log for this transaction (PostgreSQL; SQLite's BEGIN
        IMMEDIATE holds the whole database already).

        Every writing use case takes this lock before it writes or locks any row, so
        locks are always taken in one order (chain, then rows) and two use cases can
        never wait on each other; and what it reads after it is current.
        """
        if self._conn.dialect.name == "postgresql":
            self._conn.execute(_CHAIN_LOCK, {"ns": _CHAIN_LOCK_NAMESPACE, "pid": partnership_id})

    def head(self, partnership_id: int) -> tuple[int, str]:
        """The chain's last seq and hash, the chain locked for the rest of the transaction."""
        return self._head(partnership_id)

    def _head(self, partnership_id: int) -> tuple[int, str]:
        """The chain's last seq and hash (locked: the lock is re-entrant within a transaction).

        Raises:
            LogKeyMismatch: the head is sealed and this process has no log key, or another one: a record it
                appended could never be told from one added by someone without the key.
        """
        self.lock_chain(partnership_id)
        head = _CHAIN_HEAD.first(self._conn, {"partnership_id": partnership_id})
        if head is None:
            return (0, GENESIS)
        if head["seal"] is not None:
            key = log_key(self._conn)
            if key is None:
                raise LogKeyMismatch("the decision log is sealed: set DHRFLOW_LOG_KEY for this process to write to it")
            if not hmac.compare_digest(head["seal"], seal(key, head["hash"])):
                raise LogKeyMismatch("DHRFLOW_LOG_KEY is not the key the decision log is sealed with")
        return (head["seq"], head["hash"])

    def for_action(self, action_id: int) -> list[LoggedDecision]:
        stmt = select(DECISION).where(DECISION.c.action_id == action_id).order_by(DECISION.c.seq)
        return [logged_decision(r) for r in self._all(stmt)]

    def at_seq(self, partnership_id: int, seq: int) -> LoggedDecision | None:
        stmt = select(DECISION).where(DECISION.c.partnership_id == partnership_id, DECISION.c.seq == seq)
        row = self._one(stmt)
        return logged_decision(row) if row else None

    def page(self, partnership_id: int, after: int, limit: int) -> list[LoggedDecision]:
        """Decisions of a partnership after ``seq`` ``after``, in order, at most ``limit``."""
        return [logged_decision(r) for r in self._page(partnership_id, after, limit)]

    def _page(self, partnership_id: int, after: int, limit: int) -> list[dict[str, Any]]:
        stmt = (
            select(DECISION)
            .where(DECISION.c.partnership_id == partnership_id, DECISION.c.seq > after)
            .order_by(DECISION.c.seq)
            .limit(limit)
        )
        return self._all(stmt)

    def chain(self, partnership_id: int, batch: int = 5000) -> Iterator[ChainRecord]:
        """Every decision of a partnership in ``seq`` order, read in keyset-paged batches, each as the hash
        chain reads it (``storage.chain``: columns by name, as stored)."""
        after = 0
        while True:
            rows = self._page(partnership_id, after, batch)
            yield from rows
            if len(rows) < batch:
                return
            after = rows[-1]["seq"]


def outbox_key_suffix(kind: str, recipient: Recipient) -> str:
    """An outbox row's idempotency key is ``decision:<decision id>`` and this: one row per event and recipient."""
    return f":{kind}:{recipient.key()}"


def outbox_rows(
    partnership_id: int, review_id: int | None, decision_id: int, events: Sequence[DomainEvent], at: datetime
) -> list[dict[str, Any]]:
    """The outbox rows of a decision's events: one per event and recipient, keyed for idempotency."""
    return [
        {
            "idempotency_key": f"decision:{decision_id}{outbox_key_suffix(event.kind, recipient)}",
            "partnership_id": partnership_id,
            "decision_id": decision_id,
            "kind": event.kind,
            "review_id": review_id,
            "action_id": event.action_id,
            "recipient_role": str(recipient.role),
            "recipient_agency_id": recipient.agency_id,
            "recipient_person_id": recipient.person_id,
            "next_attempt_at": at,
            "created_at": at,
        }
        for event in events
        for recipient in event.recipients
    ]


EXTENSION = metadata.tables["extension"]


class Extensions(_Repo):
    def pending(self, action_id: int) -> ExtensionRequest | None:
        """The request waiting for a decision on ``action_id``, if one is."""
        stmt = select(EXTENSION).where(EXTENSION.c.action_id == action_id, EXTENSION.c.status == "pending")
        row = self._one(stmt)
        if row is None:
            return None
        return ExtensionRequest(
            row["action_id"], row["requested_by"], row["new_date"], row["reason"], row["requested_for"], row["id"]
        )

    def pending_in(self, partnership_id: int, agency_id: int | None = None) -> list[tuple[ExtensionRequest, datetime]]:
        """Requests waiting for a decision on the partnership's actions (of one agency, where given), with
        when each was asked for."""
        stmt = (
            select(EXTENSION)
            .join(ACTION, ACTION.c.id == EXTENSION.c.action_id)
            .join(REVIEW, REVIEW.c.id == ACTION.c.review_id)
            .where(REVIEW.c.partnership_id == partnership_id, EXTENSION.c.status == "pending")
            .order_by(EXTENSION.c.requested_at, EXTENSION.c.id)
        )
        if agency_id is not None:
            stmt = stmt.where(ACTION.c.agency_id == agency_id)
        return [
            (
                ExtensionRequest(
                    r["action_id"], r["requested_by"], r["new_date"], r["reason"], r["requested_for"], r["id"]
                ),
                r["requested_at"],
            )
            for r in self._all(stmt)
        ]

    def add(self, request: ExtensionRequest, at: datetime) -> int:
        """``request`` waiting for a decision, asked for ``at``; its id."""
        values = {
            "action_id": request.action_id,
            "requested_by": request.requested_by,
            "new_date": request.new_date,
            "reason": request.reason,
            "requested_for": request.requested_for,
            "requested_at": at,
        }
        return self._insert(EXTENSION, {"status": "pending", "decision_reason": ""} | values)

    def decide(self, extension_id: int, status: str, decided_by: int, reason: str, at: datetime) -> None:
        values = {"status": status, "decided_by": decided_by, "decision_reason": reason, "decided_at": at}
        self._conn.execute(update(EXTENSION).where(EXTENSION.c.id == extension_id).values(**values))


@dataclass(frozen=True)
class EvidenceRecord:
    """An evidence file as the action's record of it: which decision brought it, its hash, where it is kept."""

    id: int
    action_id: int
    decision_id: int
    sha256: str
    size: int
    content_type: str
    name: str
    stored_path: str
    at: datetime


class Evidence(_Repo):
    def add(self, action_id: int, decision_id: int, file: StoredFile, at: datetime) -> int:
        """The record of ``file``, stored for the decision ``decision_id`` about the action; its id."""
        values = {"action_id": action_id, "decision_id": decision_id, "sha256": file.sha256, "size": file.size}
        values |= {"content_type": file.content_type, "name": file.name, "stored_path": file.stored_path, "at": at}
        return self._insert(EVIDENCE, values)

    def for_action(self, action_id: int) -> list[EvidenceRecord]:
        stmt = select(EVIDENCE).where(EVIDENCE.c.action_id == action_id).order_by(EVIDENCE.c.id)
        return [EvidenceRecord(**r) for r in self._all(stmt)]

    def by_id(self, evidence_id: int) -> EvidenceRecord | None:
        row = self._one(select(EVIDENCE).where(EVIDENCE.c.id == evidence_id))
        return EvidenceRecord(**row) if row else None
