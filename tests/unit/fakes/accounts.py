"""In-memory password hashes, sign-in counts, sessions, API tokens, reset links, downloads and calendar
feeds (``workflows.ports.accounts``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from domain.model import Person
from storage.accounts import ApiToken, Claim, Credential, PasswordReset
from storage.calendar_feeds import CalendarFeed

if TYPE_CHECKING:
    from tests.unit.fakes import FakeTx


Revocable = TypeVar("Revocable", ApiToken, CalendarFeed)


def _revoke_all(rows: dict[int, Revocable], person_id: int, at: datetime) -> int:
    """Revoke every live one of the person's; how many."""
    live = [i for i, r in rows.items() if r.person_id == person_id and r.revoked_at is None]
    for i in live:
        rows[i] = dataclasses.replace(rows[i], revoked_at=at)
    return len(live)


class FakeCredentials:
    def __init__(self) -> None:
        self.rows: dict[int, Credential] = {}

    def for_person(self, person_id: int) -> Credential | None:
        return self.rows.get(person_id)

    def set_password(self, person_id: int, password_hash: str, at: datetime) -> None:
        self.rows[person_id] = Credential(person_id, password_hash, at)


@dataclass
class Count:
    account: str
    attempts: int = 0
    locked_until: datetime | None = None


class FakeSignInAttempts:
    """The throttle's counts, one per address and client, as ``SignInAttempts`` keeps them."""

    def __init__(self) -> None:
        self.counts: dict[str, Count] = {}

    def claim(
        self,
        key: str,
        account: str,
        now: datetime,
        *,
        wait: Callable[[int, datetime], datetime | None],
        full_lock_at: int,
    ) -> Claim:
        count = self.counts.setdefault(key, Count(account))
        if count.locked_until is not None and count.locked_until > now:
            return Claim(False, count.attempts, count.locked_until)
        served = count.locked_until is not None and count.attempts >= full_lock_at
        count.attempts = 1 if served else count.attempts + 1
        count.locked_until = wait(count.attempts, now)
        return Claim(True, count.attempts, count.locked_until)

    def succeeded(self, key: str) -> None:
        if key in self.counts:
            self.counts[key] = Count(self.counts[key].account)

    def clear_account(self, account: str) -> None:
        self.counts = {k: c for k, c in self.counts.items() if c.account != account}

    def forget_before(self, before: datetime) -> None:
        return None  # a test's counts are few: nothing to tidy


@dataclass
class Session:
    person_id: int
    csrf_token: str
    expires_at: datetime
    ended_at: datetime | None = None


class FakeSessions:
    def __init__(self, db: FakeTx) -> None:
        self.db = db
        self.rows: dict[str, Session] = {}
        """By token hash."""

    def add(self, token_hash: str, person_id: int, csrf_token: str, at: datetime, expires_at: datetime) -> None:
        self.rows[token_hash] = Session(person_id, csrf_token, expires_at)

    def person(self, token_hash: str, now: datetime) -> tuple[Person, str] | None:
        found = self.rows.get(token_hash)
        if found is None or found.ended_at is not None or found.expires_at <= now:
            return None
        person = self.db.people.by_id(found.person_id)
        return (person, found.csrf_token) if person else None

    def end(self, token_hash: str, at: datetime) -> None:
        if token_hash in self.rows:
            self.rows[token_hash].ended_at = at

    def end_all(self, person_id: int, at: datetime) -> None:
        for s in self.rows.values():
            if s.person_id == person_id and s.ended_at is None:
                s.ended_at = at

    def live(self, person_id: int) -> int:
        return sum(1 for s in self.rows.values() if s.person_id == person_id and s.ended_at is None)


class FakeApiTokens:
    def __init__(self, db: FakeTx) -> None:
        self.db = db
        self.rows: dict[int, ApiToken] = {}

    def add(self, token_hash: str, person_id: int, name: str, at: datetime) -> int:
        id_ = len(self.rows) + 1
        self.rows[id_] = ApiToken(id_, token_hash, person_id, name, at, None)
        return id_

    def person(self, token_hash: str) -> Person | None:
        found = next((t for t in self.rows.values() if t.token_hash == token_hash and t.revoked_at is None), None)
        return self.db.people.by_id(found.person_id) if found else None

    def for_person(self, person_id: int) -> list[ApiToken]:
        return [t for _, t in sorted(self.rows.items()) if t.person_id == person_id]

    def revoke(self, token_id: int, person_id: int, at: datetime) -> bool:
        found = self.rows.get(token_id)
        if found is None or found.person_id != person_id or found.revoked_at is not None:
            return False
        self.rows[token_id] = dataclasses.replace(found, revoked_at=at)
        return True

    def revoke_all(self, person_id: int, at: datetime) -> int:
        return _revoke_all(self.rows, person_id, at)


class FakeEvidenceAccess:
    def __init__(self) -> None:
        self.downloads: list[tuple[int, int, datetime]] = []
        """(evidence id, person id, when)."""

    def log(self, evidence_id: int, person_id: int, at: datetime) -> None:
        self.downloads.append((evidence_id, person_id, at))


class FakePasswordResets:
    def __init__(self) -> None:
        self.rows: dict[int, PasswordReset] = {}

    def add(self, person_id: int, token_hash: str, at: datetime, expires_at: datetime) -> None:
        id_ = len(self.rows) + 1
        self.rows[id_] = PasswordReset(id_, person_id, token_hash, at, expires_at, None)

    def latest(self, person_id: int) -> PasswordReset | None:
        return next((r for _, r in sorted(self.rows.items(), reverse=True) if r.person_id == person_id), None)

    def live(self, token_hash: str, now: datetime) -> PasswordReset | None:
        return next(
            (r for r in self.rows.values() if r.token_hash == token_hash and r.used_at is None and r.expires_at > now),
            None,
        )

    def use(self, reset_id: int, at: datetime) -> bool:
        found = self.rows[reset_id]
        if found.used_at is not None:
            return False
        self.rows[reset_id] = dataclasses.replace(found, used_at=at)
        return True


class FakeCalendarFeeds:
    def __init__(self) -> None:
        self.rows: dict[int, CalendarFeed] = {}

    def add(self, token_hash: str, person_id: int, at: datetime) -> int:
        id_ = len(self.rows) + 1
        self.rows[id_] = CalendarFeed(id_, token_hash, person_id, at, None)
        return id_

    def revoke_all(self, person_id: int, at: datetime) -> int:
        return _revoke_all(self.rows, person_id, at)

    def live(self, token_hash: str) -> int | None:
        return next(
            (f.person_id for f in self.rows.values() if f.token_hash == token_hash and f.revoked_at is None), None
        )

    def for_person(self, person_id: int) -> list[CalendarFeed]:
        return [f for _, f in sorted(self.rows.items()) if f.person_id == person_id]
