"""One settings object, read from the environment (and ``.env``) at the entrypoint and passed down."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """dhrflow's settings.

    Attributes:
        database_url: ``DATABASE_URL``; ``sqlite:///PATH`` or ``postgresql://...`` (the async
            driver is picked by ``storage.engine``). Unset: a SQLite file in the data folder.
        data_dir: ``DHRFLOW_DATA_DIR``; the database (when SQLite), evidence files, Prefect's home.
        environment: ``DHRFLOW_ENVIRONMENT``; ``production`` refuses unsafe values.
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
    rag_warning_days: int = Field(default=14, ge=0, le=365)
    board_request_working_days: int = Field(default=10, ge=1, le=60)
    board_reminder_working_days: int = Field(default=5, ge=1, le=60)

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
