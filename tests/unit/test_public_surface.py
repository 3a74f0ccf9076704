"""The public surface, held still while the house is rearranged: every CLI command with its options and
arguments, and every REST path with its methods. A change to either is a change of the product: update the
snapshot in the same commit, saying why (``DHRFLOW_UPDATE_SNAPSHOTS=1`` rewrites it)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer.main

from cli.main import app
from web.app import create_app
from workflows.runtime.settings import Settings

SNAPSHOTS = Path(__file__).parents[1] / "snapshots"


def _commands(command: Any, path: str) -> list[str]:
    """Each command as ``dhrflow sub command ARG --option ...`` (typer vendors click: read by duck typing)."""
    lines = []
    params = sorted(
        (max(p.opts, key=len) if p.param_type_name == "option" else (p.name or "").upper())
        for p in command.params
        if p.name != "help"
    )
    lines.append(f"{path} {' '.join(params)}".rstrip())
    for name in sorted(getattr(command, "commands", {})):
        lines += _commands(command.commands[name], f"{path} {name}")
    return lines


def _check(name: str, lines: list[str]) -> None:
    snapshot = SNAPSHOTS / name
    text = "\n".join(lines) + "\n"
    if os.environ.get("DHRFLOW_UPDATE_SNAPSHOTS") == "1":
        snapshot.write_text(text, encoding="utf-8")
    assert snapshot.read_text(encoding="utf-8") == text, f"{name} changed: see the module docstring"


def test_the_cli_commands_and_their_options_are_as_published() -> None:
    _check("cli_commands.txt", _commands(typer.main.get_command(app), "dhrflow"))


def test_the_rest_paths_and_their_methods_are_as_published(tmp_path: Path) -> None:
    schema = create_app(Settings(data_dir=tmp_path)).openapi()
    lines = [f"{method.upper()} {path}" for path, ops in sorted(schema["paths"].items()) for method in sorted(ops)]
    _check("openapi_paths.txt", lines)
