"""``dhrflow token create|revoke|list``: a person's API tokens for the REST API (``dhrflow people password``
sets their password)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli import render
from cli.runner import run

if TYPE_CHECKING:
    from workflows.runtime.container import App


def register(root: typer.Typer) -> None:
    """Add ``token``: ``create``, ``revoke`` and ``list``."""
    token = typer.Typer(help="API tokens for the REST API (stored hashed, revocable).", no_args_is_help=True)
    token.command("create")(token_create)
    token.command("revoke")(token_revoke)
    token.command("list")(token_list)
    root.add_typer(token, name="token")


def token_create(
    as_: Annotated[str, typer.Option("--as", help="Whose token (email).")],
    name: Annotated[str, typer.Option("--name", help="What it is for, e.g. 'board reporting'.")],
) -> None:
    """Make an API token; it is shown this once."""
    from workflows.commands.accounts import create_api_token

    async def work(a: App) -> str:
        return await create_api_token(as_, name, uow_factory=a.uow, clock=a.clock)

    typer.echo(run(work))
    typer.echo("(shown once: send it as 'Authorization: Bearer ...'; `dhrflow token revoke` ends it)", err=True)


def token_revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (`dhrflow token list`).")],
    as_: Annotated[str, typer.Option("--as", help="Whose token (email).")],
) -> None:
    """Revoke an API token at once."""
    from workflows.commands.accounts import revoke_api_token

    async def work(a: App) -> None:
        await revoke_api_token(as_, token_id, uow_factory=a.uow, clock=a.clock)

    run(work)
    typer.echo(f"token {token_id} revoked")


def token_list(as_: Annotated[str, typer.Option("--as", help="Whose tokens (email).")]) -> None:
    """A person's API tokens: id, name, made, revoked (never the token itself)."""
    from workflows.commands.accounts import api_tokens

    async def work(a: App) -> list[dict[str, Any]]:
        return await api_tokens(as_, reader=a.reader)

    rows = [(t["id"], t["name"], t["created_at"].date(), t["revoked_at"] or "") for t in run(work)]
    typer.echo(render.table(["id", "name", "made", "revoked"], rows))
