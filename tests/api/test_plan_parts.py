"""`GET /plans/{id}/parts`: a city plan's district parts, scoped like the plan; none for a
plan solved whole."""

from __future__ import annotations

from datetime import date, datetime

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.services.planning.parts import split_plan
from inspection.services.planning.worker import claim_plan
from tests.support.part_jobs import Recorder, run_parts
from tests.support.regions import CITY, DISTRICTS, RegionWorld, bearer
from tests.support.shares import add_city_unit, plan_of

DAY = date(2024, 6, 5)


def test_a_city_plan_s_parts_are_read_in_the_city(
    engine: Engine, regions: RegionWorld, api_regions: TestClient
) -> None:
    with Session(engine) as session:
        unit = add_city_unit(session, 1, DAY, capacity=2, demand=(3, 1))
    plan = plan_of(engine, CITY, DAY, DAY, run=False)
    attempt = claim_plan(engine, plan)
    assert attempt is not None
    jobs = Recorder()
    assert split_plan(engine, plan, attempt, jobs) is None
    url = f"/api/v1/plans/{plan}/parts"
    queued = api_regions.get(url, headers=bearer(regions.coordinators[CITY]))
    assert queued.status_code == 200
    assert [(p["region"], p["region_name"], p["status"]) for p in queued.json()] == [
        (DISTRICTS[0], "清城区", "queued"),
        (DISTRICTS[1], "清新区", "queued"),
    ]
    assert [p["shared_units"] for p in queued.json()] == [[unit], [unit]]

    run_parts(engine, jobs)
    solved = api_regions.get(url, headers=bearer(regions.coordinators[CITY])).json()
    assert [p["status"] for p in solved] == ["finished", "finished"]
    for part in solved:
        assert set(part) == {
            "region",
            "region_name",
            "status",
            "requests",
            "time_limit_s",
            "shared_units",
            "attempt",
            "progress",
            "priority_bound",
            "relaxed",
            "error",
            "started_at",
            "finished_at",
        }
        assert part["attempt"] == 1
        assert part["progress"]["stage"] == 2
        assert part["priority_bound"] >= part["progress"]["priority"]
        assert part["relaxed"] is True
        assert part["error"] is None
        started = datetime.fromisoformat(part["started_at"])
        assert started.utcoffset() is not None  # stated in UTC, on SQLite too
        assert started <= datetime.fromisoformat(part["finished_at"])
    for district in DISTRICTS:  # a district's coordinator does not see the city's plan
        hidden = api_regions.get(url, headers=bearer(regions.coordinators[district]))
        assert hidden.status_code == 404
        assert hidden.headers["content-type"].startswith("application/problem+json")


def test_a_plan_solved_whole_has_no_parts(
    engine: Engine, regions: RegionWorld, api_regions: TestClient
) -> None:
    plan = plan_of(engine, DISTRICTS[0], DAY, DAY)
    assert api_regions.get(f"/api/v1/plans/{plan}/parts").json() == []
    assert api_regions.get("/api/v1/plans/999/parts").status_code == 404
