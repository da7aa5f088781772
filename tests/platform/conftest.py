"""The platform's tests run on PostgreSQL only: without `INSPECTION_TEST_DATABASE_URL` they are
not collected at all (nothing is reported as skipped); with it they must pass."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.backends import postgres_url
from tests.support.live_server import add_solver_load
from tests.support.platform import Platform, platform

collect_ignore_glob = [] if postgres_url() else ["test_*.py"]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """`inspection serve` and two `inspection worker` on a fresh database, with the load of
    :func:`add_solver_load` (a week that takes the solver more than an instant)."""
    shared = postgres_url()
    assert shared is not None
    with platform(shared, tmp_path_factory.mktemp("platform")) as running:
        add_solver_load(running.api, running.database)
        yield running
