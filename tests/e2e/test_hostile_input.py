"""Input no form of ours sends (non-ASCII tokens, ids past 64 bits, dates in year 1 or 9999) is refused as a
client's mistake (4xx, one line), on both databases, never a 500 (security review, issue 14)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Site
from tests.e2e.test_security import action_id
from tests.integration.helpers import LEAD

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)

async def test_a_non_ascii_csrf_token_or_flash_signature_counts_as_a_wrong_one(site: Site) -> None:
    lead = await site.browser(LEAD)
    aid = await action_id(site)
    data = {"csrf": "jeton-é", "event": "record_progress", "note": "x", "version": "0"}
    refused = await lead.post(f"/actions/{aid}/transitions", data=data)
    assert refused.status_code == 403 and "security token" in refused.text
    stranger = site.client()
    await stranger.get("/sign-in")  # the double-submit cookie
    sign_in = await stranger.post("/sign-in", data={"email": LEAD, "password": "x", "csrf": "ключ"})
    assert sign_in.status_code == 403
    forged = await lead.get("/", params={"done": "Call 0800 000 000", "sig": "подпись"})
    assert forged.status_code == 200 and "0800" not in forged.text
    odd = {"cookie": "dhrflow_session=sésame; dhrflow_sign_in=clé".encode(), "authorization": "Bearer dhr_é".encode()}
    assert (await site.client().get("/", headers=odd)).status_code == 303  # to the sign-in form
    assert (await site.client().get("/api/v1/me", headers=odd)).status_code == 401
    assert (await site.client().post("/sign-in", headers=odd, data={"csrf": "clef"})).status_code == 403
