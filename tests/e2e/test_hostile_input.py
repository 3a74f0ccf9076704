"""Input no form of ours sends (non-ASCII tokens, ids past 64 bits, dates in year 1 or 9999) is refused as a
client's mistake (4xx, one line), on both databases, never a 500 (security review, issue 14)."""

from __future__ import annotations

from typing import Annotated, Any, get_args, get_origin

import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from tests.e2e.conftest import COORDINATOR, Site, csrf_of, kept
from tests.e2e.test_security import action_id
from tests.integration.helpers import ASSURER, LEAD
from web.app import create_app

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)

HUGE = "99999999999999999999"
"""Past 2**63 - 1, the largest id either database holds: a driver overflow, before the fix a 500."""


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


def _is_int(annotation: object) -> bool:
    """``int``, bare or ``Annotated`` with its bounds."""
    return annotation is int or (get_origin(annotation) is Annotated and get_args(annotation)[0] is int)


def _routes_with_ids(site: Site) -> list[tuple[str, str]]:
    """Every page and API route taking an integer from its path, as (method, path with huge ids)."""
    found = []
    # As served (the site's own app is wrapped): FastAPI keeps each included router whole, and the pages and
    # the API each include a router per module, so the walk goes through every level, prefixes and all.
    for served in iter_route_contexts(create_app(site.app.settings).routes):
        route = served.original_route
        if not isinstance(route, APIRoute):
            continue
        ints = [p.name for p in route.dependant.path_params if _is_int(p.field_info.annotation)]
        if ints:
            path = (served.path_format or "").format(**dict.fromkeys(ints, HUGE))
            found += [(method, path) for method in sorted(route.methods)]
    return found


async def test_an_id_past_64_bits_is_refused_on_every_route_that_takes_one(site: Site) -> None:
    routes = _routes_with_ids(site)
    assert ("GET", f"/actions/{HUGE}") in routes and ("POST", f"/deputies/{HUGE}/end") in routes
    coordinator = await site.browser(COORDINATOR)
    csrf = csrf_of((await coordinator.get("/")).text)
    api = await site.token(COORDINATOR)
    for method, path in routes:
        headers = api if path.startswith("/api/") else {}
        body: dict[str, Any] = {"json": {}} if path.startswith("/api/") else {"data": {"csrf": csrf}}
        answer = await coordinator.request(method, path, headers=headers, **({} if method == "GET" else body))
        assert answer.status_code in (404, 422), (method, path, answer.status_code, answer.text[:300])
    retry = await coordinator.post("/notifications/retry", data={"csrf": csrf, "row": HUGE})
    assert retry.status_code in (404, 422), retry.text[:300]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1989-12-31", "2101-01-01"])
async def test_a_date_outside_1990_to_2100_is_refused_with_one_line(site: Site, day: str) -> None:
    said = "between 1990-01-01 and 2100-12-31"
    assurer = await site.browser(ASSURER)
    for bound in ("from", "to"):
        pack = await assurer.get("/reviews/export/board", params={"review": "all", "format": "html", bound: day})
        assert pack.status_code == 422 and said in pack.text, pack.text[:300]

    lead = await site.browser(LEAD)
    aid = await action_id(site)
    csrf = csrf_of((await lead.get(f"/actions/{aid}")).text)
    extension = await lead.post(f"/actions/{aid}/extension", data={"csrf": csrf, "to": day, "reason": "r"})
    assert extension.status_code == 303 and said in (await lead.get(extension.headers["location"])).text
    stand_in = {"csrf": csrf, "deputy": ASSURER, "starts_on": day, "ends_on": "2013-10-02", "reason": "r"}
    assert said in await kept(lead, await lead.post("/deputies", data=stand_in))
    api = await site.client().post(
        f"/api/v1/actions/{aid}/extensions", json={"to": day, "reason": "r"}, headers=await site.token(LEAD)
    )
    assert api.status_code == 422 and said in api.json()["detail"]

    coordinator = await site.browser(COORDINATOR)
    form = {"csrf": csrf_of((await coordinator.get("/board")).text), "day": day}
    board = await coordinator.post("/board/dates", data=form)
    assert said in await kept(coordinator, board)
