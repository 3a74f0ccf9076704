"""``dhrflow``: the command line. Every command is a thin shell over ``workflows``.

Errors a person can cause (bad input, a refused transition, a conflict, an
unreachable database) print one line on stderr and exit non-zero; tracebacks
are for bugs only.

The commands live in ``cli.commands``, one module per capability, and each module adds its own one way:
``register(root)``. ``COMMANDS`` lists the modules in the order ``dhrflow --help`` shows what they add:
Typer lists a group's commands in the order they were added, then its subgroups in theirs.

Every command module is imported at every start (``--help`` shows them all), so each must be cheap to import:
at its top, Typer, ``cli.runner``, ``cli.render``, ``domain`` and the standard library; the use cases, queries,
settings and documents it calls are imported inside the command that calls them (and named for the type
checker under ``TYPE_CHECKING``). Adding a command is still a module and its entry in ``COMMANDS``. A read
command then loads the database layer and its query, never Prefect, FastAPI, the document writers or
structlog: ``tests/integration/cli/test_imports.py`` holds that, and ``bench/cli_cases.py`` times it.
"""

from __future__ import annotations

import logging
import sys
from typing import Annotated, Protocol

import typer

from cli.commands import (
    accounts,
    acknowledgements,
    actions,
    backup,
    board_cycle,
    bulk,
    calendar_feed,
    database,
    demo,
    deploy,
    deputies,
    exports,
    extensions,
    final_audit,
    impact,
    import_plan,
    ladders,
    log,
    notify,
    people,
    recommendations,
    reports,
    review,
    reviews,
    serve,
    sweep,
    tasks,
    themes,
    transitions,
)
from workflows.runtime.observability import configure_logging


class CommandModule(Protocol):
    """A module of ``cli.commands``."""

    def register(self, root: typer.Typer) -> None:
        """Add the module's commands and groups to ``root``."""


COMMANDS: tuple[CommandModule, ...] = (
    database,  # init
    demo,
    reviews,
    review,  # group: review
    recommendations,  # recommendations; group: recommendation
    tasks,
    actions,  # actions, show
    transitions,  # submit, progress, verify, reject, assure, withdraw, lifecycle
    bulk,  # group: bulk
    people,  # group: people
    log,  # group: log
    exports,  # group: export
    notify,  # group: notify
    deputies,  # group: deputy
    calendar_feed,  # group: calendar
    themes,  # group: themes
    board_cycle,  # group: board
    import_plan,  # group: import
    ladders,  # group: ladder
    extensions,  # reassign; group: extend
    sweep,
    acknowledgements,  # escalations, acknowledge
    final_audit,  # group: final-audit
    impact,  # group: impact
    accounts,  # group: token
    serve,
    deploy,  # deploy, worker
    backup,  # backup, restore
    reports,  # group: report
)

app = typer.Typer(
    name="dhrflow",
    help="Take every action of a Domestic Homicide Review plan to a signed-off, evidenced close.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens.")] = False) -> None:
    configure_logging(logging.INFO if verbose else logging.WARNING)


for _module in COMMANDS:
    _module.register(app)


def main() -> None:
    """The ``dhrflow`` entry point: usage mistakes are one line too, not a box of help."""
    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        typer.echo("error: stopped", err=True)
        sys.exit(130)
    except typer.TyperException as exc:  # Typer's own click: usage errors and the like
        show = getattr(exc, "show", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and callable(show):
            show()  # a bare `dhrflow` or `dhrflow people`: the help is the answer
            sys.exit(0)
        ctx = getattr(exc, "ctx", None)
        command = ctx.command_path if ctx is not None else "dhrflow"
        message = " ".join(str(getattr(exc, "format_message", exc.__str__)()).split())
        typer.echo(f"error: {message} (see `{command} --help`)", err=True)
        sys.exit(int(getattr(exc, "exit_code", 2)))
    sys.exit(code if isinstance(code, int) else 0)
