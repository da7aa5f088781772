"""Figures over HTTP: shapes, filters and bad parameters."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.services.access import Actor, Role
from inspection.services.reference.outcomes import OutcomeStatus
from inspection.services.trust.keys import create_key
from tests.support.keyed_client import wait_for_plan
from tests.support.outcome_rows import confirm, live_rounds, record_outcome
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


def test_a_year_without_published_rounds_says_so_instead_of_zeros(
    api_published_week: TestClient,
) -> None:
    year = WEEK[0].year - 1
    report = api_published_week.get("/api/v1/reports/annual", params={"year": year}).json()
    assert report["rounds"] == 0
    assert (
        report["paragraph"]
        == f"{year}年，清城区尚无已发布的涉企“综合查一次”检查，没有可报告的数字。"
    )


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


def test_a_unit_reads_its_own_share_only(api_published_week: TestClient, engine: Engine) -> None:
    with Session(engine) as session:
        key = create_key(session, Actor("t", Role.ADMIN), Role.UNIT, "XFJY").key
    own = {"Authorization": f"Bearer {key}"}
    mine = api_published_week.get("/api/v1/stats/visits", headers=own)
    assert mine.status_code == 200, mine.text
    assert mine.json()["unit"] == "XFJY"
    asked_for_another = api_published_week.get(
        "/api/v1/stats/visits", params={"unit": "SCJG"}, headers=own
    )
    assert asked_for_another.json() == mine.json()  # scoped to its own, whatever it asks
    as_coordinator = api_published_week.get("/api/v1/stats/visits", params={"unit": "XFJY"})
    assert as_coordinator.json()["total"] == mine.json()["total"]
    assert (
        api_published_week.get("/api/v1/reports/annual?year=2024", headers=own).status_code == 403
    )


def test_a_draft_s_figures_are_the_coordinators(api_week: TestClient, engine: Engine) -> None:
    started = api_week.post(
        "/api/v1/plans", json={"start": "2024-06-03", "end": "2024-06-09", "time_limit_s": 5}
    )
    draft = wait_for_plan(api_week, started.headers["location"])
    as_coordinator = api_week.get("/api/v1/stats/visits", params={"plan": draft["id"]})
    assert as_coordinator.status_code == 200
    assert as_coordinator.json()["plan"] == draft["id"]
    assert as_coordinator.json()["total"]["requests"] == draft["statistics"]["scheduled_requests"]
    assert as_coordinator.json()["total"]["visits_saved"] == draft["statistics"]["visits_saved"]
    with Session(engine) as session:
        key = create_key(session, Actor("t", Role.ADMIN), Role.AUDITOR).key
    auditor = {"Authorization": f"Bearer {key}"}
    hidden = api_week.get("/api/v1/stats/visits", params={"plan": draft["id"]}, headers=auditor)
    assert (hidden.status_code, hidden.json()["field"]) == (404, "plan")


def test_outcomes_show_in_the_figures_and_the_annual_paragraph(
    api_published_week: TestClient, engine: Engine
) -> None:
    before = api_published_week.get("/api/v1/stats/visits").json()["total"]
    assert (before["basis"], before["problem_rate"]) == ("announced", None)
    with Session(engine) as session:
        rounds = live_rounds(session)
        carried = rounds[0]
        for unit in sorted(carried.units):
            record_outcome(session, carried, unit, OutcomeStatus.CARRIED_OUT, problems_found=True)
        confirm(session, carried)
        session.commit()
    body = api_published_week.get(
        "/api/v1/stats/visits", params={"group_by": "month", "detail": "rounds"}
    ).json()
    total = body["total"]
    assert total["basis"] == ("carried_out" if len(rounds) == 1 else "mixed")
    assert total["rounds_carried_out"] == 1
    assert total["unit_parts_carried_out"] == len(carried.units)
    assert total["problem_rate"] == 1.0
    behind = [r for g in body["groups"] for r in g["rounds_behind"] if r["counted_carried_out"]]
    assert [(r["round_id"], r["state"]) for r in behind] == [(carried.round_id, "carried_out")]
    report = api_published_week.get("/api/v1/reports/annual", params={"year": WEEK[0].year})
    paragraph = report.json()["paragraph"]
    assert f"实际实施联合检查1轮，各单位实施检查{len(carried.units)}次" in paragraph
    assert paragraph.endswith("发现问题率100.0%（按已实施统计）。")
