"""The fault suite runs on the integration tier's databases and CLI, and borrows the web app fixture of the
HTTP tests."""

from tests.e2e.conftest import site
from tests.integration.conftest import (
    _demo,
    _imported,
    _staffed,
    app,
    cli,
    cli_forker,
    database_url,
    demo,
    imported,
    pg_template,
    settings,
    sqlite_template,
    staffed,
)

__all__ = [
    "_demo",
    "_imported",
    "_staffed",
    "app",
    "cli",
    "cli_forker",
    "database_url",
    "demo",
    "imported",
    "pg_template",
    "settings",
    "site",
    "sqlite_template",
    "staffed",
]
