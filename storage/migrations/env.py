"""Alembic environment: migrations run on a connection handed over by ``storage.migrate``."""

from __future__ import annotations

from alembic import context

from storage.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `dhrflow init` (storage.migrate.upgrade), not the alembic CLI")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
