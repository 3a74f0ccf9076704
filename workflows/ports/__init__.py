"""What the use cases need from storage, as Protocols: one per repository, ``Tx`` for one transaction's
view of them all, and ``UnitOfWork`` for the transaction itself.

``storage.uow`` provides them on a real database (``workflows.runtime.container`` is where mypy holds it
to them); ``tests/unit/fakes`` provides them in memory, so each use case's rules are tested without one.
A Protocol lists the methods the use cases call, not every method its repository has.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from workflows.ports.accounts import (
    ApiTokens,
    CalendarFeeds,
    Credentials,
    EvidenceAccess,
    PasswordResets,
    Sessions,
    SignInAttempts,
)
from workflows.ports.clock import BoardMeetings, Deputies, Escalations, Firings, Ladders
from workflows.ports.impact import ImpactChecks, ReviewKinds
from workflows.ports.log import Audit, Decisions, Reports
from workflows.ports.notices import Outbox
from workflows.ports.plans import (
    Actions,
    Agencies,
    Evidence,
    Extensions,
    ImportMappings,
    Milestones,
    Partnerships,
    People,
    Recommendations,
    Reviews,
    SignOffs,
    Themes,
)

P = ParamSpec("P")
T = TypeVar("T")


class Tx(Protocol):
    """The repositories of one transaction."""

    @property
    def partnerships(self) -> Partnerships: ...
    @property
    def people(self) -> People: ...
    @property
    def agencies(self) -> Agencies: ...
    @property
    def reviews(self) -> Reviews: ...
    @property
    def milestones(self) -> Milestones: ...
    @property
    def recommendations(self) -> Recommendations: ...
    @property
    def actions(self) -> Actions: ...
    @property
    def extensions(self) -> Extensions: ...
    @property
    def evidence(self) -> Evidence: ...
    @property
    def signoffs(self) -> SignOffs: ...
    @property
    def themes(self) -> Themes: ...
    @property
    def import_mappings(self) -> ImportMappings: ...
    @property
    def decisions(self) -> Decisions: ...
    @property
    def reports(self) -> Reports: ...
    @property
    def audit(self) -> Audit: ...
    @property
    def outbox(self) -> Outbox: ...
    @property
    def escalations(self) -> Escalations: ...
    @property
    def ladders(self) -> Ladders: ...
    @property
    def firings(self) -> Firings: ...
    @property
    def board_meetings(self) -> BoardMeetings: ...
    @property
    def deputies(self) -> Deputies: ...
    @property
    def credentials(self) -> Credentials: ...
    @property
    def sign_in_attempts(self) -> SignInAttempts: ...
    @property
    def sessions(self) -> Sessions: ...
    @property
    def api_tokens(self) -> ApiTokens: ...
    @property
    def evidence_access(self) -> EvidenceAccess: ...
    @property
    def password_resets(self) -> PasswordResets: ...
    @property
    def calendar_feeds(self) -> CalendarFeeds: ...
    @property
    def impact_checks(self) -> ImpactChecks: ...
    @property
    def review_kinds(self) -> ReviewKinds: ...


class UnitOfWork(Protocol):
    """One transaction: ``async with uow_factory() as uow: x = await uow.run(work, ...); await uow.commit()``.

    ``work(tx, ...)`` does the transaction's work on its repositories; leaving the block without a commit
    (or by an exception) rolls it back.
    """

    async def __aenter__(self) -> UnitOfWork: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    async def run(self, work: Callable[Concatenate[Tx, P], T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """``work(tx, *args, **kwargs)`` on this transaction."""
        ...

    async def run_and_commit(self, work: Callable[Concatenate[Tx, P], T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """``run``, then ``commit``."""
        ...

    async def commit(self) -> None: ...


UowFactory = Callable[[], UnitOfWork]
"""How use cases open a unit of work (writing, or reading)."""

__all__ = [
    "Actions",
    "Agencies",
    "ApiTokens",
    "Audit",
    "BoardMeetings",
    "CalendarFeeds",
    "Credentials",
    "Decisions",
    "Deputies",
    "Escalations",
    "Evidence",
    "EvidenceAccess",
    "Extensions",
    "Firings",
    "ImpactChecks",
    "ImportMappings",
    "Ladders",
    "Milestones",
    "Outbox",
    "Partnerships",
    "PasswordResets",
    "People",
    "Recommendations",
    "Reports",
    "ReviewKinds",
    "Reviews",
    "Sessions",
    "SignInAttempts",
    "SignOffs",
    "Themes",
    "Tx",
    "UnitOfWork",
    "UowFactory",
]
