"""Shared fixtures and hypothesis settings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import Engine

from inspection.db.engine import make_engine, upgrade
from tests.support.backends import BACKENDS, postgres_url, wipe_postgres

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "dev", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _plans_solved_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apps built by tests solve plans in processes of their own, also on PostgreSQL (where
    the default is the job queue): the API's tests need no worker. The queue is tested with
    real `inspection worker` processes in tests/platform/."""
    monkeypatch.setenv("INSPECTION_JOBS", "in-process")


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A fresh, migrated database: a SQLite file, and PostgreSQL's when it is configured."""
    if request.param == "sqlite":
        created = make_engine(f"sqlite:///{tmp_path / 'data' / 'inspection.db'}")
    else:
        url = postgres_url()
        assert url is not None
        created = make_engine(url)
        wipe_postgres(created)
    upgrade(created)
    yield created
    if request.param == "postgresql":
        wipe_postgres(created)
    created.dispose()
