"""The API's worlds: one fixture name per world, each a keyed client over its own database.

- ``api``: an empty service;
- ``api_one_unit``: SCJG and two enterprises, registered over HTTP;
- ``api_imported``: units and enterprises imported from CSV, with a 200 kB upload limit;
- ``api_week``: the hand-made week of :func:`tests.support.world.fill_week`;
- ``api_published_week``: that week planned and published;
- ``api_joint_week``: two joint rounds published (:mod:`tests.support.outcomes_world`), the
  app's today their first visit's day;
- ``regions``: the city of two districts of :mod:`tests.support.regions` (a test module may
  override it with a fuller world), and ``api_regions`` a keyed client over it;
- ``live_database``: a fresh database for a real server process, on each backend.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine
from sqlmodel import Session

from inspection.api.app import create_app
from inspection.settings import Settings
from tests.support.backends import BACKENDS, postgres_url, wipe_postgres
from tests.support.data import FACTORY, FOOD_SHOP
from tests.support.keyed_client import KeyedClient
from tests.support.live_server import LiveDatabase, drop_postgres_database, own_postgres_database
from tests.support.outcomes_world import FACTORY_DAY, publish_joint_week
from tests.support.regions import RegionWorld, fill_regions
from tests.support.sheets import ENTERPRISES_CSV, UNITS_CSV
from tests.support.world import fill_week, run_published_week

SMALL_UPLOAD_LIMIT = 200_000  # small enough that a test can build a file over it


@pytest.fixture
def api(engine: Engine) -> Iterator[TestClient]:
    with KeyedClient(create_app(engine=engine), engine) as client:
        yield client


@pytest.fixture
def api_one_unit(engine: Engine) -> Iterator[TestClient]:
    with KeyedClient(create_app(engine=engine), engine) as client:
        unit = {"id": "SCJG", "name": "区市场监督管理局", "weekday_capacity": [3] * 5 + [0, 0]}
        assert client.post("/api/v1/units", json=unit).status_code == 201
        for code, name in ((FOOD_SHOP, "小吃店"), (FACTORY, "食品厂")):
            created = client.post(
                "/api/v1/enterprises", json={"credit_code": code, "name": name, "town": "凤城街道"}
            )
            assert created.status_code == 201, created.text
        yield client


@pytest.fixture
def api_imported(engine: Engine) -> Iterator[TestClient]:
    settings = Settings(max_upload_bytes=SMALL_UPLOAD_LIMIT)
    with KeyedClient(create_app(settings=settings, engine=engine), engine) as client:
        for path, content in (("units", UNITS_CSV), ("enterprises", ENTERPRISES_CSV)):
            answer = client.post(
                f"/api/v1/{path}/import", files={"file": (f"{path}.csv", content, "text/csv")}
            )
            assert answer.status_code == 201, answer.text
        yield client


@pytest.fixture
def api_week(engine: Engine) -> Iterator[TestClient]:
    with Session(engine) as session:
        fill_week(session)
    with KeyedClient(create_app(engine=engine), engine) as client:
        yield client


@pytest.fixture
def api_published_week(engine: Engine) -> Iterator[TestClient]:
    run_published_week(engine)
    with KeyedClient(create_app(engine=engine), engine) as client:
        yield client


@pytest.fixture
def api_joint_week(engine: Engine) -> Iterator[TestClient]:
    publish_joint_week(engine)
    app = create_app(settings=Settings(today=FACTORY_DAY), engine=engine)
    with KeyedClient(app, engine) as client:
        yield client


@pytest.fixture
def regions(engine: Engine) -> RegionWorld:
    return fill_regions(engine)


@pytest.fixture
def api_regions(engine: Engine, regions: RegionWorld) -> Iterator[TestClient]:
    with KeyedClient(create_app(engine=engine), engine) as client:
        yield client


@pytest.fixture(params=BACKENDS)
def live_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveDatabase]:
    """A fresh, empty database for a real server (`inspection serve`, a process of its own),
    and the environment that points the CLI and the server at it; on each backend."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTION_")}
    env["INSPECTION_DATA_DIR"] = str(tmp_path)
    env["INSPECTION_JOBS"] = "in-process"  # these servers test the runner; tests/platform the queue
    created = False
    shared = postgres_url()
    if request.param == "sqlite":
        url = f"sqlite:///{(tmp_path / 'inspection.db').resolve()}"
    else:
        assert shared is not None
        url, created = own_postgres_database(shared)
        env["INSPECTION_DATABASE_URL"] = url
        if not created:
            engine = create_engine(url)
            wipe_postgres(engine)
            engine.dispose()
    yield LiveDatabase(url=url, env=env, folder=tmp_path)
    if request.param == "postgresql":
        assert shared is not None
        if created:
            drop_postgres_database(shared, url)
        else:
            engine = create_engine(url)
            wipe_postgres(engine)
            engine.dispose()
