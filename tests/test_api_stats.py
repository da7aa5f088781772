"""Figures over HTTP: shapes, filters and bad parameters."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.api.app import create_app
from inspection.services.plans import create_plan, publish_plan, run_plan
from tests.keyed_client import KeyedClient
from tests.service_data import ACTOR
from tests.test_db_mapping import WEEK, _fill


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    with Session(engine) as session:
        _fill(session)
        plan = create_plan(session, ACTOR, *WEEK, time_limit_s=5)
        assert plan.id is not None
        plan_id = plan.id
    run_plan(engine, plan_id)
    with Session(engine) as session:
        publish_plan(session, ACTOR, plan_id)
    with KeyedClient(create_app(engine=engine), engine) as test_client:
        yield test_client


def test_visits_by_town_with_the_rounds_behind(client: TestClient) -> None:
    rounds = client.get("/api/v1/rounds").json()
    answer = client.get("/api/v1/stats/visits", params={"group_by": "town", "detail": "rounds"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["total"]["rounds"] == len(rounds)
    assert body["total"]["requests"] == sum(len(r["requests"]) for r in rounds)
    assert {g["key"] for g in body["groups"]} == {r["town"] for r in rounds}
    behind = [r["round_id"] for g in body["groups"] for r in g["rounds_behind"] if r["counted"]]
    assert len(behind) == len(set(behind)) == len(rounds)


def test_annual_report_paragraph(client: TestClient) -> None:
    answer = client.get("/api/v1/reports/annual", params={"year": WEEK[0].year})
    assert answer.status_code == 200
    report = answer.json()
    assert report["paragraph"].startswith(f"{WEEK[0].year}年，清城区执法单位制定")
    assert report["checklists_drawn_up"] == 3  # the withdrawn one is not counted


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/stats/visits", {"group_by": "week"}, "group_by"),
        ("/api/v1/stats/visits", {"detail": "all"}, "detail"),
        ("/api/v1/stats/visits", {"from": "2024-06-09", "to": "2024-06-01"}, "to"),
        ("/api/v1/stats/visits", {"from": "2024-13-01"}, "from"),
        ("/api/v1/reports/annual", {"year": "1999"}, "year"),
        ("/api/v1/reports/annual", {}, "year"),
    ],
)
def test_bad_parameters_are_problems_naming_the_field(
    client: TestClient, path: str, params: dict[str, str], field: str
) -> None:
    answer = client.get(path, params=params)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == field
