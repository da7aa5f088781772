"""Plans over HTTP: 202, a worker process solves, progress and rounds come back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.api.app import create_app
from inspection.db.tables import PlanRow
from inspection.services.plans import create_plan
from inspection.services.runner import fail_interrupted_plans
from tests.keyed_client import KeyedClient, wait_for_plan
from tests.service_data import ACTOR, FACTORY
from tests.test_db_mapping import WEEK, _fill


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    with Session(engine) as session:
        _fill(session)
    with KeyedClient(create_app(engine=engine), engine) as test_client:
        yield test_client


def test_plan_runs_in_a_worker_and_its_rounds_are_served(client: TestClient) -> None:
    started = client.post(
        "/api/v1/plans", json={"start": str(WEEK[0]), "end": str(WEEK[1]), "time_limit_s": 5}
    )
    assert started.status_code == 202, started.text
    location = started.headers["location"]
    assert started.json()["status"] == "queued"
    plan = wait_for_plan(client, location)
    assert plan["status"] == "finished", plan
    statistics = plan["statistics"]
    assert isinstance(statistics, dict)
    rounds = client.get(f"{location}/rounds").json()
    assert len(rounds) == statistics["rounds"]
    assert all(r["lead_unit"] in r["units"] for r in rounds)
    first_diff = client.get(f"{location}/diff").json()  # nothing published yet: all new
    assert (len(first_diff["kept"]), len(first_diff["added"])) == (0, len(rounds))
    assert first_diff["removed"] == []
    published = client.post(f"{location}/publish")
    assert published.status_code == 200
    assert published.json()["published"] is True
    assert client.post(f"{location}/publish").status_code == 409
    plan_id = published.json()["id"]
    assert [p["id"] for p in client.get("/api/v1/plans").json()] == [plan_id]
    assert [p["id"] for p in client.get("/api/v1/plans?published=true").json()] == [plan_id]
    assert client.get("/api/v1/plans?published=false").json() == []

    announced = client.get("/api/v1/rounds").json()
    assert len(announced) == len(rounds)
    assert {(r["enterprise"], r["date"]) for r in announced} == {
        (r["enterprise"], r["date"]) for r in rounds
    }
    in_town = client.get("/api/v1/rounds", params={"town": "石角镇"}).json()
    assert {r["town"] for r in in_town} <= {"石角镇"}
    assert all(r["enterprise"] == FACTORY for r in in_town)
    by_unit = client.get("/api/v1/rounds", params={"unit": "XFJY"}).json()
    assert by_unit
    assert all("XFJY" in r["units"] for r in by_unit)
    late = client.get("/api/v1/rounds", params={"from": "2024-06-10"}).json()
    assert late == []
    left_out = client.get(f"{location}/unscheduled").json()
    assert len(left_out) == statistics["requests"] - statistics["scheduled_requests"]
    assert all(u["code"] and u["reason"] for u in left_out)


def test_bad_horizon_and_unknown_plan(client: TestClient) -> None:
    reversed_ = client.post("/api/v1/plans", json={"start": "2024-06-09", "end": "2024-06-03"})
    assert reversed_.status_code == 422
    assert reversed_.json()["field"] == "end"
    assert client.get("/api/v1/plans/777").status_code == 404
    assert client.get("/api/v1/plans/777/rounds").status_code == 404


def test_plans_left_unfinished_by_a_dead_server_become_failed(engine: Engine) -> None:
    with Session(engine) as session:
        _fill(session)
        plan = create_plan(session, ACTOR, *WEEK, time_limit_s=5)
        plan.status = "running"
        session.add(plan)
        session.commit()
        plan_id = plan.id
    assert fail_interrupted_plans(engine) == 1
    with Session(engine) as session:
        failed = session.get(PlanRow, plan_id)
        assert failed is not None
        assert failed.status == "failed"
        assert failed.error


def test_events_stream_until_the_plan_ends(client: TestClient) -> None:
    import json

    started = client.post(
        "/api/v1/plans", json={"start": str(WEEK[0]), "end": str(WEEK[1]), "time_limit_s": 5}
    )
    location = started.headers["location"]
    seen = []
    with client.stream("GET", f"{location}/events") as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("data: "):
                seen.append(json.loads(line.removeprefix("data: ")))
    assert seen
    assert seen[-1]["status"] == "finished"
    assert all(event["id"] == started.json()["id"] for event in seen)
    assert client.get("/api/v1/plans/999/events").status_code == 404
