"""The mail settings, read from the environment (and ``.env``) at the entrypoint and passed down."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Security = Literal["starttls", "tls", "plain"]

_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


class NotifySettings(BaseSettings):
    """How dhrflow sends its notifications (``DHRFLOW_SMTP_*`` and ``DHRFLOW_NOTIFY_*``).

    Attributes:
        smtp_host, smtp_port: the submission server.
        smtp_security: ``starttls`` (upgrade after connecting; the usual port 587), ``tls``
            (TLS from the first byte; port 465) or ``plain`` (no encryption: a local relay only).
        smtp_username, smtp_password: sign in when both are set.
        smtp_timeout: seconds for connecting and for each SMTP command.
        smtp_ca_file: a CA bundle to trust (a private relay's certificate); the system's otherwise.
        mail_from: the From address; its domain also names the Message-IDs.
        base_url: the web app's address, for the links in messages.
        batch_size: rows claimed per round; one connection per worker is reused across a round.
        concurrency: connections open at once (each sends one message at a time, as SMTP does).
        max_attempts: temporary failures retried up to this many attempts, then a dead letter.
        retry_base_s: the first retry's delay; each further one doubles it (with jitter), capped by ``retry_max_s``.
        digest_hour: hour of the day (Europe/London) at which daily digests go out.
        lease_s: how long a claimed row is left alone by other dispatchers before it may be retried;
            it must outlast a round, or a slow round and another dispatcher send the same message twice.
    """

    model_config = SettingsConfigDict(env_prefix="DHRFLOW_", env_file=".env", extra="ignore")

    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_security: Security = "starttls"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout: float = Field(default=30.0, gt=0, le=600)
    smtp_ca_file: Path | None = None
    mail_from: str = "dhrflow@localhost"
    base_url: str = "http://127.0.0.1:8000"
    notify_batch_size: int = Field(default=200, ge=1, le=10_000)
    notify_concurrency: int = Field(default=4, ge=1, le=64)
    notify_max_attempts: int = Field(default=8, ge=1, le=100)
    notify_retry_base_s: float = Field(default=60.0, ge=0)
    notify_retry_max_s: float = Field(default=6 * 3600.0, ge=0)
    notify_digest_hour: int = Field(default=16, ge=0, le=23)
    notify_lease_s: float = Field(default=600.0, gt=0)

    @model_validator(mode="after")
    def _refuse_unsafe(self) -> NotifySettings:
        if "@" not in self.mail_from:
            raise ValueError(f"DHRFLOW_MAIL_FROM={self.mail_from!r} is not an email address")
        if (self.smtp_username is None) != (self.smtp_password is None):
            raise ValueError("set both DHRFLOW_SMTP_USERNAME and DHRFLOW_SMTP_PASSWORD, or neither")
        if self.smtp_security == "plain" and self.smtp_password is not None and self.smtp_host not in _LOCAL_HOSTS:
            # A password sent in the clear across a network is a password given away.
            raise ValueError("DHRFLOW_SMTP_SECURITY=plain with a password is refused for a server that is not local")
        return self

    @property
    def message_id_domain(self) -> str:
        return self.mail_from.rsplit("@", 1)[1].strip(">").strip() or "localhost"

    @property
    def sign_in(self) -> tuple[str, str] | None:
        if self.smtp_username is None or self.smtp_password is None:
            return None
        return self.smtp_username, self.smtp_password.get_secret_value()
