"""What signing in reads and writes: password hashes, the throttle's counts, sessions, API tokens, reset
links, evidence downloads and calendar feeds. Secrets are kept as hashes only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from domain.model import Person

if TYPE_CHECKING:  # storage's row types, named in signatures only: the ports load no module of storage
    from storage.accounts import ApiToken, Claim, Credential, PasswordReset
    from storage.calendar_feeds import CalendarFeed


class Credentials(Protocol):
    def for_person(self, person_id: int) -> Credential | None: ...

    def set_password(self, person_id: int, password_hash: str, at: datetime) -> None: ...


class SignInAttempts(Protocol):
    def claim(
        self,
        key: str,
        account: str,
        now: datetime,
        *,
        wait: Callable[[int, datetime], datetime | None],
        full_lock_at: int,
    ) -> Claim:
        """Count one more attempt and say whether it may be checked; the wait it sets is ``wait(attempts, now)``,
        and a full lock (``full_lock_at`` attempts) that has run out starts the count again."""
        ...

    def succeeded(self, key: str) -> None: ...

    def clear_account(self, account: str) -> None:
        """Every client's count for the address starts again."""
        ...

    def forget_before(self, before: datetime) -> None: ...


class Sessions(Protocol):
    def add(self, token_hash: str, person_id: int, csrf_token: str, at: datetime, expires_at: datetime) -> None: ...

    def person(self, token_hash: str, now: datetime) -> tuple[Person, str] | None:
        """Whose live session this is, and its CSRF token."""
        ...

    def end(self, token_hash: str, at: datetime) -> None: ...

    def end_all(self, person_id: int, at: datetime) -> None: ...


class ApiTokens(Protocol):
    def add(self, token_hash: str, person_id: int, name: str, at: datetime) -> int: ...

    def person(self, token_hash: str) -> Person | None:
        """Whose live token this is."""
        ...

    def for_person(self, person_id: int) -> list[ApiToken]: ...

    def revoke(self, token_id: int, person_id: int, at: datetime) -> bool: ...

    def revoke_all(self, person_id: int, at: datetime) -> int: ...


class EvidenceAccess(Protocol):
    def log(self, evidence_id: int, person_id: int, at: datetime) -> None: ...


class PasswordResets(Protocol):
    def add(self, person_id: int, token_hash: str, at: datetime, expires_at: datetime) -> None: ...

    def latest(self, person_id: int) -> PasswordReset | None: ...

    def live(self, token_hash: str, now: datetime) -> PasswordReset | None:
        """Unused and unexpired."""
        ...

    def use(self, reset_id: int, at: datetime) -> bool:
        """``False`` if it was spent meanwhile."""
        ...


class CalendarFeeds(Protocol):
    def add(self, token_hash: str, person_id: int, at: datetime) -> int: ...

    def revoke_all(self, person_id: int, at: datetime) -> int: ...

    def live(self, token_hash: str) -> int | None:
        """The person whose live feed this token opens."""
        ...

    def for_person(self, person_id: int) -> list[CalendarFeed]: ...
