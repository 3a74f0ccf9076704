"""What every command shares: running a use case with one-line errors and exit codes, the common options,
and reading a date or a choice. Every command module imports it; none imports ``cli.main`` back.

Cheap to import, as every command module must be (``cli.main`` says why): settings, the database and the
libraries under them are imported by ``run``, when a command opens the app.
"""

from __future__ import annotations

import asyncio
import gc
import socket
from collections.abc import Callable, Coroutine
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from domain.errors import DhrflowError, ErrorKind
from domain.target_dates import EARLIEST, LATEST, within_range

if TYPE_CHECKING:
    from workflows.runtime.container import App

T = TypeVar("T")

EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_CONFLICT = 3
EXIT_LOG_BROKEN = 4

EXIT_CODES = {ErrorKind.CONFLICT: EXIT_CONFLICT, ErrorKind.BROKEN_LOG: EXIT_LOG_BROKEN}
"""Each kind of refusal as an exit code: the one place the CLI maps errors; every other kind exits 1."""

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
ReviewOpt = Annotated[str | None, typer.Option("--review", help="Review reference, e.g. BDHR2011/12-03.")]
PartnershipOpt = Annotated[str | None, typer.Option("--partnership", help="Partnership short name, e.g. BCSP.")]
AsOpt = Annotated[str, typer.Option("--as", help="Who acts (email).")]
ForOpt = Annotated[
    str | None, typer.Option("--for", help="Act as this person's deputy (their email; see `dhrflow deputy`).")
]
OutOpt = Annotated[
    Path | None, typer.Option("--out", help="File to write (default: named after it, here); - for standard output.")
]


def fail(message: str, code: int = EXIT_REFUSED) -> typer.Exit:
    """Print ``error: message`` on stderr and return the exit to raise: ``raise fail(...)``, so that the reader
    (and the type checker) sees the command end there."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def run(work: Callable[[App], Coroutine[Any, Any, T]], *, migrate_schema: bool = False) -> T:
    """Open the app, run ``work``, and turn every expected failure into one line and an exit code."""
    from pydantic import ValidationError
    from sqlalchemy.exc import DBAPIError, OperationalError

    from workflows.runtime.container import open_app
    from workflows.runtime.settings import Settings

    async def main() -> T:
        async with open_app(Settings(), migrate_schema=migrate_schema) as opened:
            return await work(opened)

    # The command has imported what it runs with, and that lives as long as the process: set it aside
    # from the cyclic collector, which would go through all of it again at each full collection and once
    # more at the exit (measured: 60 ms of a read command's start). What the work makes is collected as
    # before. ``run`` is the command's, once a process (a test that calls it keeps its objects so, too).
    gc.freeze()
    try:
        return asyncio.run(main())
    except DhrflowError as exc:
        raise fail(str(exc), EXIT_CODES.get(exc.kind, EXIT_REFUSED) if exc.kind else EXIT_REFUSED) from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'values'}: {e['msg']}" for e in exc.errors())
        raise fail(f"settings: {problems}") from None
    except (OperationalError, DBAPIError) as exc:
        raise fail(f"database: {first_line(exc)}") from None
    except (ConnectionError, TimeoutError, socket.gaierror) as exc:
        raise fail(
            f"database: cannot connect ({exc.strerror or exc}); is it running, and is DATABASE_URL right?"
        ) from None
    except OSError as exc:
        raise fail(f"{exc.filename or 'file'}: {exc.strerror or exc}") from None


def first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


def one_line(exc: BaseException) -> str:
    """``Type: the first line of its message``: a library's own failure (Prefect's, uvicorn's) told in one line,
    not a traceback."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0] if text else 'no message'}"


def parse_day(text: str | None, option: str = "--on") -> date | None:
    if text is None:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise fail(f"{option} {text!r} is not a date: give YYYY-MM-DD") from None
    if not within_range(day):
        raise fail(f"{option} {text}: give a date in {EARLIEST.year}-{LATEST.year}")
    return day


def choose(value: str, allowed: tuple[str, ...], option: str = "--format") -> str:
    """``value`` in lower case if it is one of ``allowed``; a usage error naming them if not."""
    if value.lower() not in allowed:
        raise fail(f"{option} {value!r} is not one of: {', '.join(allowed)}", EXIT_USAGE)
    return value.lower()
