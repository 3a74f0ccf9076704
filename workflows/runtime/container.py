"""What an entrypoint builds once: settings, engine, unit-of-work factories, clock, evidence store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from domain.rag import RagPolicy
from storage import migrate
from storage.chain import SEAL_OPTION
from storage.engine import async_url, make_engine
from storage.errors import DatabaseNotReady
from storage.evidence_store import EvidenceStore
from storage.private_files import private_file, private_folder
from storage.uow import SqlUnitOfWork, Tx, writing
from workflows import ports
from workflows.ports import UowFactory
from workflows.runtime.clock import Clock, SystemClock
from workflows.runtime.settings import Settings


@dataclass(frozen=True)
class App:
    settings: Settings
    engine: AsyncEngine
    uow: UowFactory
    reader: UowFactory
    clock: Clock
    store: EvidenceStore

    @property
    def rag_policy(self) -> RagPolicy:
        return RagPolicy(warning_days=self.settings.rag_warning_days)


@asynccontextmanager
async def open_app(
    settings: Settings, *, clock: Clock | None = None, migrate_schema: bool = False
) -> AsyncIterator[App]:
    """Open the database; with ``migrate_schema`` create or upgrade it first.

    Raises:
        DatabaseNotReady: the schema is missing or behind and ``migrate_schema`` is off.
    """
    url = settings.effective_database_url
    sqlite_file = sqlite_path(url)
    if sqlite_file is not None and not migrate_schema and not sqlite_file.exists():
        # Opening would create an empty file where the user perhaps mistyped a folder.
        raise DatabaseNotReady(f"no database at {sqlite_file}: run `dhrflow init` (or check DHRFLOW_DATA_DIR)")
    if sqlite_file is not None:
        private_file(private_folder(sqlite_file.parent) / sqlite_file.name)  # before SQLite makes it 0644
    engine = make_engine(url)
    sealed = engine  # the same engine, its appends sealed under the log key when one is set
    if settings.log_key is not None and settings.log_key.get_secret_value():
        sealed = engine.execution_options(**{SEAL_OPTION: settings.log_key.get_secret_value().encode()})
    try:
        if migrate_schema:
            await migrate.upgrade(engine)
        elif not await migrate.is_current(engine):
            raise DatabaseNotReady(f"the database at {_safe(url)} is not set up for this release: run `dhrflow init`")
        yield App(
            settings=settings,
            engine=engine,
            uow=sql_uow_factory(sealed),
            reader=sql_reader_factory(sealed),
            clock=clock or SystemClock(),
            store=EvidenceStore(settings.evidence_dir),
        )
    finally:
        await engine.dispose()


def _safe(url: str) -> str:
    """The URL without its password, fit for a message."""
    return async_url(url).render_as_string(hide_password=True)


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; ``None`` for other databases."""
    parsed = async_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _sql_tx_is_the_port(tx: Tx) -> ports.Tx:
    """Never called: mypy proves here that the database's transaction is what the use cases are written
    against (and so, in the two factories below, that ``SqlUnitOfWork`` is a ``ports.UnitOfWork``)."""
    return tx


def sql_uow_factory(engine: AsyncEngine) -> UowFactory:
    writer = writing(engine)  # the write option set once, not on every connection

    def open_uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(writer)

    return open_uow


def sql_reader_factory(engine: AsyncEngine) -> UowFactory:
    def open_uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(engine)

    return open_uow
