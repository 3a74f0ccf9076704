"""Each review summarised: its actions by state, RAG colour and agency, its recommendations and notes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain.rag import RagPolicy
from domain.states import State
from workflows.ports import Tx, UowFactory
from workflows.queries.actions import views_of

_FINAL = frozenset(str(s) for s in State if s.is_final)


@dataclass(frozen=True)
class ReviewSummary:
    partnership: str
    review_ref: str
    title: str
    status: str
    actions: int
    by_state: dict[str, int]
    by_rag: dict[str, int]
    by_agency: dict[str, dict[str, int]]
    """Agency -> RAG colour -> count."""
    recommendations: list[str]
    """The review's recommendations in numeric order (8 before 10), then its theme rows."""
    signed_off_sha256: str = ""
    """The SHA-256 of the plan frozen at sign-off, once signed off."""
    reported_complete: int = 0
    """Actions the plan reported done that the partnership has yet to assure or withdraw."""
    notes: list[dict[str, str]] = field(default_factory=list)
    """What the plan says beside its actions (``location``, ``text``), verbatim."""
    scopes: dict[str, int] = field(default_factory=dict)
    """Recommendations by scope (``local``, ``regional``, ``national``, ``unstated``)."""

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


async def review_summaries(reader: UowFactory, *, today: date, policy: RagPolicy) -> list[ReviewSummary]:
    async with reader() as uow:
        return await uow.run(_review_summaries_in, today, policy)


def _review_summaries_in(tx: Tx, today: date, policy: RagPolicy) -> list[ReviewSummary]:
    summaries = []
    for p in tx.partnerships.all():
        for review in tx.reviews.in_partnership(p.id):
            rows = [(review.ref, a) for a in tx.actions.for_review(review.id)]
            views = views_of(tx, p.id, rows, today, policy)
            recommendations = tx.recommendations.for_review(review.id)
            scopes = Counter(str(s) for r in recommendations for s in r.scope)
            scopes["unstated"] = sum(1 for r in recommendations if not r.scope)
            by_agency: dict[str, Counter[str]] = {}
            for v in views:
                by_agency.setdefault(v.agency, Counter())[str(v.rag)] += 1
            summaries.append(
                ReviewSummary(
                    partnership=p.short_name,
                    review_ref=review.ref,
                    title=review.title,
                    status=str(review.status),
                    actions=len(views),
                    by_state=dict(Counter(v.state for v in views)),
                    by_rag=dict(Counter(str(v.rag) for v in views)),
                    by_agency={name: dict(c) for name, c in by_agency.items()},
                    recommendations=[r.text for r in recommendations],
                    signed_off_sha256=signed.sha256 if (signed := tx.signoffs.for_review(review.id)) else "",
                    reported_complete=sum(1 for v in views if v.reported_complete and v.state not in _FINAL),
                    notes=[{"location": n.location, "text": n.text} for n in review.notes],
                    scopes={name: n for name, n in scopes.items() if n},
                )
            )
    return summaries
