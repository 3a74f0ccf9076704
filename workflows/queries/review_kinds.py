"""The review kinds, read for what names a review to a person: the import form's choice, and the labels
("DARDR BDHR2011/12-03", "SAR SAR-2021-22-01") that lists, pages, mails and exports show.

A list labels its rows from one read of the kinds and one of its partnership's reviews' kinds (``Labels``), never
a read per row.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from domain.review_kinds import DEFAULT_KIND, ReviewKind, former_name_used, kind_named_in
from workflows.ports import Tx, UowFactory


async def review_kinds(reader: UowFactory) -> list[ReviewKind]:
    """Every kind, by key: what the import form offers."""
    async with reader() as uow:
        return await uow.run(_all)


def _all(tx: Tx) -> list[ReviewKind]:
    return tx.review_kinds.all()


@dataclass(frozen=True)
class Labels:
    """The kinds of a partnership's reviews, read once, labelling each review by its ref."""

    by_ref: dict[str, ReviewKind] = field(default_factory=dict)

    def kind(self, ref: str) -> ReviewKind | None:
        return self.by_ref.get(ref)

    def label(self, ref: str) -> str:
        """ "DARDR BDHR2011/12-03"; the ref alone for a review it does not know (or none)."""
        kind = self.by_ref.get(ref)
        return kind.label(ref) if kind and ref else ref


def labels_in(tx: Tx, partnership_id: int | None) -> Labels:
    """The labels of ``partnership_id``'s reviews (none for no partnership): two statements, whatever the list."""
    if partnership_id is None:
        return Labels()
    kinds = {k.key: k for k in tx.review_kinds.all()}
    keys = tx.review_kinds.keys_by_ref(partnership_id)
    return Labels({ref: kinds[key] for ref, key in keys.items() if key in kinds})


def kinds_of(tx: Tx, review_ids: Collection[int]) -> dict[int, ReviewKind]:
    """The kind of each of these reviews, by id."""
    kinds = {k.key: k for k in tx.review_kinds.all()}
    keys = tx.review_kinds.keys_by_id(review_ids)
    return {i: kinds[key] for i, key in keys.items() if key in kinds}


def kind_of(tx: Tx, review_id: int) -> ReviewKind:
    """The kind of review ``review_id``: a DARDR for a review the table does not know (it always does)."""
    found = kinds_of(tx, [review_id]).get(review_id) or tx.review_kinds.by_key(DEFAULT_KIND)
    return found or ReviewKind(DEFAULT_KIND, "Domestic Abuse Related Death Review", "DARDR", "")


def name_used(kind: ReviewKind, title: str, kinds: Collection[ReviewKind]) -> str:
    """The former name the plan's ``title`` calls its kind by ("Domestic Homicide Review"), when it names this
    kind by a name not its own; "" otherwise (its own name, another kind's, or none)."""
    named = kind_named_in(title, kinds)
    if named is None or named[0].key != kind.key:
        return ""
    return former_name_used(kind, named[1])
