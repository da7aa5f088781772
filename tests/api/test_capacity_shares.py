"""`GET /plans/{id}/capacity-shares`: a plan's shares of city-level units, scoped like the plan."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from tests.support.regions import CITY, DISTRICTS, RegionWorld, bearer
from tests.support.shares import add_city_unit, plan_of

OWN, OTHER = DISTRICTS
DAY = date(2024, 6, 5)


def test_the_shares_of_a_plan_are_read_in_its_region_and_above(
    engine: Engine, regions: RegionWorld, api_regions: TestClient
) -> None:
    with Session(engine) as session:
        unit = add_city_unit(session, 1, DAY, capacity=2, demand=(3, 1))
    plan = plan_of(engine, OWN, DAY, DAY)
    url = f"/api/v1/plans/{plan}/capacity-shares"
    for key in (regions.coordinators[OWN], regions.coordinators[CITY]):
        answer = api_regions.get(url, headers=bearer(key))
        assert answer.status_code == 200
        assert answer.json() == [
            {
                "unit_id": unit,
                "unit_name": "市市场监管局",
                "region": OWN,
                "region_name": "清城区",
                "day": "2024-06-05",
                "available": 2,
                "demand": 3,
                "capacity": 2,
                "officers": [],
            }
        ]
    hidden = api_regions.get(url, headers=bearer(regions.coordinators[OTHER]))
    assert hidden.status_code == 404
    assert hidden.headers["content-type"].startswith("application/problem+json")


def test_a_plan_without_shared_units_has_none(
    engine: Engine, regions: RegionWorld, api_regions: TestClient
) -> None:
    plan = plan_of(engine, OWN, DAY, DAY)
    assert api_regions.get(f"/api/v1/plans/{plan}/capacity-shares").json() == []
    assert api_regions.get("/api/v1/plans/999/capacity-shares").status_code == 404
