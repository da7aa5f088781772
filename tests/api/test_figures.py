"""Figures over HTTP: shapes, filters and bad parameters."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.support.world import WEEK


def test_visits_by_town_with_the_rounds_behind(api_published_week: TestClient) -> None:
    rounds = api_published_week.get("/api/v1/rounds").json()
    answer = api_published_week.get(
        "/api/v1/stats/visits", params={"group_by": "town", "detail": "rounds"}
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["total"]["rounds"] == len(rounds)
    assert body["total"]["requests"] == sum(len(r["requests"]) for r in rounds)
    assert {g["key"] for g in body["groups"]} == {r["town"] for r in rounds}
    behind = [r["round_id"] for g in body["groups"] for r in g["rounds_behind"] if r["counted"]]
    assert len(behind) == len(set(behind)) == len(rounds)


def test_annual_report_paragraph(api_published_week: TestClient) -> None:
    answer = api_published_week.get("/api/v1/reports/annual", params={"year": WEEK[0].year})
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
    api_published_week: TestClient, path: str, params: dict[str, str], field: str
) -> None:
    answer = api_published_week.get(path, params=params)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == field
