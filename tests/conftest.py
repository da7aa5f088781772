"""Shared fixtures and hypothesis settings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import Engine, text

from inspection.db.engine import make_engine, upgrade
from tests.db_backends import BACKENDS, postgres_url
from tests.desk_harness import browser, desk_server  # noqa: F401  (the desk's fixtures)

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "dev", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def _wipe_postgres(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        created = make_engine(f"sqlite:///{tmp_path / 'data' / 'inspection.db'}")
    else:
        url = postgres_url()
        assert url is not None
        created = make_engine(url)
        _wipe_postgres(created)
    upgrade(created)
    yield created
    if request.param == "postgresql":
        _wipe_postgres(created)
    created.dispose()
