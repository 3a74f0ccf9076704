"""``dhrflow people add|password|list``: the people of a partnership, their roles and their passwords."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli import render
from cli.runner import JsonOpt, PartnershipOpt, run

if TYPE_CHECKING:
    from domain.model import Person
    from workflows.runtime.container import App


def register(root: typer.Typer) -> None:
    """Add ``people``: ``add``, ``password`` and ``list``."""
    people = typer.Typer(help="People and their roles.", no_args_is_help=True)
    people.command("add")(people_add)
    people.command("password")(people_password)
    people.command("list")(people_list)
    root.add_typer(people, name="people")


def people_add(
    name: Annotated[str, typer.Option(help="Full name.")],
    email: Annotated[str, typer.Option(help="Email address (their sign-in).")],
    role: Annotated[str, typer.Option(help="lead_officer, commissioner, director, partnership_assurer, ...")],
    agency: Annotated[str | None, typer.Option(help="Their agency (name or part of it).")] = None,
    as_: Annotated[
        str | None, typer.Option("--as", help="The coordinator adding them (not needed before there is one).")
    ] = None,
    partnership: PartnershipOpt = None,
) -> None:
    """Add a person in a role; a director becomes their agency's director."""
    from workflows.commands.people import NewPerson, add_person

    async def work(a: App) -> Any:
        command = NewPerson(name, email, role, agency, partnership)
        return await add_person(command, uow_factory=a.uow, clock=a.clock, actor_email=as_)

    added = run(work)
    where = f" at {added.agency}" if added.agency else ""
    typer.echo(f"added {added.name} <{added.email}> as {added.role.label}{where} (person {added.id})")


def people_password(
    email: Annotated[str, typer.Argument(help="Whose password.")],
    stdin: Annotated[bool, typer.Option("--stdin", help="Read it from standard input (scripts).")] = False,
) -> None:
    """Set a person's password for the web app (asked twice, not echoed); their sessions end."""
    from workflows.commands.accounts import set_password

    if stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)

    async def work(a: App) -> None:
        await set_password(email, password, uow_factory=a.uow, clock=a.clock)

    run(work)
    typer.echo(f"password set for {email}")


def people_list(partnership: PartnershipOpt = None, json_: JsonOpt = False) -> None:
    """People of the partnership and their roles."""
    from workflows.queries.people import people as people_in

    async def work(a: App) -> list[tuple[Person, str]]:
        return await people_in(a.reader, partnership)

    listed = run(work)
    if json_:
        render.emit_json(
            [{"id": p.id, "name": p.name, "email": p.email, "role": str(p.role), "agency": ag} for p, ag in listed]
        )
        return
    typer.echo(
        render.table(["email", "name", "role", "agency"], [(p.email, p.name, p.role.label, ag) for p, ag in listed])
    )
