"""Settings from the environment (prefix ``INSPECTION_``), built by a factory, never at import."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "get_settings"]

# room around a file in a multipart body: boundaries, part headers, the file's name
_MULTIPART_ENVELOPE_BYTES = 64 * 1024


class Settings(BaseSettings):
    """Service settings.

    Attributes:
        data_dir: Where the embedded database and other files live.
        database_url: SQLAlchemy URL; empty means the SQLite file in `data_dir`.
            PostgreSQL: ``postgresql+psycopg://user@host:5432/name``.
        district_name: The district the service plans for, as reports name it.
        max_upload_bytes: Largest spreadsheet accepted by an import (413 above it over
            HTTP, 422 for any other caller): the one upload limit.
        max_body_bytes: Largest request body other than a file upload (413 above it).
            An upload's body may hold a file of `max_upload_bytes` and its multipart
            envelope, so that for files the upload limit is the one that decides.
        idempotency_ttl_hours: How long the answer to a POST sent with an
            `Idempotency-Key` is kept and replayed; older records are ignored and purged.
        public_url: The service's address as clients reach it (``https://plan.example.gov.cn``),
            the base of the calendar feed links it hands out. Empty: the address the
            request came to (its `Host` header), fit only behind a proxy that sets it.
        max_streams_per_key: Progress streams (`GET /plans/{id}/events`) one API key may
            hold open at once; one more is refused with 429.
        max_concurrent_solves: Solver processes run at once; further plans wait
            `queued` and start in creation order as slots free.
        db_pool_size: Database connections one server process keeps open (its pool).
        db_max_overflow: Connections it may open beyond the pool under load (closed after
            use). On PostgreSQL, API processes × (pool + overflow) plus the workers' must
            stay under the server's `max_connections` (docs/deployment.md).
        public_requests_per_minute: Requests one client address may send to the public
            inspection code routes (`/v/{code}`, `/api/v1/verify/{code}`) per minute;
            429 beyond. Each server process keeps its own count.
        shutdown_grace_s: On SIGTERM, how long requests still running may take to
            finish before they are cancelled (event streams end at once).
        today: The day the service takes as today for recording visits' outcomes (a demo on
            past sample weeks, tests); unset, the district's local date (UTC+8).
        jobs: Who solves queued plans: ``in-process`` (processes the API spawns),
            ``queue`` (procrastinate jobs run by ``inspection worker``, PostgreSQL only) or
            ``auto``: the queue on PostgreSQL, in-process on SQLite.
        heartbeat_s: How often a worker tells the database it is alive; a worker silent
            for three heartbeats is taken for dead and its jobs are retried.
        stalled_cron: When the periodic task retrying dead workers' jobs runs (cron; a
            sixth field, last, counts seconds: ``* * * * * */2`` is every two seconds).
        abort_poll_s: How often a worker looks for abort requests besides notifications.
        max_plan_attempts: Runs a plan may get (a worker died under the others) before it
            is marked failed.
        schedule_cron: When workers look for weekly schedules that are due (cron, seconds
            as a sixth field as above); the schedules themselves are data.
        schedule_timer_s: In-process (SQLite): how often the API looks for due schedules.
        schedule_clock: Tests only: ``REAL_UNIX_S,FAKE_UNIX_S,SPEED``, a clock for the
            schedules that reads FAKE at the real moment REAL and runs SPEED times as fast
            (so weekly moments come every few seconds); empty: real time.
    """

    model_config = SettingsConfigDict(env_prefix="INSPECTION_", extra="ignore")

    data_dir: Path = Field(default=Path("data"))
    database_url: str = ""
    district_name: str = "清城区"
    max_upload_bytes: int = Field(default=5_000_000, ge=1)
    max_body_bytes: int = Field(default=6_000_000, ge=1)
    idempotency_ttl_hours: float = Field(default=24.0, gt=0)
    public_url: str = Field(default="", pattern=r"^(https?://[^\s/?#]+(/[^\s?#]*)?)?$")
    max_streams_per_key: int = Field(default=4, ge=1)
    max_concurrent_solves: int = Field(default=2, ge=1)
    db_pool_size: int = Field(default=20, ge=1)
    db_max_overflow: int = Field(default=20, ge=0)
    shutdown_grace_s: float = Field(default=5.0, gt=0)
    public_requests_per_minute: int = Field(default=30, ge=1)
    today: date | None = None
    jobs: Literal["auto", "in-process", "queue"] = "auto"
    heartbeat_s: float = Field(default=10.0, gt=0)
    stalled_cron: str = Field(default="* * * * *", min_length=9)
    abort_poll_s: float = Field(default=0.5, gt=0)
    max_plan_attempts: int = Field(default=3, ge=1)
    schedule_cron: str = Field(default="*/5 * * * *", min_length=9)
    schedule_timer_s: float = Field(default=60.0, gt=0)
    schedule_clock: str = Field(default="", pattern=r"^(\d+(\.\d+)?,\d+(\.\d+)?,\d+(\.\d+)?)?$")

    @model_validator(mode="after")
    def _queue_needs_postgresql(self) -> Self:
        if self.jobs == "queue" and self.resolved_database_url().startswith("sqlite"):
            raise ValueError("INSPECTION_JOBS=queue 需要 PostgreSQL（INSPECTION_DATABASE_URL）")
        return self

    def uses_queue(self, dialect: str | None = None) -> bool:
        """Whether plans go to the job queue; `dialect` is the engine's when one is given."""
        if self.jobs != "auto":
            return self.jobs == "queue"
        name = dialect or self.resolved_database_url().split(":", 1)[0].split("+", 1)[0]
        return name == "postgresql"

    def upload_body_limit_bytes(self) -> int:
        """The largest body of a file upload the server reads."""
        return self.max_upload_bytes + _MULTIPART_ENVELOPE_BYTES

    def resolved_database_url(self) -> str:
        """The database URL to connect to, defaulting to the embedded SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'inspection.db').resolve()}"


def get_settings() -> Settings:
    """Read the settings from the environment now."""
    return Settings()
