"""Sign-in storage: password hashes, browser sessions and API tokens (hashed), evidence downloads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Insert, bindparam, case, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from domain.model import Person
from storage import mapping
from storage.repositories import PERSON, _Repo
from storage.tables import metadata

CREDENTIAL = metadata.tables["credential"]
ATTEMPT = metadata.tables["sign_in_attempt"]
_CLAIM_TRIES = 3
"""Attempts at counting a sign-in while other sign-ins change the same row (PostgreSQL, READ COMMITTED)."""
SESSION = metadata.tables["web_session"]
API_TOKEN = metadata.tables["api_token"]
EVIDENCE_ACCESS = metadata.tables["evidence_access"]
RESET = metadata.tables["password_reset"]


@dataclass(frozen=True)
class Credential:
    person_id: int
    password_hash: str
    """argon2."""
    changed_at: datetime


class Credentials(_Repo):
    def for_person(self, person_id: int) -> Credential | None:
        row = self._one(select(CREDENTIAL).where(CREDENTIAL.c.person_id == person_id))
        return Credential(**row) if row else None

    def set_password(self, person_id: int, password_hash: str, at: datetime) -> None:
        values = {"password_hash": password_hash, "changed_at": at}
        done = self._conn.execute(update(CREDENTIAL).where(CREDENTIAL.c.person_id == person_id).values(**values))
        if not done.rowcount:
            self._conn.execute(insert(CREDENTIAL).values(person_id=person_id, **values))


@dataclass(frozen=True)
class Claim:
    """What counting one more sign-in attempt said: go on and check the password, or wait until ``until``."""

    allowed: bool
    attempts: int
    until: datetime | None


class SignInAttempts(_Repo):
    """The sign-in throttle's counts (``sign_in_attempt``), one row per address and client."""

    def claim(
        self,
        key: str,
        account: str,
        now: datetime,
        *,
        wait: Callable[[int, datetime], datetime | None],
        full_lock_at: int,
    ) -> Claim:
        """Count one more attempt and say whether it may be checked: the count and the wait it sets for the
        next attempt (``wait(attempts, now)``) are written under the row's lock, so of a burst sent at once
        only those the throttle lets through are checked. A full lock (``full_lock_at`` attempts) that has run
        out starts the count again.

        The caller commits before checking the password, so that every other attempt sees this one.
        """
        served = ATTEMPT.c.locked_until.is_not(None) & (ATTEMPT.c.attempts >= full_lock_at)
        for _ in range(_CLAIM_TRIES):
            self._conn.execute(
                _insert_missing(self._conn.dialect.name).values(
                    key=key, account=account, attempts=0, locked_until=None, last_at=now
                )
            )
            counted = self._conn.execute(
                update(ATTEMPT)
                .where(ATTEMPT.c.key == key, ATTEMPT.c.locked_until.is_(None) | (ATTEMPT.c.locked_until <= now))
                .values(attempts=case((served, 1), else_=ATTEMPT.c.attempts + 1), last_at=now)
                .returning(ATTEMPT.c.attempts)
            ).scalar_one_or_none()
            if counted is not None:
                until = wait(int(counted), now)
                self._conn.execute(update(ATTEMPT).where(ATTEMPT.c.key == key).values(locked_until=until))
                return Claim(True, int(counted), until)
            row = self._one(select(ATTEMPT.c.attempts, ATTEMPT.c.locked_until).where(ATTEMPT.c.key == key))
            if row is not None and row["locked_until"] is not None and row["locked_until"] > now:
                return Claim(False, int(row["attempts"]), row["locked_until"])
            # On PostgreSQL each statement sees what committed before it: the row went (a new password) or
            # its wait was cleared (a sign-in) between the update and this read. Count again.
        return Claim(False, 0, now + timedelta(seconds=1))

    def succeeded(self, key: str) -> None:
        self._conn.execute(update(ATTEMPT).where(ATTEMPT.c.key == key).values(attempts=0, locked_until=None))

    def clear_account(self, account: str) -> None:
        """A new password: every client's count for the address starts again."""
        self._conn.execute(delete(ATTEMPT).where(ATTEMPT.c.account == account))

    def forget_before(self, before: datetime) -> None:
        """Counts untouched since ``before`` and not locked now go: the table holds recent attempts only."""
        stale = (ATTEMPT.c.last_at < before) & (ATTEMPT.c.locked_until.is_(None) | (ATTEMPT.c.locked_until < before))
        self._conn.execute(delete(ATTEMPT).where(stale))


class Sessions(_Repo):
    def add(self, token_hash: str, person_id: int, csrf_token: str, at: datetime, expires_at: datetime) -> None:
        values = {"token_hash": token_hash, "person_id": person_id, "csrf_token": csrf_token}
        self._conn.execute(insert(SESSION).values(**values, created_at=at, expires_at=expires_at))

    def person(self, token_hash: str, now: datetime) -> tuple[Person, str] | None:
        """Whose live session this is, and its CSRF token."""
        return person_of_session(self._conn, token_hash, now)

    def end(self, token_hash: str, at: datetime) -> None:
        self._conn.execute(update(SESSION).where(SESSION.c.token_hash == token_hash).values(ended_at=at))

    def end_all(self, person_id: int, at: datetime) -> None:
        stmt = update(SESSION).where(SESSION.c.person_id == person_id, SESSION.c.ended_at.is_(None))
        self._conn.execute(stmt.values(ended_at=at))


_PERSON_OF_TOKEN = (
    select(PERSON)
    .join(API_TOKEN, API_TOKEN.c.person_id == PERSON.c.id)
    .where(API_TOKEN.c.token_hash == bindparam("token_hash"), API_TOKEN.c.revoked_at.is_(None))
)
_PERSON_OF_SESSION = (
    select(PERSON, SESSION.c.csrf_token)
    .join(SESSION, SESSION.c.person_id == PERSON.c.id)
    .where(
        SESSION.c.token_hash == bindparam("token_hash"),
        SESSION.c.ended_at.is_(None),
        SESSION.c.expires_at > bindparam("now"),
    )
)
"""Built once: every request looks up its caller."""


def person_of_token(conn: Connection, token_hash: str) -> Person | None:
    row = conn.execute(_PERSON_OF_TOKEN, {"token_hash": token_hash}).mappings().first()
    return mapping.person_from_row(dict(row)) if row else None


def person_of_session(conn: Connection, token_hash: str, now: datetime) -> tuple[Person, str] | None:
    row = conn.execute(_PERSON_OF_SESSION, {"token_hash": token_hash, "now": now}).mappings().first()
    return (mapping.person_from_row(dict(row)), row["csrf_token"]) if row else None


@dataclass(frozen=True)
class ApiToken:
    """An API token as kept: its SHA-256, never the token."""

    id: int
    token_hash: str
    person_id: int
    name: str
    created_at: datetime
    revoked_at: datetime | None


class ApiTokens(_Repo):
    def add(self, token_hash: str, person_id: int, name: str, at: datetime) -> int:
        return self._insert(
            API_TOKEN, {"token_hash": token_hash, "person_id": person_id, "name": name, "created_at": at}
        )

    def person(self, token_hash: str) -> Person | None:
        """Whose live token this is."""
        return person_of_token(self._conn, token_hash)

    def for_person(self, person_id: int) -> list[ApiToken]:
        stmt = select(API_TOKEN).where(API_TOKEN.c.person_id == person_id).order_by(API_TOKEN.c.id)
        return [ApiToken(**r) for r in self._all(stmt)]

    def revoke(self, token_id: int, person_id: int, at: datetime) -> bool:
        stmt = update(API_TOKEN).where(
            API_TOKEN.c.id == token_id, API_TOKEN.c.person_id == person_id, API_TOKEN.c.revoked_at.is_(None)
        )
        return bool(self._conn.execute(stmt.values(revoked_at=at)).rowcount)

    def revoke_all(self, person_id: int, at: datetime) -> int:
        stmt = update(API_TOKEN).where(API_TOKEN.c.person_id == person_id, API_TOKEN.c.revoked_at.is_(None))
        return int(self._conn.execute(stmt.values(revoked_at=at)).rowcount)


@dataclass(frozen=True)
class Download:
    """Someone opened an evidence file."""

    id: int
    evidence_id: int
    person_id: int
    at: datetime


class EvidenceAccess(_Repo):
    def log(self, evidence_id: int, person_id: int, at: datetime) -> None:
        self._conn.execute(insert(EVIDENCE_ACCESS).values(evidence_id=evidence_id, person_id=person_id, at=at))

    def for_evidence(self, evidence_id: int) -> list[Download]:
        stmt = (
            select(EVIDENCE_ACCESS).where(EVIDENCE_ACCESS.c.evidence_id == evidence_id).order_by(EVIDENCE_ACCESS.c.id)
        )
        return [Download(**r) for r in self._all(stmt)]


@dataclass(frozen=True)
class PasswordReset:
    """A one-time link to set a new password: only its token's SHA-256 is kept."""

    id: int
    person_id: int
    token_hash: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None


class PasswordResets(_Repo):
    def add(self, person_id: int, token_hash: str, at: datetime, expires_at: datetime) -> None:
        values = {"person_id": person_id, "token_hash": token_hash, "created_at": at, "expires_at": expires_at}
        self._conn.execute(insert(RESET).values(**values))

    def latest(self, person_id: int) -> PasswordReset | None:
        stmt = select(RESET).where(RESET.c.person_id == person_id).order_by(RESET.c.id.desc()).limit(1)
        row = self._one(stmt)
        return PasswordReset(**row) if row else None

    def live(self, token_hash: str, now: datetime) -> PasswordReset | None:
        stmt = select(RESET).where(
            RESET.c.token_hash == token_hash, RESET.c.used_at.is_(None), RESET.c.expires_at > now
        )
        row = self._one(stmt)
        return PasswordReset(**row) if row else None

    def use(self, reset_id: int, at: datetime) -> bool:
        """Spend the link; ``False`` if it was spent meanwhile (two clicks at once)."""
        stmt = update(RESET).where(RESET.c.id == reset_id, RESET.c.used_at.is_(None)).values(used_at=at)
        return bool(self._conn.execute(stmt).rowcount)


def _insert_missing(dialect: str) -> Insert:
    """An insert of a count row that does nothing when the row is there (another attempt made it first)."""
    if dialect == "postgresql":
        return postgresql.insert(ATTEMPT).on_conflict_do_nothing(index_elements=["key"])
    return sqlite.insert(ATTEMPT).on_conflict_do_nothing(index_elements=["key"])
