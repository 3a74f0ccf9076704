"""structlog, configured once per process: key-value events to stderr, context from contextvars."""

from __future__ import annotations

import logging
import sys

import structlog


def configure_logging(level: int = logging.WARNING, *, json: bool = False) -> None:
    """Set up structlog; ``review_ref``, ``action_ref`` and ``flow_run_id`` come from contextvars."""
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
