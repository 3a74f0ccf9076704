"""Every role x every transition of the lifecycle table x own and other agency, through the REST API.

The matrix is generated from ``domain.lifecycle.TRANSITIONS``: for each row an action
is put in the row's source state, then every person tries the row's event. Only the
row's role, from the agency the guards allow, succeeds; everyone else gets a 403 and
the action is unchanged.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from documents.importer import read_plan
from domain.lifecycle import TRANSITIONS, Guard, Transition
from domain.roles import Role
from domain.states import Event, State
from tests.e2e.conftest import COORDINATOR, Site
from workflows.commands.import_plan import import_plan
from workflows.queries.actions import ActionQuery, ActionView, list_actions

AGENCY_ROLES = (Role.LEAD_OFFICER, Role.COMMISSIONER, Role.DIRECTOR)
STAFF_ROLES = (Role.PARTNERSHIP_ASSURER, Role.COORDINATOR, Role.VIEWER)


def allowed(row: Transition, role: Role, own_agency: bool) -> bool:
    if role is not row.role:
        return False
    if Guard.LEADS_ACTION in row.guards and not own_agency:
        return False
    # The partnership's own staff belong to no agency: "not own agency" binds their deputies (test_deputies.py).
    return not (Guard.NOT_OWN_AGENCY in row.guards and own_agency and role in AGENCY_ROLES)


def body(row: Transition, version: int) -> dict[str, object]:
    return {"event": str(row.event), "expected_version": version, "reason": "Because", "note": "Done"}


class People:
    """One person per role, for the action's agency and for another one, each with an API token."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.made: dict[tuple[Role, str], str] = {}

    async def of(self, role: Role, agency: str | None) -> dict[str, str]:
        key = (role, agency or "")
        if key not in self.made:
            slug = f"{role}.{abs(hash(agency)) % 10**8 if agency else 'staff'}@matrix.test"
            await self.site.person(f"Matrix {role} {agency or ''}", slug, str(role), agency)
            self.made[key] = slug
        return await self.site.token(self.made[key])


async def actions(site: Site) -> list[ActionView]:
    app = site.app
    return await list_actions(app.reader, ActionQuery(), today=app.clock.today(), policy=app.rag_policy)


async def prepare(site: Site, people: People, row: Transition, pool: list[ActionView]) -> ActionView:
    """An action of the pool whose route the row's guards accept, moved to the row's source state."""
    route = {Guard.ROUTE_COMMISSIONER: "commissioner", Guard.ROUTE_FINAL_AUDIT: "final_audit"}
    wanted = [route[g] for g in row.guards if g in route]
    if row.source is State.COMMISSIONER_VERIFIED:
        wanted = ["commissioner"]
    view = next(v for v in pool if v.agency and (not wanted or v.route == wanted[0]))
    pool.remove(view)
    async with site.client() as client:
        version = view.version
        if row.source in (State.EVIDENCE_SUBMITTED, State.COMMISSIONER_VERIFIED):
            lead = await people.of(Role.LEAD_OFFICER, view.agency)
            submit = {"event": str(Event.SUBMIT_EVIDENCE), "expected_version": version, "note": "Evidence"}
            done = await client.post(f"/api/v1/actions/{view.id}/transitions", json=submit, headers=lead)
            assert done.status_code == 200, done.text
            version = done.json()["version"]
        if row.source is State.COMMISSIONER_VERIFIED:
            other = next(v.agency for v in await actions(site) if v.agency and v.agency != view.agency)
            checker = await people.of(Role.COMMISSIONER, other)
            verify = {"event": str(Event.VERIFY), "expected_version": version}
            done = await client.post(f"/api/v1/actions/{view.id}/transitions", json=verify, headers=checker)
            assert done.status_code == 200, done.text
    [fresh] = [v for v in await actions(site) if v.id == view.id]
    assert fresh.state == str(row.source)
    return fresh


async def test_every_role_every_event_own_and_other_agency(site: Site, seed_plan: Path, tmp_path: Path) -> None:
    text = seed_plan.read_text(encoding="utf-8")
    for i in range(2):  # enough actions of each route for one fresh action per row
        copy = tmp_path / f"plan-{i}.txt"
        copy.write_text(text.replace("BDHR2011/12-03", f"BDHR2011/12-9{i}"), encoding="utf-8")
        await import_plan(read_plan(copy), uow_factory=site.app.uow, clock=site.app.clock, actor_email=COORDINATOR)
    people = People(site)
    pool = await actions(site)
    tried = 0
    for row in TRANSITIONS:
        view = await prepare(site, people, row, pool)
        other = next(v.agency for v in pool if v.agency and v.agency != view.agency)
        attempts = [(role, own) for role in AGENCY_ROLES for own in (True, False)]
        attempts += [(role, True) for role in STAFF_ROLES]
        attempts.sort(key=lambda a: allowed(row, *a))  # the one that succeeds goes last: it moves the action
        async with site.client() as client:
            for role, own in attempts:
                agency = (view.agency if own else other) if role in AGENCY_ROLES else None
                headers = await people.of(role, agency)
                url = f"/api/v1/actions/{view.id}/transitions"
                answer = await client.post(url, json=body(row, view.version), headers=headers)
                where = f"{row.event} from {row.source} by {role} ({'own' if own else 'other'} agency)"
                if allowed(row, role, own):
                    assert answer.status_code == 200, f"{where}: {answer.text}"
                    assert answer.json()["to_state"] == str(row.target)
                else:
                    assert answer.status_code == 403, f"{where}: {answer.status_code} {answer.text}"
                    assert answer.headers["content-type"] == "application/problem+json"
                tried += 1
    assert tried == len(TRANSITIONS) * 9


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_stale_version_is_a_409_and_bad_input_a_422(site: Site) -> None:
    people = People(site)
    [view] = [v for v in await actions(site) if v.ref == "3.11.1"]
    lead = await people.of(Role.LEAD_OFFICER, view.agency)
    url = f"/api/v1/actions/{view.id}/transitions"
    async with site.client() as client:
        ok = await client.post(
            url, json={"event": "record_progress", "expected_version": view.version, "note": "x"}, headers=lead
        )
        assert ok.status_code == 200
        stale = await client.post(
            url, json={"event": "record_progress", "expected_version": view.version, "note": "y"}, headers=lead
        )
        assert stale.status_code == 409 and "version" in stale.json()["detail"]
        empty = await client.post(
            url, json={"event": "record_progress", "expected_version": view.version + 1}, headers=lead
        )
        assert empty.status_code == 422 and "progress note" in empty.json()["detail"]
        nonsense = await client.post(url, json={"event": "explode", "expected_version": 1}, headers=lead)
        assert nonsense.status_code == 422 and nonsense.headers["content-type"] == "application/problem+json"
        nobody = await client.get("/api/v1/actions")
        assert nobody.status_code == 401 and nobody.headers["www-authenticate"] == "Bearer"
        missing = await client.get("/api/v1/actions/999999", headers=lead)
        assert missing.status_code == 404
