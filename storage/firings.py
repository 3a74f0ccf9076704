"""The sweep's write: fired ladder steps as chained decisions, ledger rows and outbox rows, in bulk.

A catch-up fires a step for every action of a plan found far overdue, up to a
million in one sweep. Each firing writes a decision (chained: its hash covers the
one before), a ledger row and an outbox row per recipient. Written the ordinary
way (a draft and a dict per row, all nineteen hashed fields written out as JSON,
the decision ids read back) the Python cost nearly twice what SQLite spent storing
the rows (34 against 19 µs a firing, measured). Here the firings of one step
share all but their action: ``StepFiring`` holds what they share, the shared parts
of their rows and of their canonical content are worked out once, and each firing
fills in only its action, its id, its place in the chain and its hash, in tuples
handed to the driver.

Nothing is weakened: the rows are the ones the ordinary path writes (a test
compares them), every hash is ``storage.chain``'s, the ledger's unique key still
refuses a step fired twice, and all of it is in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from json.encoder import encode_basestring
from typing import Any

from domain.events import Recipient
from domain.ladders import ESCALATED
from storage.chain import HASHED_FIELDS, chained_hash, content_template, log_key, seal
from storage.escalations import ESCALATION
from storage.outbox import PENDING
from storage.repositories import DECISION, OUTBOX, Decisions, DriverInsert, _Repo, outbox_key_suffix, payload_json


@dataclass(frozen=True, eq=False)
class StepFiring:
    """What every firing of one ladder step from one anchor date shares, for actions in one state whose
    step tells the same people.

    ``eq=False``: compared and hashed by identity, which is cheap. A sweep makes each
    one once and reuses it, and the writer prepares its rows' shared parts once per
    object.
    """

    partnership_id: int
    ladder: str
    ladder_version: int
    step: str
    kind: str
    anchor_date: date
    due_on: date
    state: str
    """The action's state, which the decision leaves as it is (from and to)."""
    payload: Mapping[str, Any]
    recipients: tuple[Recipient, ...]


Fire = tuple[int, str, int, str, StepFiring]
"""One firing: the action's id and ref, its review's id and ref, the step. A plain tuple: a catch-up
makes a million."""

_DECISION_COLUMNS = ("id", *HASHED_FIELDS, "hash", "seal")
_LEDGER_COLUMNS = (
    "partnership_id",
    "action_id",
    "ladder",
    "ladder_version",
    "step",
    "anchor_date",
    "due_on",
    "fired_on",
    "decision_id",
)
_OUTBOX_COLUMNS = (
    "idempotency_key",
    "partnership_id",
    "decision_id",
    "kind",
    "review_id",
    "action_id",
    "recipient_role",
    "recipient_agency_id",
    "recipient_person_id",
    "status",
    "attempts",
    "next_attempt_at",
    "message_id",
    "created_at",
    "last_reply",
    "recipient_email",
)
_VARYING = ("action_id", "action_ref", "prev_hash", "seq")
"""The hashed fields in which one step's firings from one review differ (in canonical order)."""


@dataclass(frozen=True)
class _Prepared:
    """A step's shared row parts, in the driver's form."""

    decision: tuple[Any, ...]
    """actor_id .. at: the decision's columns between the action's ref and the previous hash."""
    ledger: tuple[Any, ...]
    """ladder .. fired_on."""
    outbox: tuple[tuple[str, str, int | None, int | None], ...]
    """Per recipient: the idempotency key after the decision id, role, agency, person."""
    fixed: dict[str, Any]
    """The hashed fields the step's firings share but the review's."""


class Firings(_Repo):
    def record(self, firings: Sequence[Fire], *, at: datetime, today: date, actor_name: str, actor_role: str) -> None:
        """Write each firing's decision (``escalated``, by ``actor_name`` in ``actor_role``, at ``at``),
        its ledger row (fired ``today``) and its outbox rows, in order, in three statements.

        Appends to each partnership's chain from its head; the caller holds the
        chain (``Decisions.lock_chain``, or SQLite's write lock).
        """
        if not firings:
            return
        conn = self._conn
        decisions = Decisions(conn)
        decision_insert = DriverInsert(conn, DECISION, _DECISION_COLUMNS)
        ledger_insert = DriverInsert(conn, ESCALATION, _LEDGER_COLUMNS)
        outbox_insert = DriverInsert(conn, OUTBOX, _OUTBOX_COLUMNS)
        decided_at = decision_insert.bind("at", at)
        queued_at = outbox_insert.bind("next_attempt_at", at)
        fired_on = ledger_insert.bind("fired_on", today)

        def prepare(step: StepFiring) -> _Prepared:
            payload = payload_json(step.payload)
            decision = (None, actor_name, actor_role, None, ESCALATED, step.state, step.state, "", "", "[]")
            ledger = (
                step.ladder,
                step.ladder_version,
                step.step,
                ledger_insert.bind("anchor_date", step.anchor_date),
                ledger_insert.bind("due_on", step.due_on),
                fired_on,
            )
            outbox = tuple(
                (outbox_key_suffix(step.kind, r), str(r.role), r.agency_id, r.person_id) for r in step.recipients
            )
            fixed: dict[str, Any] = dict(zip(_DECISION_COLUMNS[7:17], decision, strict=True))
            fixed |= {"partnership_id": step.partnership_id, "payload": payload, "at": at}
            return _Prepared((*decision, payload, decided_at), ledger, outbox, fixed)

        prepared: dict[StepFiring, _Prepared] = {}
        templates: dict[tuple[StepFiring, int], tuple[str, ...]] = {}
        heads: dict[int, tuple[int, str]] = {}
        decision_rows: list[tuple[Any, ...]] = []
        ledger_rows: list[tuple[Any, ...]] = []
        outbox_rows: list[tuple[Any, ...]] = []
        encode = encode_basestring
        ids = decisions.reserve_ids(len(firings))
        sealing = log_key(conn)
        for (action_id, action_ref, review_id, review_ref, step), decision_id in zip(firings, ids, strict=True):
            shared = prepared.get(step)
            if shared is None:
                shared = prepared[step] = prepare(step)
            template = templates.get((step, review_id))
            if template is None:
                fixed = shared.fixed | {"review_id": review_id, "review_ref": review_ref}
                template = templates[step, review_id] = content_template(fixed, _VARYING)
            partnership_id = step.partnership_id
            head = heads.get(partnership_id)
            seq, prev = decisions.head(partnership_id) if head is None else head
            seq += 1
            p0, p1, p2, p3, p4 = template
            # The canonical content, as ``content_template`` cut it: ids are ints and a hash is hex,
            # so their JSON is their text (quoted, for the hash); a ref may need escaping.
            content = f'{p0}{action_id}{p1}{encode(action_ref)}{p2}"{prev}"{p3}{seq}{p4}'
            digest = chained_hash(prev, content)
            heads[partnership_id] = (seq, digest)
            decision_rows.append(
                (
                    decision_id,
                    partnership_id,
                    seq,
                    review_id,
                    review_ref,
                    action_id,
                    action_ref,
                    *shared.decision,
                    prev,
                    digest,
                    seal(sealing, digest) if sealing is not None else None,
                )
            )
            ledger_rows.append((partnership_id, action_id, *shared.ledger, decision_id))
            for suffix, role, agency_id, person_id in shared.outbox:
                outbox_rows.append(
                    (
                        f"decision:{decision_id}{suffix}",
                        partnership_id,
                        decision_id,
                        step.kind,
                        review_id,
                        action_id,
                        role,
                        agency_id,
                        person_id,
                        PENDING,
                        0,
                        queued_at,
                        "",
                        queued_at,
                        "",
                        "",
                    )
                )
        decision_insert.run(decision_rows)
        ledger_insert.run(ledger_rows)
        outbox_insert.run(outbox_rows)
