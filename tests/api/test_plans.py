"""Plans over HTTP: 202, a worker process solves, progress and rounds come back."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.db.tables import PlanRow
from inspection.services.planning.models import PlanStatus
from inspection.services.planning.runner import fail_interrupted_plans
from inspection.services.planning.use_cases import create_plan
from inspection.services.spreadsheets.exports import round_uid
from tests.support.data import ACTOR, FACTORY, FOOD_SHOP, checklist_body
from tests.support.keyed_client import wait_for_plan
from tests.support.world import WEEK, fill_week, week_plan


def test_plan_runs_in_a_worker_and_its_rounds_are_served(api_week: TestClient) -> None:
    started = api_week.post(
        "/api/v1/plans", json={"start": str(WEEK[0]), "end": str(WEEK[1]), "time_limit_s": 5}
    )
    assert started.status_code == 202, started.text
    location = started.headers["location"]
    assert started.json()["status"] == "queued"
    plan = wait_for_plan(api_week, location)
    assert plan["status"] == "finished", plan
    statistics = plan["statistics"]
    assert isinstance(statistics, dict)
    rounds = api_week.get(f"{location}/rounds").json()
    assert len(rounds) == statistics["rounds"]
    assert all(r["lead_unit"] in r["units"] for r in rounds)
    first_diff = api_week.get(f"{location}/diff").json()  # nothing published yet: all new
    assert (len(first_diff["kept"]), len(first_diff["added"])) == (0, len(rounds))
    assert first_diff["removed"] == []
    published = api_week.post(f"{location}/publish")
    assert published.status_code == 200
    assert published.json()["published"] is True
    assert api_week.post(f"{location}/publish").status_code == 409
    plan_id = published.json()["id"]
    assert [p["id"] for p in api_week.get("/api/v1/plans").json()] == [plan_id]
    assert [p["id"] for p in api_week.get("/api/v1/plans?published=true").json()] == [plan_id]
    assert api_week.get("/api/v1/plans?published=false").json() == []

    announced = api_week.get("/api/v1/rounds").json()
    assert len(announced) == len(rounds)
    assert {(r["enterprise"], r["date"]) for r in announced} == {
        (r["enterprise"], r["date"]) for r in rounds
    }
    in_town = api_week.get("/api/v1/rounds", params={"town": "石角镇"}).json()
    assert {r["town"] for r in in_town} <= {"石角镇"}
    assert all(r["enterprise"] == FACTORY for r in in_town)
    by_unit = api_week.get("/api/v1/rounds", params={"unit": "XFJY"}).json()
    assert by_unit
    assert all("XFJY" in r["units"] for r in by_unit)
    late = api_week.get("/api/v1/rounds", params={"from": "2024-06-10"}).json()
    assert late == []
    left_out = api_week.get(f"{location}/unscheduled").json()
    assert len(left_out) == statistics["requests"] - statistics["scheduled_requests"]
    assert all(u["code"] and u["reason"] for u in left_out)


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        (
            {"start": "2024-06-09", "end": "2024-06-03"},
            "end",
            "开始日期 2024-06-09 晚于结束日期 2024-06-03",
        ),
        ({"start": "2024-01-01", "end": "2024-06-30"}, "end", "计划期最长 92 天"),
        ({"start": "2031-01-06", "end": "2031-01-10"}, "start", "法定节假日历只覆盖"),
        ({"start": "2024-06-03", "end": "2024-06-09", "time_limit_s": 0.5}, "time_limit_s", "1"),
        (
            {"start": "2024-06-03", "end": "2024-06-09", "time_limit_s": 3601},
            "time_limit_s",
            "3600",
        ),
    ],
)
def test_a_bad_plan_request_is_422_naming_its_field_and_starts_nothing(
    api_week: TestClient, body: dict[str, object], field: str, problem: str
) -> None:
    answer = api_week.post("/api/v1/plans", json=body)
    assert answer.status_code == 422
    assert answer.json()["field"] == field
    assert answer.json()["detail"].startswith(f"{field}: ")
    assert problem in answer.json()["detail"]
    assert "Value error" not in answer.json()["detail"]  # the model's own sentence, as written
    assert api_week.get("/api/v1/plans").json() == []


def test_bad_horizon_and_unknown_plan(api_week: TestClient) -> None:
    reversed_ = api_week.post("/api/v1/plans", json={"start": "2024-06-09", "end": "2024-06-03"})
    assert reversed_.status_code == 422
    assert reversed_.json()["field"] == "end"
    assert api_week.get("/api/v1/plans/777").status_code == 404
    assert api_week.get("/api/v1/plans/777/rounds").status_code == 404


def test_plans_left_unfinished_by_a_dead_server_become_failed(engine: Engine) -> None:
    with Session(engine) as session:
        fill_week(session)
        plan_id = create_plan(session, ACTOR, week_plan()).id
        row = session.get(PlanRow, plan_id)
        assert row is not None
        row.status = PlanStatus.RUNNING
        session.commit()
    assert fail_interrupted_plans(engine) == 1
    with Session(engine) as session:
        failed = session.get(PlanRow, plan_id)
        assert failed is not None
        assert failed.status == "failed"
        assert failed.error


def test_events_stream_until_the_plan_ends(api_week: TestClient) -> None:
    import json

    started = api_week.post(
        "/api/v1/plans", json={"start": str(WEEK[0]), "end": str(WEEK[1]), "time_limit_s": 5}
    )
    location = started.headers["location"]
    seen = []
    with api_week.stream("GET", f"{location}/events") as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("data: "):
                seen.append(json.loads(line.removeprefix("data: ")))
    assert seen
    assert seen[-1]["status"] == "finished"
    assert all(event["id"] == started.json()["id"] for event in seen)
    assert api_week.get("/api/v1/plans/999/events").status_code == 404


def _replan(client: TestClient) -> str:
    """Plan the week again and wait for it; the plan's location."""
    body = {"start": str(WEEK[0]), "end": str(WEEK[1]), "time_limit_s": 5}
    location = str(client.post("/api/v1/plans", json=body).headers["location"])
    assert wait_for_plan(client, location)["status"] == "finished"
    return location


def _events(client: TestClient, unit: str) -> dict[str, Any]:
    feed = client.get(f"/api/v1/units/{unit}/calendar.ics")
    assert feed.status_code == 200
    return {str(e["uid"]): e for e in Calendar.from_ical(feed.content).walk("VEVENT")}


def test_a_late_checklist_joins_the_announced_round_and_its_unit_s_feed_shows_it(
    api_published_week: TestClient,
) -> None:
    api = api_published_week
    (announced,) = [
        r
        for r in api.get("/api/v1/rounds").json()
        if r["enterprise"] == FACTORY and r["units"] == ["SCJG"]
    ]
    day, before = announced["date"], [q["id"] for q in announced["requests"]]
    scjg_uid = round_uid("SCJG", date.fromisoformat(day), FACTORY)
    first = _events(api, "SCJG")[scjg_uid]
    assert int(first["sequence"]) == 0
    late = checklist_body(unit_id="XFJY", title="消防安全检查", targets=[FACTORY])
    created = api.post("/api/v1/checklists", json=late)
    assert created.status_code == 201, created.text

    location = _replan(api)
    rounds = [r for r in api.get(f"{location}/rounds").json() if r["enterprise"] == FACTORY]
    (joined,) = [r for r in rounds if r["date"] == day and "SCJG" in r["units"]]
    assert joined["units"] == ["SCJG", "XFJY"]
    assert joined["lead_unit"] == announced["lead_unit"]
    (new_request,) = set(joined["requests"]) - set(before)
    assert joined["requests"] == [*before, new_request]
    diff = api.get(f"{location}/diff").json()
    assert diff["joined"] == [
        {
            "enterprise": FACTORY,
            "date": day,
            "requests": [*before, new_request],
            "joined_requests": [new_request],
            "joined_units": ["XFJY"],
        }
    ]
    assert (diff["added"], diff["removed"], diff["second_rounds"]) == ([], [], [])
    assert len(diff["kept"]) == len(api.get("/api/v1/rounds").json()) - 1

    assert api.post(f"{location}/publish").status_code == 200
    now = [r for r in api.get("/api/v1/rounds").json() if r["enterprise"] == FACTORY]
    (live,) = [r for r in now if r["date"] == day and "SCJG" in r["units"]]
    assert [q["checklist_id"] for q in live["requests"]][-1] == created.json()["id"]
    # the new unit finds the round in its feed; the unit already in it gets the update
    xfjy = _events(api, "XFJY")[round_uid("XFJY", date.fromisoformat(day), FACTORY)]
    assert "区消防救援大队" in str(xfjy["description"])
    scjg = _events(api, "SCJG")[scjg_uid]
    assert int(scjg["sequence"]) == 1
    assert "区消防救援大队" in str(scjg["description"])
    assert scjg["last-modified"].dt > first["last-modified"].dt  # the second publication's


def test_a_late_complaint_cannot_join_and_the_diff_flags_the_second_visit(
    api_published_week: TestClient,
) -> None:
    api = api_published_week
    (announced,) = [r for r in api.get("/api/v1/rounds").json() if r["enterprise"] == FOOD_SHOP]
    complaint = checklist_body(
        unit_id="XFJY", title="投诉核查", inspection_type="complaint", targets=[FOOD_SHOP]
    )
    assert api.post("/api/v1/checklists", json=complaint).status_code == 201
    location = _replan(api)
    diff = api.get(f"{location}/diff").json()
    assert diff["joined"] == []
    (added,) = diff["added"]
    assert added["enterprise"] == FOOD_SHOP
    assert diff["second_rounds"] == [
        {
            "enterprise": FOOD_SHOP,
            "dates": sorted([announced["date"], added["date"]]),
            "added": [added["date"]],
        }
    ]
