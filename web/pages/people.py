"""The coordinator's people and agencies pages: who is in the partnership, in which agency and role, and adding
them (a new person sets a password from a reset link)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from domain.roles import Role
from web.pages.common import Coordinator
from web.refusals import submitted
from web.security import check_csrf, dhr
from web.templating import render
from workflows.commands.people import NewPerson, add_agency, add_person
from workflows.queries import desk
from workflows.queries.people import agencies, people

router = APIRouter(include_in_schema=False)


@router.get("/people")
async def people_page(request: Request, principal: Coordinator, done: str = "") -> Response:
    app = dhr(request)
    mine = await desk.partnership_name(app.reader, principal)
    listing = await people(app.reader, mine)
    agencies = sorted({agency for _, agency in listing if agency})
    return await render(
        request,
        "people.html",
        principal,
        here="people",
        listing=listing,
        agencies=agencies,
        roles=[str(r) for r in Role],
        flash=done,
    )


@router.post("/people")
async def people_add(
    request: Request,
    principal: Coordinator,
    name: Annotated[str, Form()],
    email: Annotated[str, Form()],
    role: Annotated[str, Form()],
    agency: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(principal, csrf)
    app = dhr(request)

    async def work() -> str:
        mine = await desk.partnership_name(app.reader, principal)
        command = NewPerson(name, email, role, agency or None, mine)
        added = await add_person(command, uow_factory=app.uow, clock=app.clock, actor_email=principal.person.email)
        return f"{added.email} added as {added.role.label}; they sign in after setting a password from a reset link"

    typed = {"name": name, "email": email, "role": role, "agency": agency}
    return await submitted(request, principal, "/people", "person", typed, work)


@router.get("/agencies")
async def agencies_page(request: Request, principal: Coordinator, done: str = "") -> Response:
    app = dhr(request)
    listing = await agencies(app.reader, await desk.partnership_name(app.reader, principal))
    return await render(request, "agencies.html", principal, here="agencies", listing=listing, flash=done)


@router.post("/agencies")
async def agencies_add(
    request: Request, principal: Coordinator, name: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = ""
) -> Response:
    check_csrf(principal, csrf)
    app = dhr(request)

    async def work() -> str:
        mine = await desk.partnership_name(app.reader, principal)
        added = await add_agency(
            name, uow_factory=app.uow, clock=app.clock, actor_email=principal.person.email, partnership=mine
        )
        return f"{added} added; add its director and lead officers on the people page"

    return await submitted(request, principal, "/agencies", "agency", {"name": name}, work)
