"""How use cases open a unit of work, and what they need from it (so fakes can stand in)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.uow import SqlUnitOfWork, writing

UowFactory = Callable[[], AbstractAsyncContextManager[SqlUnitOfWork]]
"""Opens a writing unit of work; ``SqlUnitOfWork`` is the one implementation today."""


def sql_uow_factory(engine: AsyncEngine) -> UowFactory:
    writer = writing(engine)  # the write option set once, not on every connection

    def open_uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(writer)

    return open_uow


def sql_reader_factory(engine: AsyncEngine) -> UowFactory:
    def open_uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(engine)

    return open_uow
