"""Signing in on in-memory storage: passwords, the throttle, sessions, API tokens and reset links."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.unit.fakes import FakeTx
from tests.unit.workflows.commands.world import AT, LEAD
from workflows.commands.accounts import (
    FREE_ATTEMPTS,
    ResetRefused,
    SignInLocked,
    SignInRefused,
    api_tokens,
    create_api_token,
    request_password_reset,
    reset_password,
    revoke_api_token,
    set_password,
    sign_in,
    token_principal,
)
from workflows.errors import InvalidInput
from workflows.ports import UowFactory
from workflows.runtime.clock import FixedClock

PASSWORD = "correct horse battery"


async def test_a_new_password_must_be_long_and_ends_every_session(
    tx: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:
    with pytest.raises(InvalidInput, match="at least 12 characters"):
        await set_password(LEAD.email, "short", uow_factory=uow, clock=clock)
    tx.sessions.add("old-cookie", LEAD.id, "csrf", AT, AT + timedelta(hours=1))
    await set_password(LEAD.email, PASSWORD, uow_factory=uow, clock=clock)
    assert tx.sessions.live(LEAD.id) == 0
    signed = await sign_in(LEAD.email.upper(), PASSWORD, uow_factory=uow, clock=clock)
    assert (signed.principal.person.id, tx.sessions.live(LEAD.id)) == (LEAD.id, 1)


async def test_wrong_passwords_are_refused_alike_and_then_slowed_down(
    tx: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:
    await set_password(LEAD.email, PASSWORD, uow_factory=uow, clock=clock)
    with pytest.raises(SignInRefused):
        await sign_in("nobody@x.test", PASSWORD, uow_factory=uow, clock=clock)
    for _ in range(FREE_ATTEMPTS + 1):  # the last of these sets a wait
        with pytest.raises(SignInRefused):
            await sign_in(LEAD.email, "not the password", uow_factory=uow, clock=clock, client="192.0.2.1")
    with pytest.raises(SignInLocked, match="try again in 2 s"):
        await sign_in(LEAD.email, PASSWORD, uow_factory=uow, clock=clock, client="192.0.2.1")
    # Another client is not slowed by this one's guesses.
    assert await sign_in(LEAD.email, PASSWORD, uow_factory=uow, clock=clock, client="192.0.2.9")


async def test_a_reset_link_goes_out_once_in_a_while_and_is_spent_once(
    tx: FakeTx, uow: UowFactory, clock: FixedClock
) -> None:
    token = await create_api_token(LEAD.email, "a script", uow_factory=uow, clock=clock)
    link = await request_password_reset(LEAD.email, uow_factory=uow, clock=clock)
    assert link is not None and link.email == LEAD.email
    assert await request_password_reset(LEAD.email, uow_factory=uow, clock=clock) is None  # moments later
    assert await request_password_reset("nobody@x.test", uow_factory=uow, clock=clock) is None
    person = await reset_password(link.token, PASSWORD, uow_factory=uow, clock=clock)
    assert person.id == LEAD.id
    assert await token_principal(token, reader=uow) is None  # whoever knew the old password may have made it
    with pytest.raises(ResetRefused):
        await reset_password(link.token, PASSWORD + "!", uow_factory=uow, clock=clock)
    later = FixedClock(AT + timedelta(minutes=61))
    second = await request_password_reset(LEAD.email, uow_factory=uow, clock=later)
    assert second is not None
    with pytest.raises(ResetRefused):  # an hour on, the link has lapsed
        await reset_password(second.token, PASSWORD, uow_factory=uow, clock=FixedClock(later.at + timedelta(hours=2)))


async def test_a_token_is_revoked_by_its_owner_only(tx: FakeTx, uow: UowFactory, clock: FixedClock) -> None:
    token = await create_api_token(LEAD.email, "a script", uow_factory=uow, clock=clock)
    principal = await token_principal(token, reader=uow)
    assert principal is not None and principal.person.id == LEAD.id
    [listed] = await api_tokens(LEAD.email, reader=uow)
    assert (listed["name"], listed["revoked_at"]) == ("a script", None) and token not in listed.values()
    with pytest.raises(InvalidInput, match="no live API token"):
        await revoke_api_token("comm@nhs.test", listed["id"], uow_factory=uow, clock=clock)
    await revoke_api_token(LEAD.email, listed["id"], uow_factory=uow, clock=clock)
    assert await token_principal(token, reader=uow) is None
    assert isinstance((await api_tokens(LEAD.email, reader=uow))[0]["revoked_at"], datetime)
