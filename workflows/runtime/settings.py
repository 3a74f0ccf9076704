"""One settings object, read from the environment (and ``.env``) at the entrypoint and passed down."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
"""Where ``dhrflow serve`` listens by default (as ``notifications.settings.NotifySettings`` assumes too)."""


class Settings(BaseSettings):
    """dhrflow's settings.

    Attributes:
        database_url: ``DATABASE_URL``; ``sqlite:///PATH`` or ``postgresql://...`` (the async
            driver is picked by ``storage.engine``). Unset: a SQLite file in the data folder.
        data_dir: ``DHRFLOW_DATA_DIR``; the database (when SQLite), evidence files, Prefect's home.
        environment: ``DHRFLOW_ENVIRONMENT``; ``production`` refuses unsafe values.
        base_url: ``DHRFLOW_BASE_URL``; the web app's address as people reach it, the only origin of the
            absolute links it gives (a calendar feed's address; the mail links read the same variable). Never
            the request's ``Host``: anyone can send ``Host: evil.example`` and have a link to their site shown.
        rag_warning_days: calendar days before a target date at which an open action turns amber.
        board_request_working_days: ``DHRFLOW_BOARD_REQUEST_WORKING_DAYS``; working days before a board
            meeting at which lead officers with open actions are asked for a progress update.
        board_reminder_working_days: working days after that request at which those who have not
            answered are reminded.
    """

    model_config = SettingsConfigDict(env_prefix="DHRFLOW_", env_file=".env", extra="ignore")

    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "DHRFLOW_DATABASE_URL")
    )
    data_dir: Path = Path("data")
    environment: Literal["development", "production"] = "development"
    base_url: str = DEFAULT_BASE_URL
    rag_warning_days: int = Field(default=14, ge=0, le=365)
    board_request_working_days: int = Field(default=10, ge=1, le=60)
    board_reminder_working_days: int = Field(default=5, ge=1, le=60)
    mail_sink_dir: Path | None = None
    """``DHRFLOW_MAIL_SINK_DIR``: where the demo's local mail sink keeps what it received (``dhrflow serve`` sets
    it when it starts one); the web app then shows those messages on its "Sent mail (demo)" page."""
    log_key: SecretStr | None = None
    """``DHRFLOW_LOG_KEY``: when set, every decision is sealed with it (HMAC), and ``log verify`` checks the
    seals, so that someone able to write the database but without the key cannot extend the log unseen.
    Keep it outside the database (the environment of the app, the flows and the CLI)."""

    @field_validator("base_url")
    @classmethod
    def _origin(cls, value: str) -> str:
        address = value.strip().rstrip("/")
        scheme, _, rest = address.partition("://")
        if scheme not in ("http", "https") or not rest or any(c in rest for c in "?#@ "):
            raise ValueError(
                f"DHRFLOW_BASE_URL={value!r}: give the web app's address, e.g. https://dhrflow.example.org"
            )
        return address

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment == "production" and self.database_url is None:
            raise ValueError("DATABASE_URL must be set in production (the embedded SQLite file is for one machine)")
        return self

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'dhrflow.db').resolve()}"

    @property
    def evidence_dir(self) -> Path:
        return self.data_dir / "evidence"
