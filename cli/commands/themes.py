"""``dhrflow themes suggest|set|add|list``: lessons across reviews (``dhrflow report themes`` reports them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from cli import render
from cli.runner import EXIT_USAGE, PartnershipOpt, fail, run

if TYPE_CHECKING:
    from domain.themes import Theme
    from workflows.commands.themes import ActionSuggestions
    from workflows.runtime.container import App

AsCoordinator = Annotated[str, typer.Option("--as", help="The coordinator (email).")]


def register(root: typer.Typer) -> None:
    """Add ``themes``: ``suggest``, ``set``, ``add`` and ``list``."""
    themes = typer.Typer(
        help="Themes on actions: suggested from their text, confirmed or removed by the coordinator.",
        no_args_is_help=True,
    )
    themes.command("suggest")(suggest)
    themes.command("set")(set_)
    themes.command("add")(add)
    themes.command("list")(list_)
    root.add_typer(themes, name="themes")


def _lines(found: list[ActionSuggestions], verb: str) -> None:
    if not found:
        typer.echo("no theme to suggest: every theme the text suggests is confirmed or removed already")
        return
    for item in found:
        for s in item.suggestions:
            typer.echo(f"{item.review_ref} {item.action_ref}: {verb} {s.theme} (matched: {', '.join(s.matched)})")


def suggest(
    review: Annotated[str | None, typer.Argument(help="Review reference; leave out for every review.")] = None,
    apply: Annotated[bool, typer.Option("--apply", help="Confirm every suggestion (needs --as).")] = False,
    as_: Annotated[str | None, typer.Option("--as", help="The coordinator (email), with --apply.")] = None,
    partnership: PartnershipOpt = None,
) -> None:
    """Themes the actions' text suggests, with the words that matched; --apply confirms them all."""
    if apply and as_ is None:
        raise fail("--apply: say who confirms the themes with --as COORDINATOR_EMAIL", EXIT_USAGE)
    from workflows.commands.themes import apply_suggestions, suggest_themes

    async def work(a: App) -> list[ActionSuggestions]:
        if apply and as_ is not None:
            return await apply_suggestions(as_, review, uow_factory=a.uow, at=a.clock.now())
        return await suggest_themes(a.reader, review, partnership=partnership)

    _lines(run(work), "confirmed" if apply else "suggests")


def set_(
    ref: Annotated[str, typer.Argument(help="Action ref, e.g. 3.11.2.")],
    theme: Annotated[str, typer.Option("--theme", help="Theme key or label (`dhrflow themes list`).")],
    as_: AsCoordinator,
    remove: Annotated[bool, typer.Option("--remove", help="Remove the theme instead of confirming it.")] = False,
    review: Annotated[str | None, typer.Option("--review", help="Review reference, if the ref is in several.")] = None,
) -> None:
    """Confirm a theme on an action (or remove it): a decision in the log."""
    from workflows.commands.themes import set_theme
    from workflows.context import ActionKey

    async def work(a: App) -> bool:
        key = ActionKey(ref, review)
        return await set_theme(as_, key, theme, remove=remove, uow_factory=a.uow, at=a.clock.now())

    changed = run(work)
    what = "removed from" if remove else "confirmed on"
    typer.echo(f"theme {theme} {what} {ref}" if changed else f"theme {theme} already {what} {ref}: nothing changed")


def add(
    key: Annotated[str, typer.Argument(help="A short lower_snake_case key, e.g. interpreters.")],
    label: Annotated[str, typer.Option("--label", help="How reports name it.")],
    phrase: Annotated[list[str], typer.Option("--phrase", help="A phrase that suggests it (repeat).")],
    as_: AsCoordinator,
) -> None:
    """Add a theme to your partnership's vocabulary (the starter themes stay as they are)."""
    from workflows.commands.themes import add_theme

    async def work(a: App) -> Theme:
        return await add_theme(as_, key, label, phrase, uow_factory=a.uow, at=a.clock.now())

    theme = run(work)
    typer.echo(f"theme {theme.key} added: {theme.label} ({', '.join(theme.phrases)})")


def list_(partnership: PartnershipOpt = None) -> None:
    """The partnership's vocabulary: key, label and the phrases that suggest each theme."""
    from workflows.commands.themes import vocabulary
    from workflows.context import partnership_id

    async def work(a: App) -> list[Theme]:
        async with a.reader() as uow:
            return await uow.run(lambda tx: vocabulary(tx, partnership_id(tx, partnership)))

    rows = [(t.key, t.label, ", ".join(t.phrases)) for t in run(work)]
    typer.echo(render.table(["key", "label", "phrases"], rows))
