"""Sign-in storage: password hashes, browser sessions and API tokens (hashed), evidence downloads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from domain.model import Person
from storage import mapping
from storage.repositories import PERSON, _Repo
from storage.tables import metadata

CREDENTIAL = metadata.tables["credential"]
SESSION = metadata.tables["web_session"]
API_TOKEN = metadata.tables["api_token"]
EVIDENCE_ACCESS = metadata.tables["evidence_access"]
RESET = metadata.tables["password_reset"]


class Credentials(_Repo):
    def for_person(self, person_id: int) -> dict[str, Any] | None:
        return self._one(select(CREDENTIAL).where(CREDENTIAL.c.person_id == person_id))

    def set_password(self, person_id: int, password_hash: str, at: datetime) -> None:
        values = {"password_hash": password_hash, "failed_attempts": 0, "locked_until": None, "changed_at": at}
        done = self._conn.execute(update(CREDENTIAL).where(CREDENTIAL.c.person_id == person_id).values(**values))
        if not done.rowcount:
            self._conn.execute(insert(CREDENTIAL).values(person_id=person_id, **values))

    def count_failure(self, person_id: int) -> int:
        """One more failed sign-in, counted in the database (two at once both count); returns the count."""
        stmt = update(CREDENTIAL).where(CREDENTIAL.c.person_id == person_id)
        self._conn.execute(stmt.values(failed_attempts=CREDENTIAL.c.failed_attempts + 1))
        found = self.for_person(person_id)
        return int(found["failed_attempts"]) if found else 0

    def lock(self, person_id: int, until: datetime) -> None:
        self._conn.execute(update(CREDENTIAL).where(CREDENTIAL.c.person_id == person_id).values(locked_until=until))

    def succeeded(self, person_id: int) -> None:
        stmt = update(CREDENTIAL).where(CREDENTIAL.c.person_id == person_id)
        self._conn.execute(stmt.values(failed_attempts=0, locked_until=None))


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


class ApiTokens(_Repo):
    def add(self, token_hash: str, person_id: int, name: str, at: datetime) -> int:
        return self._insert(
            API_TOKEN, {"token_hash": token_hash, "person_id": person_id, "name": name, "created_at": at}
        )

    def person(self, token_hash: str) -> Person | None:
        """Whose live token this is."""
        return person_of_token(self._conn, token_hash)

    def for_person(self, person_id: int) -> list[dict[str, Any]]:
        return self._all(select(API_TOKEN).where(API_TOKEN.c.person_id == person_id).order_by(API_TOKEN.c.id))

    def revoke(self, token_id: int, person_id: int, at: datetime) -> bool:
        stmt = update(API_TOKEN).where(
            API_TOKEN.c.id == token_id, API_TOKEN.c.person_id == person_id, API_TOKEN.c.revoked_at.is_(None)
        )
        return bool(self._conn.execute(stmt.values(revoked_at=at)).rowcount)

    def revoke_all(self, person_id: int, at: datetime) -> int:
        stmt = update(API_TOKEN).where(API_TOKEN.c.person_id == person_id, API_TOKEN.c.revoked_at.is_(None))
        return int(self._conn.execute(stmt.values(revoked_at=at)).rowcount)


class EvidenceAccess(_Repo):
    def log(self, evidence_id: int, person_id: int, at: datetime) -> None:
        self._conn.execute(insert(EVIDENCE_ACCESS).values(evidence_id=evidence_id, person_id=person_id, at=at))

    def for_evidence(self, evidence_id: int) -> list[dict[str, Any]]:
        stmt = (
            select(EVIDENCE_ACCESS).where(EVIDENCE_ACCESS.c.evidence_id == evidence_id).order_by(EVIDENCE_ACCESS.c.id)
        )
        return self._all(stmt)


class PasswordResets(_Repo):
    def add(self, person_id: int, token_hash: str, at: datetime, expires_at: datetime) -> None:
        values = {"person_id": person_id, "token_hash": token_hash, "created_at": at, "expires_at": expires_at}
        self._conn.execute(insert(RESET).values(**values))

    def latest(self, person_id: int) -> dict[str, Any] | None:
        stmt = select(RESET).where(RESET.c.person_id == person_id).order_by(RESET.c.id.desc()).limit(1)
        return self._one(stmt)

    def live(self, token_hash: str, now: datetime) -> dict[str, Any] | None:
        stmt = select(RESET).where(
            RESET.c.token_hash == token_hash, RESET.c.used_at.is_(None), RESET.c.expires_at > now
        )
        return self._one(stmt)

    def use(self, reset_id: int, at: datetime) -> bool:
        """Spend the link; ``False`` if it was spent meanwhile (two clicks at once)."""
        stmt = update(RESET).where(RESET.c.id == reset_id, RESET.c.used_at.is_(None)).values(used_at=at)
        return bool(self._conn.execute(stmt).rowcount)
