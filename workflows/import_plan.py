"""Import a plan: write a ``PlanDraft`` in one unit of work, atomically and idempotently.

Importing the same review again compares it action by action (by ref): new
actions are added, changed text is updated (the action's version moves on, so a
concurrent edit conflicts), and actions no longer in the file are kept and
reported. State, evidence and the decision history are never touched. An
import that changes anything records one ``import_plan`` decision naming what
changed; one that changes nothing writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import structlog

from documents.errors import PlanImportError
from documents.plan import ActionDraft, PlanDraft, PlanWarning
from domain.model import Action, ReviewStatus, recommendation_numbers, ref_sort_key
from domain.roles import Role
from domain.states import State
from storage import mapping
from storage.uow import Tx
from workflows.attribution import coordinator
from workflows.clock import LONDON, Clock
from workflows.errors import InvalidInput
from workflows.unit_of_work import UowFactory

log = structlog.get_logger(__name__)


@dataclass
class ImportReport:
    partnership: str
    review_ref: str
    created_review: bool
    added: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)
    """Ref -> names of the fields whose text changed."""
    unchanged: int = 0
    missing: list[str] = field(default_factory=list)
    """Refs in the database that the file no longer holds (kept)."""
    warnings: list[PlanWarning] = field(default_factory=list)
    decision_id: int | None = None
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.created_review or self.added or self.updated)

    def to_json(self) -> dict[str, Any]:
        return {
            "partnership": self.partnership,
            "review_ref": self.review_ref,
            "created_review": self.created_review,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "missing": self.missing,
            "warnings": [str(w) for w in self.warnings],
            "dry_run": self.dry_run,
        }


def _values(draft: ActionDraft, agency_id: int, recommendation_id: int | None) -> dict[str, Any]:
    return mapping.columns_to_row(draft.columns) | {
        "agency_id": agency_id,
        "recommendation_id": recommendation_id,
        "target_date": draft.target_date,
        "route": str(draft.route),
    }


def _current_values(action: Action) -> dict[str, Any]:
    """What the plan said of ``action`` when last imported: after an approved extension, its own date."""
    return mapping.columns_to_row(action.columns) | {
        "agency_id": action.agency_id,
        "recommendation_id": action.recommendation_id,
        "target_date": action.original_target_date or action.target_date,
        "route": str(action.route),
    }


def _differences(action: Action, values: dict[str, Any]) -> dict[str, Any]:
    """The fields the file changes. The plan still giving its own date keeps an approved extension; a new date
    in the plan replaces both (the plan's date is then the target, the extension spent)."""
    current = _current_values(action)
    changes = {name: value for name, value in values.items() if current[name] != value}
    if "target_date" in changes and action.original_target_date is not None:
        changes["original_target_date"] = None
    return changes


def for_partnership(draft: PlanDraft, partnership: str | None) -> PlanDraft:
    """``draft`` for the partnership a person named: a plan goes to the partnership it names, or
    not at all; the named one only fills in for a plan that names none.

    Raises:
        PlanImportError: the plan names another partnership.
    """
    if not partnership or draft.partnership_short_name.lower() == partnership.lower():
        return draft
    if draft.partnership_short_name:
        named = f"the plan is {draft.partnership_short_name}'s, not {partnership}'s (--partnership)"
        raise PlanImportError(draft.source_name or "the plan", "", named)
    draft.partnership_short_name = partnership
    draft.partnership_name = draft.partnership_name or partnership
    return draft


async def import_plan(
    draft: PlanDraft,
    *,
    uow_factory: UowFactory,
    clock: Clock,
    actor_email: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Write ``draft``; with ``dry_run`` compute the same report and write nothing.

    ``actor_email`` names the coordinator who imports; it may be left out only
    while the partnership has no coordinator (``workflows.attribution``).

    A plan that names no partnership goes to the partnership of the coordinator who imports it.

    Raises:
        InvalidInput: no partnership named or known from the actor, or the actor may not import.
    """
    at = clock.now()
    async with uow_factory() as uow:
        if not draft.partnership_short_name.strip():
            await uow.run(_to_importers_partnership, draft, actor_email)
        report = ImportReport(draft.partnership_short_name, draft.review_ref, False, warnings=list(draft.warnings))
        report.dry_run = dry_run
        await uow.run(_import_in, draft, actor_email, at, report)
        if not dry_run:
            await uow.commit()
    log.info(
        "plan_imported" if not dry_run else "plan_import_previewed",
        review_ref=draft.review_ref,
        added=len(report.added),
        updated=len(report.updated),
        warnings=len(report.warnings),
    )
    return report


def _to_importers_partnership(tx: Tx, draft: PlanDraft, actor_email: str | None) -> None:
    """Fill in the partnership of a plan that names none from the coordinator importing it."""
    person = tx.people.by_email(actor_email) if actor_email else None
    partnership = next((p for p in tx.partnerships.all() if person and p["id"] == person.partnership_id), None)
    if person is None or person.role is not Role.COORDINATOR or partnership is None:
        raise InvalidInput(
            f"{draft.source_name or 'the plan'} names no partnership: "
            "give --partnership SHORT_NAME, or import it --as its partnership's coordinator"
        )
    draft.partnership_short_name = partnership["short_name"]
    draft.partnership_name = draft.partnership_name or partnership["name"]


def _import_in(tx: Tx, draft: PlanDraft, actor_email: str | None, at: datetime, report: ImportReport) -> None:
    """The import's transaction: everything it writes, filling in ``report``."""
    today = at.astimezone(LONDON).date()
    partnership_id = _partnership(tx, draft)
    tx.decisions.lock_chain(partnership_id)  # before any row: one lock order for every writer
    actor = coordinator(tx, partnership_id, draft.partnership_short_name, actor_email, "imports plans")

    agency_ids = {a.name: a.id for a in tx.agencies.in_partnership(partnership_id)}
    for name in [*draft.agencies, *(a.agency for a in draft.actions)]:
        if name not in agency_ids:
            agency_ids[name] = tx.agencies.add(partnership_id, name)

    review = tx.reviews.by_ref(partnership_id, draft.review_ref)
    if review is None:
        review_id = tx.reviews.add(partnership_id, draft.review_ref, draft.title)
        report.created_review = True
    elif review.status is ReviewStatus.SIGNED_OFF:
        raise InvalidInput(f"review {review.ref} is signed off: its plan is frozen and takes no import")
    else:
        review_id = review.id

    rec_ids = _recommendations(tx, review_id, draft)
    existing = {a.ref: a for a in tx.actions.for_review(review_id)}
    positions = tx.actions.positions(review_id)
    moved: dict[int, int] = {}
    for position, action_draft in enumerate(draft.actions):
        rec_id = rec_ids[action_draft.recommendation] if action_draft.recommendation is not None else None
        values = _values(action_draft, agency_ids[action_draft.agency], rec_id)
        current = existing.pop(action_draft.ref, None)
        if current is None:
            new = values | {"review_id": review_id, "ref": action_draft.ref, "state": "open", "position": position}
            new["next_step_due_on"] = today  # the next sweep finds where it stands on its ladder
            tx.actions.add(new)
            report.added.append(action_draft.ref)
            continue
        if positions.get(current.id) != position:
            moved[current.id] = position
        changes = _differences(current, values)
        if current.state is not State.OPEN:
            for name, (label, kept) in _FIXED_ONCE_UNDER_WAY.items():
                # A route or agency change would let evidence skip the check it was submitted for.
                if name in changes:
                    where = action_draft.location
                    report.warnings.append(
                        PlanWarning(where, f"{action_draft.ref} is {current.state}: its {label} is kept")
                    )
                    for column in kept:
                        changes.pop(column, None)
        if not changes:
            report.unchanged += 1
            continue
        recheck = (
            {"next_step_due_on": today} if _LADDER_INPUTS.intersection(changes) and not current.state.is_final else {}
        )
        tx.actions.update_versioned(current, current.version, changes | recheck)
        report.updated[action_draft.ref] = sorted(changes)
        tx.decisions.append(
            actor.decision(
                event="plan_updated",
                at=at,
                review_id=review_id,
                review_ref=draft.review_ref,
                action_id=current.id,
                action_ref=current.ref,
                from_state=str(current.state),
                to_state=str(current.state),
                payload={"source": draft.source_name, "changes": _changes_for_log(current, changes)},
            )
        )
    tx.actions.set_positions(moved)
    report.missing = sorted(existing, key=ref_sort_key)

    if report.changed:
        report.decision_id = tx.decisions.append(
            actor.decision(
                event="import_plan",
                at=at,
                review_id=review_id,
                review_ref=draft.review_ref,
                payload={
                    "source": draft.source_name,
                    "sha256": draft.source_sha256,
                    "added": report.added,
                    "updated": report.updated,
                    "missing": report.missing,
                    "warnings": len(report.warnings),
                },
            )
        )


_LADDER_INPUTS = frozenset({"target_date", "route"})
"""Changes that move an action's ladder: the sweep looks at it again."""

_FIXED_ONCE_UNDER_WAY = {
    "route": ("route", ("route", "quality_assured_by")),
    "agency_id": ("agency", ("agency_id", "recommendation_id")),
}
"""Fields an import may not change once evidence is in (the check it was submitted for must stand),
each with the columns that go with it: the route's text, the agency section's recommendation."""


def _changes_for_log(action: Action, changes: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Old and new value of every changed field, as JSON: the log keeps what the plan said before."""
    before = _current_values(action) | {"original_target_date": action.original_target_date}

    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, date) else value

    return {name: {"from": plain(before[name]), "to": plain(value)} for name, value in sorted(changes.items())}


def _partnership(tx: Tx, draft: PlanDraft) -> int:
    found = tx.partnerships.by_short_name(draft.partnership_short_name)
    if found is not None:
        return int(found["id"])
    return tx.partnerships.add(draft.partnership_name, draft.partnership_short_name)


def _recommendations(tx: Tx, review_id: int, draft: PlanDraft) -> list[int]:
    """Ids for the draft's grouping rows; the same text under two agencies is one recommendation."""
    known = {r.text: r.id for r in tx.recommendations.for_review(review_id)}
    ids = []
    for position, rec in enumerate(draft.recommendations):
        if rec.text not in known:
            numbers = ",".join(str(n) for n in recommendation_numbers(rec.text))
            known[rec.text] = tx.recommendations.add(review_id, rec.text, numbers, position)
        ids.append(known[rec.text])
    return ids
