"""In-memory storage for the use cases: every repository of ``workflows.ports.Tx``, dict- and list-backed,
and a unit of work that commits by keeping what the work did and rolls back by restoring a copy.

The fakes keep the rules the database keeps for the use cases (a version that moved on is a conflict, a
step fires once, an outbox key is unique) and nothing else. The real databases: ``tests/integration``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from types import TracebackType
from typing import Any, Concatenate, ParamSpec, TypeVar

from tests.unit.fakes.accounts import (
    FakeApiTokens,
    FakeCalendarFeeds,
    FakeCredentials,
    FakeEvidenceAccess,
    FakePasswordResets,
    FakeSessions,
    FakeSignInAttempts,
)
from tests.unit.fakes.clock import FakeBoardMeetings, FakeDeputies, FakeEscalations, FakeFirings, FakeLadders
from tests.unit.fakes.impact import FakeImpactChecks, FakeReviewKinds
from tests.unit.fakes.log import FakeAudit, FakeDecisions, FakeReports
from tests.unit.fakes.notices import FakeOutbox
from tests.unit.fakes.plans import (
    FakeActions,
    FakeAgencies,
    FakeEvidence,
    FakeExtensions,
    FakeImportMappings,
    FakeMilestones,
    FakePartnerships,
    FakePeople,
    FakeRecommendations,
    FakeReviews,
    FakeSignOffs,
    FakeThemes,
)
from workflows import ports

P = ParamSpec("P")
T = TypeVar("T")


class FakeTx:
    """The repositories of the in-memory database; every unit of work opened on it shares them."""

    def __init__(self) -> None:
        self.partnerships = FakePartnerships()
        self.people = FakePeople()
        self.agencies = FakeAgencies()
        self.reviews = FakeReviews()
        self.recommendations = FakeRecommendations()
        self.milestones = FakeMilestones(self)
        self.actions = FakeActions(self)
        self.extensions = FakeExtensions(self)
        self.evidence = FakeEvidence()
        self.signoffs = FakeSignOffs()
        self.themes = FakeThemes(self)
        self.import_mappings = FakeImportMappings()
        self.decisions = FakeDecisions()
        self.reports = FakeReports(self)
        self.audit = FakeAudit()
        self.outbox = FakeOutbox(self)
        self.escalations = FakeEscalations(self)
        self.ladders = FakeLadders()
        self.firings = FakeFirings(self)
        self.board_meetings = FakeBoardMeetings(self)
        self.deputies = FakeDeputies()
        self.credentials = FakeCredentials()
        self.sign_in_attempts = FakeSignInAttempts()
        self.sessions = FakeSessions(self)
        self.api_tokens = FakeApiTokens(self)
        self.evidence_access = FakeEvidenceAccess()
        self.password_resets = FakePasswordResets()
        self.calendar_feeds = FakeCalendarFeeds()
        self.impact_checks = FakeImpactChecks(self)
        self.review_kinds = FakeReviewKinds(self)
        self.commits = 0

    def snapshot(self) -> Snapshot:
        """A copy of what every repository holds (not what steers the fakes)."""
        return {
            name: {k: copy.deepcopy(v) for k, v in vars(repo).items() if k not in _NOT_DATA}
            for name, repo in vars(self).items()
            if name != "commits"
        }

    def restore(self, saved: Snapshot) -> None:
        """Put back what ``snapshot`` copied."""
        for name, held in saved.items():
            vars(getattr(self, name)).update(held)


Snapshot = dict[str, dict[str, Any]]
_NOT_DATA = frozenset({"db", "conflicts_to_raise", "landed", "broken"})
"""Attributes of a fake that are not the database's: its link to the others, and what a test steers."""


def _nobody(_action_id: int) -> None:
    return None


class FakeUnitOfWork:
    """Commits by keeping what the work did; rolls back by restoring the copy taken at the start."""

    def __init__(self, tx: FakeTx) -> None:
        self.tx = tx
        self._committed = False

    async def __aenter__(self) -> FakeUnitOfWork:
        self._saved = self.tx.snapshot()
        self.tx.actions.landed = self._keep_landed
        return self

    def _keep_landed(self, action_id: int) -> None:
        """Another decision landed (committed) on the action: our rollback must keep it."""
        self._saved["actions"]["rows"][action_id].version += 1

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self._committed:
            self.tx.restore(self._saved)
        self.tx.actions.landed = _nobody

    async def run(self, work: Callable[Concatenate[ports.Tx, P], T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        return work(self.tx, *args, **kwargs)

    async def run_and_commit(
        self, work: Callable[Concatenate[ports.Tx, P], T], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        result = work(self.tx, *args, **kwargs)
        await self.commit()
        return result

    async def commit(self) -> None:
        self._committed = True
        self.tx.commits += 1


def uow_factory(tx: FakeTx) -> ports.UowFactory:
    """Units of work on ``tx``, one per call (writing and reading alike)."""
    return lambda: FakeUnitOfWork(tx)


def _fakes_are_the_ports(tx: FakeTx) -> ports.Tx:
    """Never called: mypy proves here that the fakes implement every repository the use cases use."""
    return tx
