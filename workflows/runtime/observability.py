"""structlog, configured once per process: key-value events to stderr, context from contextvars.

An entry point says how its process logs (``configure_logging``); the modules that log take their logger
from ``get_logger``. structlog is set up when both have happened, whichever comes first: a CLI command that
logs nothing (``dhrflow actions``) never imports structlog, which with the ``rich`` it loads would cost a
tenth of a second of its start.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

_wanted: tuple[int, bool] | None = None
"""The level and format the entry point asked for, until structlog is loaded to take them."""


def configure_logging(level: int = logging.WARNING, *, json: bool = False) -> None:
    """Set up structlog; ``review_ref``, ``action_ref`` and ``flow_run_id`` come from contextvars.

    If no module has loaded structlog yet, the setup waits for the first ``get_logger``.
    """
    global _wanted
    _wanted = (level, json)
    # asyncio warns "socket.send() raised exception." for each write to a connection already lost (a database
    # that ended it): the error the entry point reports says so once, in one line. Its errors still show.
    logging.getLogger("asyncio").setLevel(max(level, logging.ERROR))
    if "structlog" in sys.modules:
        _configure(level, json)


def get_logger(name: str) -> Any:
    """``structlog.get_logger(name)``, once structlog is set up as the entry point asked (if it asked)."""
    import structlog

    if _wanted is not None and not structlog.is_configured():
        _configure(*_wanted)
    return structlog.get_logger(name)


def _configure(level: int, json: bool) -> None:
    import structlog

    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
