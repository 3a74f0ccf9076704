"""Signing in: passwords (argon2), browser sessions, API tokens, and who a request acts as.

Secrets never reach the database: a password as its argon2 hash, a session
cookie and an API token as their SHA-256. A session's id is new at every
sign-in. Failed sign-ins slow down: after ``FREE_ATTEMPTS`` each further one
makes the next wait twice as long, and ``LOCK_AFTER`` lock the account for
``LOCK_MINUTES``; a wrong email and a wrong password get the same answer.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from domain.characters import refused_character
from domain.errors import ErrorKind
from domain.model import Person
from storage.accounts import ApiToken, Claim
from workflows.context import Principal, digest
from workflows.errors import InvalidInput, UnknownPerson, WorkflowError
from workflows.ports import Tx, UowFactory
from workflows.runtime.clock import Clock
from workflows.runtime.observability import get_logger

log = get_logger(__name__)

MIN_PASSWORD = 12
SESSION_HOURS = 12
FREE_ATTEMPTS = 3
LOCK_AFTER = 10
LOCK_MINUTES = 15

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the email is unknown, so a wrong email costs the same time as a wrong password.

    Made when the web app starts (``warm_up``), not at import: hashing costs about 0.1 s, which every
    CLI command paid. Made in the verifying thread otherwise, so the loop never waits for it.
    """
    return _hasher.hash("dhrflow: a password nobody has")


async def warm_up() -> None:
    """Make what the first sign-in would otherwise make, so it costs no more than the next one."""
    await asyncio.to_thread(_dummy_hash)


class SignInRefused(WorkflowError):
    kind = ErrorKind.NOT_SIGNED_IN

    def __init__(self) -> None:
        super().__init__("the email or the password is wrong")


class SignInLocked(WorkflowError):
    kind = ErrorKind.TOO_MANY

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        super().__init__(f"too many failed sign-ins: try again in {seconds} s")


@dataclass(frozen=True)
class SignedIn:
    principal: Principal
    session_token: str
    expires_at: datetime


async def set_password(email: str, password: str, *, uow_factory: UowFactory, clock: Clock) -> None:
    """Give ``email`` a new password; every session they have ends.

    Raises:
        UnknownPerson: no such person.
        InvalidInput: shorter than ``MIN_PASSWORD`` characters.
    """
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD} characters")
    hashed = await asyncio.to_thread(_hasher.hash, password)
    at = clock.now()
    async with uow_factory() as uow:
        await uow.run_and_commit(_set_password_in, email, hashed, at)


def _set_password_in(tx: Tx, email: str, hashed: str, at: datetime) -> None:
    person = tx.people.by_email(email)
    if person is None:
        raise UnknownPerson(email)
    _new_password(tx, person, hashed, at)


def _new_password(tx: Tx, person: Person, hashed: str, at: datetime, *, revoke_tokens: bool = False) -> None:
    """The password set, every session ended and every client's count of failed sign-ins cleared; after a
    reset link (whoever knew the old password may have made them), the API tokens and calendar feeds too."""
    tx.credentials.set_password(person.id, hashed, at)
    tx.sign_in_attempts.clear_account(digest(person.email.strip().lower()))
    tx.sessions.end_all(person.id, at)
    if revoke_tokens:
        tx.api_tokens.revoke_all(person.id, at)
        tx.calendar_feeds.revoke_all(person.id, at)


async def sign_in(email: str, password: str, *, uow_factory: UowFactory, clock: Clock, client: str = "") -> SignedIn:
    """A new session for ``email`` if ``password`` is theirs.

    The attempt is counted before the password is checked, for this address from this ``client`` (its
    network address): a burst sent at once checks no more passwords than the throttle allows, and a
    stranger's failures slow the stranger, not the account's owner signing in from elsewhere. An address
    with no account is counted and answered alike.

    Raises:
        SignInRefused: wrong email or password (the same answer for both).
        SignInLocked: too many failed attempts from this client; the message says how long to wait.
    """
    now = clock.now()
    account = digest(email.strip().lower())
    key = digest(f"{email.strip().lower()}\n{_client_key(client)}")
    async with uow_factory() as uow:
        claim, found = await uow.run_and_commit(_claim_in, key, account, email, now)
    if not claim.allowed:
        assert claim.until is not None
        log.info("sign_in_throttled", attempts=claim.attempts)
        raise SignInLocked(max(1, int((claim.until - now).total_seconds() + 0.999)))
    person, stored = found if found else (None, None)
    ok = await asyncio.to_thread(_verify, stored, password)
    if person is None or not ok:
        log.info("sign_in_refused", person_id=person.id if person else None, attempts=claim.attempts)
        raise SignInRefused
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = now + timedelta(hours=SESSION_HOURS)
    async with uow_factory() as uow:
        await uow.run_and_commit(_signed_in, person, key, now, digest(token), csrf, expires)
    log.info("signed_in", person_id=person.id)
    return SignedIn(Principal(person, csrf), token, expires)


def _claim_in(
    tx: Tx, key: str, account: str, email: str, now: datetime
) -> tuple[Claim, tuple[Person, str | None] | None]:
    """Count the attempt (committed before the password is checked) and read what it is checked against."""
    claim = tx.sign_in_attempts.claim(key, account, now, wait=lock_until, full_lock_at=LOCK_AFTER)
    person = tx.people.by_email(email)
    if person is None:
        return claim, None
    credential = tx.credentials.for_person(person.id)
    return claim, (person, credential.password_hash if credential else None)


def _client_key(client: str) -> str:
    """The client a count is kept for: its address, or for IPv6 its /64 (one machine's addresses are many)."""
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return client
    return str(ipaddress.ip_network(f"{address}/64", strict=False)) if address.version == 6 else client


def _verify(hashed: str | None, password: str) -> bool:
    """``hashed`` None: an unknown email or no password set, verified against the dummy hash all the same."""
    try:
        return _hasher.verify(hashed or _dummy_hash(), password) and hashed is not None
    except (VerificationError, InvalidHashError):
        return False


def _signed_in(tx: Tx, person: Person, key: str, now: datetime, token_hash: str, csrf: str, expires: datetime) -> None:
    tx.sign_in_attempts.succeeded(key)
    tx.sign_in_attempts.forget_before(now - timedelta(days=1))  # on a sign-in, not on every guess
    tx.sessions.add(token_hash, person.id, csrf, now, expires)


def lock_until(attempts: int, now: datetime) -> datetime | None:
    """The wait before the attempt after ``attempts`` in a row: none, then doubling, then a lock."""
    if attempts >= LOCK_AFTER:
        return now + timedelta(minutes=LOCK_MINUTES)
    if attempts > FREE_ATTEMPTS:
        return now + timedelta(seconds=2 ** (attempts - FREE_ATTEMPTS))
    return None


async def session_principal(token: str, *, reader: UowFactory, clock: Clock) -> Principal | None:
    """Who the session cookie ``token`` belongs to, while the session lives."""
    if not token:
        return None
    now = clock.now()
    async with reader() as uow:
        return await uow.run(_session_in, digest(token), now)


def _session_in(tx: Tx, token_hash: str, now: datetime) -> Principal | None:
    found = tx.sessions.person(token_hash, now)
    return Principal(*found) if found else None


async def sign_out(token: str, *, uow_factory: UowFactory, clock: Clock) -> None:
    at = clock.now()
    async with uow_factory() as uow:
        await uow.run_and_commit(lambda tx: tx.sessions.end(digest(token), at))


async def create_api_token(email: str, name: str, *, uow_factory: UowFactory, clock: Clock) -> str:
    """A new API token for ``email``, shown once: only its SHA-256 is kept.

    Raises:
        UnknownPerson: no such person.
        InvalidInput: no name.
    """
    if not name.strip():
        raise InvalidInput("--name: say what the token is for")
    if len(name) > 200:
        raise InvalidInput("--name: at most 200 characters")
    if why := refused_character(name):
        raise InvalidInput(f"--name: {why}")
    token = "dhr_" + secrets.token_urlsafe(32)
    at = clock.now()

    def add(tx: Tx) -> None:
        person = tx.people.by_email(email)
        if person is None:
            raise UnknownPerson(email)
        tx.api_tokens.add(digest(token), person.id, name.strip(), at)

    async with uow_factory() as uow:
        await uow.run_and_commit(add)
    return token


async def token_principal(token: str, *, reader: UowFactory) -> Principal | None:
    """Who the API token belongs to, unless revoked."""
    if not token:
        return None

    def read(tx: Tx) -> Principal | None:
        person = tx.api_tokens.person(digest(token))
        return Principal(person) if person else None

    async with reader() as uow:
        return await uow.run(read)


async def revoke_api_token(email: str, token_id: int, *, uow_factory: UowFactory, clock: Clock) -> None:
    """Revoke one of ``email``'s tokens.

    Raises:
        UnknownPerson, InvalidInput: no such person, or no such live token of theirs.
    """
    at = clock.now()

    def revoke(tx: Tx) -> None:
        person = tx.people.by_email(email)
        if person is None:
            raise UnknownPerson(email)
        if not tx.api_tokens.revoke(token_id, person.id, at):
            raise InvalidInput(f"{email} has no live API token {token_id}")

    async with uow_factory() as uow:
        await uow.run_and_commit(revoke)


async def api_tokens(email: str, *, reader: UowFactory) -> list[dict[str, Any]]:
    """``email``'s tokens as stored (hashes and dates, never a token), each as a dict of its columns: the
    CLI and the web read them by key (issue 15: ``ApiToken`` once they read its fields).

    Raises:
        UnknownPerson: no such person.
    """

    def read(tx: Tx) -> list[ApiToken]:
        person = tx.people.by_email(email)
        if person is None:
            raise UnknownPerson(email)
        return tx.api_tokens.for_person(person.id)

    async with reader() as uow:
        return [asdict(t) for t in await uow.run(read)]


RESET_MINUTES = 60
RESET_EVERY_MINUTES = 2
"""At most one reset email per person this often: the form cannot be used to flood someone's inbox."""


@dataclass(frozen=True)
class ResetLink:
    email: str
    name: str
    token: str
    expires_at: datetime


async def request_password_reset(email: str, *, uow_factory: UowFactory, clock: Clock) -> ResetLink | None:
    """A one-time link for ``email`` to set a new password, valid ``RESET_MINUTES``; ``None`` when the email
    is nobody's or a link went out moments ago (the caller answers the same either way)."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    expires = now + timedelta(minutes=RESET_MINUTES)

    def add(tx: Tx) -> ResetLink | None:
        person = tx.people.by_email(email)
        if person is None:
            return None
        latest = tx.password_resets.latest(person.id)
        if latest is not None and latest.created_at > now - timedelta(minutes=RESET_EVERY_MINUTES):
            return None
        tx.password_resets.add(person.id, digest(token), now, expires)
        return ResetLink(person.email, person.name, token, expires)

    async with uow_factory() as uow:
        link = await uow.run_and_commit(add)
    log.info("password_reset_requested", found=link is not None)
    return link


class ResetRefused(WorkflowError):
    def __init__(self) -> None:
        super().__init__("this link has expired or was used already: ask for a new one")


async def reset_password(token: str, password: str, *, uow_factory: UowFactory, clock: Clock) -> Person:
    """Spend the link ``token``: its person's password becomes ``password``, and every session, API token
    and calendar feed of theirs ends (whoever knew the old password may have made one).

    Raises:
        ResetRefused: no such live link.
        InvalidInput: the password is too short.
    """
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD} characters")
    hashed = await asyncio.to_thread(_hasher.hash, password)
    now = clock.now()

    def spend(tx: Tx) -> Person:
        link = tx.password_resets.live(digest(token), now)
        person = tx.people.by_id(link.person_id) if link else None
        if link is None or person is None or not tx.password_resets.use(link.id, now):
            raise ResetRefused
        _new_password(tx, person, hashed, now, revoke_tokens=True)
        return person

    async with uow_factory() as uow:
        person = await uow.run_and_commit(spend)
    log.info("password_reset", person_id=person.id)
    return person
