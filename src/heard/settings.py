"""Settings of the service and the worker, read from ``HEARD_*`` environment variables.

Only the edges (``heard serve``, ``heard worker``, the server) read settings; they pass
explicit values down, and the engine never reads them. Every field is documented in
``docs/settings.md`` (a test checks that).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """How heard's service runs."""

    model_config = SettingsConfigDict(env_prefix="HEARD_", frozen=True, extra="ignore")

    data_dir: Path = Field(
        default=Path("heard-data"), description="Folder for the SQLite database and the demo team's key."
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; unset means SQLite at <data_dir>/heard.db. PostgreSQL: "
        "postgresql+psycopg://user@host:5432/dbname.",
    )
    host: str = Field(default="127.0.0.1", description="Address the server listens on.")
    port: int = Field(default=8000, ge=0, le=65535, description="Port the server listens on.")
    workers: int = Field(default=1, ge=1, description="Server processes (uvicorn workers).")
    request_threads: int = Field(default=4, ge=1, description="Requests a server process works on at once.")
    max_body_bytes: int = Field(default=1_000_000, ge=1_000, description="Largest request body accepted.")
    max_message_chars: int = Field(default=10_000, ge=1, description="Longest message text accepted.")
    max_policy_bytes: int = Field(
        default=200_000, ge=1_000, description="Largest policy catalogue accepted (PUT and validate)."
    )
    max_scenario_bytes: int = Field(
        default=100_000, ge=1_000, description="Largest practice scenario a team may add (YAML)."
    )
    rate_limit_per_minute: int = Field(
        default=0,
        ge=0,
        description="Requests one API key may make a minute (per server process); 0: no limit.",
    )
    demo_team: bool = Field(
        default=True, description="On first start with no team, create team 'demo' and print its API key."
    )
    migrate: bool = Field(default=True, description="Apply database migrations when the server starts.")
    warm_up: bool = Field(
        default=True, description="Load the models when the server starts, not on the first request."
    )
    log_level: str = Field(default="info", description="Log level of the server and the worker.")
    worker_poll_seconds: float = Field(
        default=2.0, gt=0, description="How often the worker looks for due jobs."
    )
    worker_batch: int = Field(
        default=10, ge=1, description="Follow-ups a worker delivers in one pass (each claimed on its own)."
    )
    worker_lease_seconds: float = Field(
        default=30.0,
        ge=1.0,
        description="How long a worker's claim on a follow-up lasts; renewed while it delivers, so "
        "after a crash the follow-up is taken again this much later.",
    )
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, description="Timeout of one webhook delivery.")
    webhook_max_attempts: int = Field(
        default=5, ge=1, description="Deliveries tried before a follow-up fails."
    )
    webhook_backoff_seconds: float = Field(
        default=30.0, gt=0, description="Wait before the first retry; doubles after each failed try."
    )
    webhook_allow_hosts: str = Field(
        default="",
        description="Comma-separated hosts or IP addresses a webhook may point at even though they "
        "are loopback, private or link-local (e.g. 127.0.0.1 for tests, or an internal receiver).",
    )

    secret_key: str | None = Field(
        default=None,
        description="Signs console sessions; unset: a random key kept in <data_dir>/console-secret. "
        "Set it when several machines serve one team.",
    )
    secrets_key: str | None = Field(
        default=None,
        description="Encrypts helpdesk API tokens and webhook secrets at rest (a Fernet key or a passphrase "
        "of 16+ characters); unset: a random key kept in <data_dir>/secrets-key.",
    )
    console_session_hours: float = Field(
        default=12.0, gt=0, le=24 * 30, description="How long a console sign-in lasts."
    )

    def allowed_webhook_hosts(self) -> frozenset[str]:
        """The hosts of ``webhook_allow_hosts``, lower-cased."""
        return frozenset(
            h.strip().lower().strip("[]") for h in self.webhook_allow_hosts.split(",") if h.strip()
        )

    def url(self) -> str:
        """The database URL in use."""
        return self.database_url or f"sqlite:///{(self.data_dir / 'heard.db').resolve()}"
