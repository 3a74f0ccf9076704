"""Import a plan: write a ``PlanDraft`` in one unit of work, atomically and idempotently.

Importing the same review again compares it action by action (by ref): new
actions are added, changed text is updated (the action's version moves on, so a
concurrent edit conflicts), and actions no longer in the file are kept and
reported. State, evidence and the decision history are never touched. An
import that changes anything records one ``import_plan`` decision naming what
changed; one that changes nothing writes nothing.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from documents.columns import field_for_header, normalise_header
from documents.errors import PlanImportError
from documents.plan import ActionDraft, PlanDraft, PlanWarning
from domain.addressees import normalise, read_addressee
from domain.ladders import REPORTED_COMPLETE
from domain.milestones import published_on
from domain.model import Action, Note, Recommendation, ReviewStatus, recommendation_numbers, ref_sort_key
from domain.review_kinds import DEFAULT_KIND, ReviewKind, kind_by_key, kind_named_in
from domain.roles import Role
from domain.states import State
from storage import mapping
from storage.private_files import private_folder, write_private
from storage.repositories import DecisionDraft
from workflows.context import Attribution, coordinator, decision_about, partnership_by_id, partnership_id
from workflows.errors import InvalidInput
from workflows.ports import Tx, UowFactory
from workflows.runtime.clock import LONDON, Clock
from workflows.runtime.observability import get_logger

log = get_logger(__name__)


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
    reported_complete: list[str] = field(default_factory=list)
    """Refs the plan newly reports done: they go on the reported-complete list, still open."""
    plan_changes: list[str] = field(default_factory=list)
    """What changed beside the actions: ``notes``, a recommendation's scope."""
    warnings: list[PlanWarning] = field(default_factory=list)
    decision_id: int | None = None
    dry_run: bool = False
    frozen: bool = False
    """The review is signed off, so nothing was imported (the demo's second run says so rather than fail)."""
    kind: ReviewKind | None = None
    """The review's kind: as the document names it, else as given (``--kind``), else a DARDR."""

    @property
    def changed(self) -> bool:
        return bool(self.created_review or self.added or self.updated or self.plan_changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "partnership": self.partnership,
            "review_ref": self.review_ref,
            "created_review": self.created_review,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "missing": self.missing,
            "reported_complete": self.reported_complete,
            "plan_changes": self.plan_changes,
            "warnings": [str(w) for w in self.warnings],
            "dry_run": self.dry_run,
            "kind": self.kind.to_json() if self.kind else None,
        }


def _values(
    draft: ActionDraft, agency_id: int, recommendation_id: int | None, published: date | None = None
) -> dict[str, Any]:
    """The action's row as the plan gives it; a target counted from publication is dated at once when the
    review is published already (``published``)."""
    after = draft.target_after
    target_date = draft.target_date
    if target_date is None and after is not None and published is not None:
        target_date = after.date_from(published)
    return mapping.columns_to_row(draft.columns) | {
        "agency_id": agency_id,
        "recommendation_id": recommendation_id,
        "target_date": target_date,
        "target_after_months": after.months if after else None,
        "target_after_event": after.event if after else "",
        "route": str(draft.route),
        "reported_complete": draft.reported_complete,
        "reported_complete_on": draft.reported_complete_on,
    }


def _current_values(action: Action) -> dict[str, Any]:
    """What the plan said of ``action`` when last imported: after an approved extension, its own date."""
    return mapping.columns_to_row(action.columns) | {
        "agency_id": action.agency_id,
        "recommendation_id": action.recommendation_id,
        "target_date": action.original_target_date or action.target_date,
        "target_after_months": action.target_after.months if action.target_after else None,
        "target_after_event": action.target_after.event if action.target_after else "",
        "route": str(action.route),
        "reported_complete": action.reported_complete,
        "reported_complete_on": action.reported_complete_on,
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
    remember: dict[str, str] | None = None,
) -> ImportReport:
    """Write ``draft``; with ``dry_run`` compute the same report and write nothing.

    ``actor_email`` names the coordinator who imports; it may be left out only
    while the partnership has no coordinator (``workflows.context``).

    ``remember`` is the header-to-field mapping the coordinator chose for this plan (``--map``, the preview's
    select boxes): the partnership keeps each header read otherwise than its synonyms would read it, and
    forgets one set back to that reading, so that the next plan in this layout imports without asking.

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
        await uow.run(_import_in, draft, actor_email, at, report, remember or {})
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
    partnership = next((p for p in tx.partnerships.all() if person and p.id == person.partnership_id), None)
    if person is None or person.role is not Role.COORDINATOR or partnership is None:
        raise InvalidInput(
            f"{draft.source_name or 'the plan'} names no partnership: "
            "give --partnership SHORT_NAME, or import it --as its partnership's coordinator"
        )
    draft.partnership_short_name = partnership.short_name
    draft.partnership_name = draft.partnership_name or partnership.name


def _import_in(
    tx: Tx, draft: PlanDraft, actor_email: str | None, at: datetime, report: ImportReport, remember: dict[str, str]
) -> None:
    """The import's transaction: everything it writes, filling in ``report``."""
    today = at.astimezone(LONDON).date()
    partnership_id = _partnership(tx, draft)
    tx.decisions.lock_chain(partnership_id)  # before any row: one lock order for every writer
    actor = coordinator(tx, partnership_id, draft.partnership_short_name, actor_email, "imports plans")
    mapped = _remember(tx, partnership_id, actor, remember, at)
    report.plan_changes += [
        f"column {header!r} remembered as {name}" if name else f"column {header!r} read by its synonyms again"
        for header, name in mapped.items()
    ]

    agency_ids = {a.name: a.id for a in tx.agencies.in_partnership(partnership_id)}
    for name in [*draft.agencies, *(a.agency for a in draft.actions)]:
        if name not in agency_ids:
            agency_ids[name] = tx.agencies.add(partnership_id, name)

    kind = _kind(tx, draft, report)
    review = tx.reviews.by_ref(partnership_id, draft.review_ref)
    if review is None:
        review_id = tx.reviews.add(partnership_id, draft.review_ref, draft.title)
        tx.reviews.set_kind(review_id, kind.key)
        report.created_review = True
    elif review.status is ReviewStatus.SIGNED_OFF:
        raise InvalidInput(f"review {review.ref} is signed off: its plan is frozen and takes no import")
    else:
        review_id = review.id
        if review.kind != kind.key and (draft.kind or kind_named_in(draft.title, tx.review_kinds.all())):
            tx.reviews.set_kind(review_id, kind.key)  # said again, otherwise: a review's kind is kept
            report.plan_changes.append(f"kind {review.kind} to {kind.key}")
    if review is None or review.imported_on is None:
        first = tx.milestones.first_import_at(review_id) if review is not None else None
        tx.milestones.set_imported_on(review_id, first.astimezone(LONDON).date() if first else today)
    published = published_on(tx.milestones.for_reviews([review_id]).get(review_id, []))
    notes = tuple(draft.notes)
    if _note_texts(notes) != _note_texts(review.notes if review is not None else ()):
        tx.reviews.set_notes(review_id, notes)
        if review is not None:
            report.plan_changes.append("notes")

    rec_ids = _recommendations(tx, review_id, draft, report, list(agency_ids))
    existing = {a.ref: a for a in tx.actions.for_review(review_id)}
    positions = tx.actions.positions(review_id)
    moved: dict[int, int] = {}
    for position, action_draft in enumerate(_stable_refs(draft.actions, existing, agency_ids, report)):
        rec_id = rec_ids[action_draft.recommendation] if action_draft.recommendation is not None else None
        values = _values(action_draft, agency_ids[action_draft.agency], rec_id, published)
        current = existing.pop(action_draft.ref, None)
        if current is None:
            new = values | {"review_id": review_id, "ref": action_draft.ref, "state": "open", "position": position}
            new["next_step_due_on"] = today  # the next sweep finds where it stands on its ladder
            action_id = tx.actions.add(new)
            report.added.append(action_draft.ref)
            if action_draft.reported_complete:
                tx.decisions.append(_reported_complete(actor, draft, action_draft, review_id, action_id, at))
                report.reported_complete.append(action_draft.ref)
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
        if action_draft.reported_complete and not current.reported_complete:
            tx.decisions.append(
                _reported_complete(actor, draft, action_draft, review_id, current.id, at, current.state)
            )
            report.reported_complete.append(action_draft.ref)
        tx.decisions.append(
            decision_about(
                actor,
                actor.partnership_id,
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
            decision_about(
                actor,
                actor.partnership_id,
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
                    "reported_complete": report.reported_complete,
                    "plan_changes": report.plan_changes,
                    "mapping": mapped,
                    "warnings": len(report.warnings),
                    "kind": report.kind.key if report.kind else "",
                },
            )
        )


def _kind(tx: Tx, draft: PlanDraft, report: ImportReport) -> ReviewKind:
    """The review's kind: the one the importer gave (``--kind``), else the one its title names, else a DARDR. A kind
    given that the title contradicts wins, with a warning naming both (the coordinator knows what they import).

    Raises:
        UnknownReviewKind: ``--kind`` names no kind; the message lists the kinds.
    """
    kinds = tx.review_kinds.all()
    given = kind_by_key(draft.kind, kinds) if draft.kind.strip() else None
    named = kind_named_in(draft.title, kinds)
    if given is not None and named is not None and named[0].key != given.key:
        said = f"the document calls itself a {named[1]!r} ({named[0].abbreviation})"
        taken = f"imported as a {given.name}, the kind given ({given.key})"
        report.warnings.append(PlanWarning("title", f"{said}: {taken}"))
    kind = given or (named[0] if named else None) or kind_by_key(DEFAULT_KIND, kinds)
    report.kind = kind
    return kind


def _stable_refs(
    drafts: list[ActionDraft], existing: dict[str, Action], agency_ids: dict[str, int], report: ImportReport
) -> list[ActionDraft]:
    """The drafts with the refs they keep: an action dhrflow numbers (the plan gives it no ref) keeps the ref
    it was imported with when its agency and text are found again, wherever it now stands, so that
    inserting an action mid-plan neither renumbers the ones below nor moves their history onto another.

    An action not found again that stands where one no longer found stood (after the same action found
    again, for the same agency), with a text alike (``_EDITED``), is that action with its text edited. Any
    other is new: it takes the number of its place if that is free, else the next free one at that level
    (a text rewritten whole is a new action and the old one is reported missing: history is never moved
    onto words it was not recorded against).
    """
    if not existing or not any(d.numbered for d in drafts):
        return drafts

    def key(agency_id: int, text: str) -> tuple[int, str]:
        return agency_id, " ".join(text.split()).casefold()

    written = {d.ref for d in drafts if not d.numbered}  # refs the plan itself gives: theirs, whatever the text
    by_text: dict[tuple[int, str], list[str]] = {}
    for ref, action in existing.items():
        if ref not in written:
            by_text.setdefault(key(action.agency_id, action.columns.action), []).append(ref)
    refs: dict[int, str] = {}
    for n, d in enumerate(drafts):
        if d.numbered and (found := by_text.get(key(agency_ids[d.agency], d.columns.action))):
            refs[n] = found.pop(0)
    found_again = set(refs.values())
    vacated: dict[str | None, list[str]] = {}  # after which action found again, the ones not found (in order)
    anchor: str | None = None
    for ref in existing:  # in the order of the document as last imported
        if ref in found_again:
            anchor = ref
        elif ref not in written:
            vacated.setdefault(anchor, []).append(ref)
    unplaced: dict[str | None, list[int]] = {}
    anchor = None
    for n, d in enumerate(drafts):
        if n in refs:
            anchor = refs[n]
        elif d.numbered:
            unplaced.setdefault(anchor, []).append(n)
    for gap, numbers in unplaced.items():
        refs |= _edited_in_place(drafts, numbers, [existing[r] for r in vacated.get(gap, [])], agency_ids)
    taken = written | set(refs.values())
    for n, d in enumerate(drafts):
        if d.numbered and n not in refs:
            ref = d.ref if d.ref not in taken and d.ref not in existing else _next_free(d.ref, taken | set(existing))
            refs[n] = ref
            taken.add(ref)
    kept = []
    for n, d in enumerate(drafts):
        if n in refs and refs[n] != d.ref:
            message = f"{_short(d.columns.action)!r} keeps the ref {refs[n]} it was imported with (not {d.ref})"
            if refs[n] not in existing:
                message = f"{_short(d.columns.action)!r} is new: numbered {refs[n]}, as {d.ref} is taken"
            report.warnings.append(PlanWarning(d.location, message))
            d = replace(d, ref=refs[n])
        kept.append(d)
    return kept


_EDITED = 0.6
"""How alike (``difflib`` ratio) an action's new text must be to an old one's to be read as that action
edited rather than a new one."""


def _edited_in_place(
    drafts: list[ActionDraft], numbers: list[int], vacated: list[Action], agency_ids: dict[str, int]
) -> dict[int, str]:
    """Which of the drafts ``numbers`` (not found again, in one gap) are the ``vacated`` actions edited."""
    pairs = sorted(
        (
            (SequenceMatcher(None, drafts[n].columns.action, action.columns.action).ratio(), n, action.ref)
            for n in numbers
            for action in vacated
            if agency_ids[drafts[n].agency] == action.agency_id
        ),
        reverse=True,
    )
    chosen: dict[int, str] = {}
    for ratio, n, ref in pairs:
        if ratio >= _EDITED and n not in chosen and ref not in chosen.values():
            chosen[n] = ref
    return chosen


def _next_free(ref: str, used: set[str]) -> str:
    """The next ref after ``ref`` at its level ("2.3" gives "2.4", "7" gives "8") that ``used`` lacks."""
    base, _, last = ref.rpartition(".")
    place = int(last) if last.isdigit() else 0
    while True:
        place += 1
        candidate = f"{base}.{place}" if base else str(place)
        if candidate not in used:
            return candidate


_LADDER_INPUTS = frozenset({"target_date", "route", "target_after_months"})
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
        return found.id
    return tx.partnerships.add(draft.partnership_name, draft.partnership_short_name)


def _recommendations(tx: Tx, review_id: int, draft: PlanDraft, report: ImportReport, agencies: list[str]) -> list[int]:
    """Ids for the draft's grouping rows; the same text under two agencies is one recommendation. A scope the
    plan now gives (or changes) is written to the recommendation; a plan silent on scope leaves it. The addressee
    is the plan's addressee column, else the body its text opens with ("The Home Office should ..."), else none;
    a recommendation that has one (the coordinator's, maybe) keeps it."""
    known = {r.text: r for r in tx.recommendations.for_review(review_id)}
    ids = []
    for position, rec in enumerate(draft.recommendations):
        found = known.get(rec.text)
        addressee = normalise(rec.addressee, agencies) or read_addressee(rec.text, agencies)
        if found is None:
            numbers = ",".join(str(n) for n in recommendation_numbers(rec.text))
            rec_id = tx.recommendations.add(review_id, rec.text, numbers, position, rec.scope, addressee)
            found = Recommendation(rec_id, review_id, rec.text, scope=rec.scope, addressee=addressee)
            known[rec.text] = found
            ids.append(found.id)
            continue
        if rec.scope and rec.scope != found.scope:
            tx.recommendations.set_scope(found.id, rec.scope)
            report.plan_changes.append(f"scope of {_short(rec.text)}")
        if addressee and not found.addressee:
            tx.recommendations.set_addressee(found.id, addressee)
            report.plan_changes.append(f"addressee of {_short(rec.text)}")
        ids.append(found.id)
    return ids


def _note_texts(notes: tuple[Note, ...]) -> list[str]:
    """Notes as compared between imports: an export writes each on one line, so line breaks do not count."""
    return [" ".join(note.text.split()) for note in notes]


def _short(text: str, most: int = 40) -> str:
    """The start of a recommendation's text, to name it in a report."""
    flat = " ".join(text.split())
    return flat if len(flat) <= most else flat[: most - 1] + "…"


def _reported_complete(
    actor: Attribution,
    draft: PlanDraft,
    action: ActionDraft,
    review_id: int,
    action_id: int,
    at: datetime,
    state: State = State.OPEN,
) -> DecisionDraft:
    """The record that the plan reports ``action`` done, dated as the plan dates it: a note on the action's
    timeline (it does not move it) and an entry of the reported-complete list."""
    return decision_about(
        actor,
        actor.partnership_id,
        event=REPORTED_COMPLETE,
        at=at,
        review_id=review_id,
        review_ref=draft.review_ref,
        action_id=action_id,
        action_ref=action.ref,
        from_state=str(state),
        to_state=str(state),
        payload={
            "source": draft.source_name,
            "on": action.reported_complete_on.isoformat() if action.reported_complete_on else None,
        },
    )


def _remember(tx: Tx, partnership_id: int, actor: Attribution, chosen: dict[str, str], at: datetime) -> dict[str, str]:
    """Keep the coordinator's column choices for the partnership; what changed, header to field ("" for a
    header forgotten because it is read as its synonyms read it again)."""
    changed: dict[str, str] = {}
    for header, name in chosen.items():
        key = normalise_header(header)
        if not key:
            continue
        if name == field_for_header(header):  # an unknown header kept as written is remembered: no more warning
            if tx.import_mappings.remove(partnership_id, key) is not None:
                changed[header] = ""
        elif tx.import_mappings.put(partnership_id, key, header, name, at, actor.person_id):
            changed[header] = name
    return changed


async def remembered_mapping(
    reader: UowFactory, *, partnership: str | None = None, actor_email: str | None = None
) -> dict[str, str]:
    """The header-to-field mapping the partnership remembers: the partnership named, else the one of the
    person importing; empty when neither is known yet (a first plan names its own)."""

    def read(tx: Tx) -> dict[str, str]:
        pid: int | None = None
        if partnership:
            found = tx.partnerships.by_short_name(partnership)
            pid = found.id if found is not None else None
        elif actor_email and (person := tx.people.by_email(actor_email)) is not None:
            pid = person.partnership_id
        return dict(tx.import_mappings.for_partnership(pid)) if pid is not None else {}

    async with reader() as uow:
        return await uow.run(read)


async def mappings(reader: UowFactory, partnership: str | None = None) -> list[tuple[str, str]]:
    """The partnership's remembered mapping: ``(header as written, field)``, by header."""

    def read(tx: Tx) -> list[tuple[str, str]]:
        return tx.import_mappings.for_partnership(partnership_id(tx, partnership))

    async with reader() as uow:
        return await uow.run(read)


async def forget_mapping(
    header: str, *, uow_factory: UowFactory, clock: Clock, actor_email: str | None, partnership: str | None = None
) -> str:
    """Forget how the partnership reads ``header``: the next plan reads it by its synonyms again (or keeps it
    verbatim, with a warning). Returns the field it was mapped to.

    Raises:
        InvalidInput: no such header is remembered, or the actor is not the partnership's coordinator.
    """
    at = clock.now()

    def forget(tx: Tx) -> str:
        pid = partnership_id(tx, partnership)
        short_name = partnership_by_id(tx, pid).short_name
        tx.decisions.lock_chain(pid)
        actor = coordinator(tx, pid, short_name, actor_email, "maps plan columns")
        name = tx.import_mappings.remove(pid, normalise_header(header))
        if name is None:
            known = ", ".join(repr(h) for h, _ in tx.import_mappings.for_partnership(pid)) or "none"
            raise InvalidInput(f"no column mapping for {header!r} in {short_name} (remembered: {known})")
        tx.decisions.append(
            decision_about(
                actor,
                actor.partnership_id,
                event="import_mapping_forgotten",
                at=at,
                payload={"header": header, "field": name},
            )
        )
        return name

    async with uow_factory() as uow:
        name = await uow.run(forget)
        await uow.commit()
    log.info("import_mapping_forgotten", field=name)
    return name


UPLOAD_HOURS = 24
"""How long an uploaded plan waits for its confirmation; older ones go when the next is uploaded."""

UPLOADED_NAME = re.compile(r"^[0-9a-f]{64}\.(txt|tsv|docx|xlsx|csv)$")
"""A kept upload's name: the SHA-256 of its content and its type. Nothing else in the uploads folder is
touched, and no other name (from a form, say) is opened there."""


def keep_upload(folder: Path, stored: str, content: bytes) -> None:
    """Keep an uploaded plan as ``folder / stored`` until it is confirmed, readable by the service account
    only (the file 0600, a folder made here 0700); uploads left unconfirmed for ``UPLOAD_HOURS`` go first.

    Blocking file work: call it off the event loop.

    Raises:
        InvalidInput: ``stored`` is not a kept upload's name (``UPLOADED_NAME``).
    """
    if not UPLOADED_NAME.match(stored):
        raise InvalidInput(f"{stored!r} is not the name of a kept upload")
    # The files' times are the file system's: compared with the machine's clock, not an injected Clock.
    old = time.time() - UPLOAD_HOURS * 3600
    for kept in private_folder(folder).iterdir():
        if UPLOADED_NAME.match(kept.name) and kept.stat().st_mtime < old:
            kept.unlink(missing_ok=True)
    write_private(folder / stored, content)
