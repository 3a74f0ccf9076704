"""The coordinator's ladders page: the escalation ladders in force, their steps set from a form (a new version
each time), and the catch-up rule for steps missed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from domain.ladders import KINDS, REVIEW_TOLD, TOLD, CatchUp, Ladder, LadderName, parse_step
from web.pages.common import Coordinator
from web.refusals import submitted
from web.security import check_csrf, dhr
from web.templating import render
from workflows.commands.ladders import set_catch_up, set_ladder
from workflows.errors import InvalidInput
from workflows.queries import desk
from workflows.queries.ladders import ladders

router = APIRouter(include_in_schema=False)

MAX_STEPS = 20
"""Steps in one ladder."""


@router.get("/ladders")
async def ladders_page(request: Request, principal: Coordinator, done: str = "") -> Response:
    app = dhr(request)
    in_force, catch_up = await ladders(app.reader, await desk.partnership_name(app.reader, principal))
    shown = [(ladder, step_lines(ladder)) for ladder in in_force.values()]
    return await render(
        request,
        "ladders.html",
        principal,
        here="ladders",
        ladders=shown,
        catch_up=str(catch_up),
        catch_ups=[str(c) for c in CatchUp],
        kinds=KINDS,
        told=[str(r) for r in TOLD],
        review_told=[str(r) for r in REVIEW_TOLD],
        flash=done,
    )


def step_lines(ladder: Ladder) -> str:
    """The ladder's steps as the form (and ``dhrflow ladder set --step``) writes them, one per line."""
    return "\n".join(f"{s.key}:{s.offset}:{s.kind}:{'+'.join(str(r) for r in s.notify)}" for s in ladder.steps)


@router.post("/ladders")
async def ladders_set(
    request: Request,
    principal: Coordinator,
    name: Annotated[str, Form()],
    steps: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(principal, csrf)
    app = dhr(request)
    try:
        ladder_name = LadderName(name)
    except ValueError:
        raise InvalidInput(f"no ladder named {name!r}") from None

    async def work() -> str:
        lines = [line.strip() for line in steps.splitlines() if line.strip()]
        if len(lines) > MAX_STEPS:
            raise InvalidInput(f"a ladder has at most {MAX_STEPS} steps")
        parsed = [parse_step(ladder_name, line) for line in lines]
        mine = await desk.partnership_name(app.reader, principal)
        done = await set_ladder(
            ladder_name,
            parsed,
            uow_factory=app.uow,
            clock=app.clock,
            actor_email=principal.person.email,
            partnership=mine,
        )
        return (
            f"{done.ladder.name} is now version {done.ladder.version}; "
            f"the next sweep looks again at {done.rechecked} action(s) under way"
        )

    return await submitted(request, principal, "/ladders", f"ladder-{ladder_name}", {"steps": steps}, work)


@router.post("/ladders/catch-up")
async def ladders_catch_up(
    request: Request, principal: Coordinator, rule: Annotated[str, Form()], csrf: Annotated[str, Form()] = ""
) -> Response:
    check_csrf(principal, csrf)
    app = dhr(request)

    async def work() -> str:
        try:
            chosen = CatchUp(rule)
        except ValueError:
            raise InvalidInput(f"catch-up is {' or '.join(str(c) for c in CatchUp)}, not {rule!r}") from None
        mine = await desk.partnership_name(app.reader, principal)
        await set_catch_up(
            chosen, uow_factory=app.uow, clock=app.clock, actor_email=principal.person.email, partnership=mine
        )
        return f"catch-up is now {chosen}"

    return await submitted(request, principal, "/ladders", "catch-up", {}, work)
