"""What the desk reads besides the figures: who am I, a plan's rounds with names, and a
round's checklists with the legal basis of each item, scoped by role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.api.app import create_app
from inspection.services.access import Role
from inspection.services.checklists.service import submit_checklist
from inspection.services.planning.models import PlanCreate
from inspection.services.planning.use_cases import create_plan, publish_plan
from inspection.services.planning.worker import run_plan
from inspection.services.trust.keys import create_key
from inspection.settings import Settings
from tests.support.data import ACTOR, FACTORY, FOOD_SHOP, head_of
from tests.support.keyed_client import KeyedClient
from tests.support.world import fill_week, plan_week, week_checklist, week_plan


@dataclass
class World:
    client: KeyedClient
    published: int
    draft: int
    unit_keys: dict[str, str]


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def world(engine: Engine) -> Iterator[World]:
    with Session(engine) as session:
        fill_week(session)
        first = create_plan(session, ACTOR, week_plan()).id
        assert first is not None
    run_plan(engine, first)
    with Session(engine) as session:
        publish_plan(session, ACTOR, first)
        draft = create_plan(session, ACTOR, week_plan()).id
        assert draft is not None
        unit_keys = {u: create_key(session, ACTOR, Role.UNIT, u).key for u in ("SCJG", "XFJY")}
    run_plan(engine, draft)
    with KeyedClient(create_app(engine=engine), engine) as client:
        yield World(client, first, draft, unit_keys)


def test_me_names_the_role_and_the_unit(world: World) -> None:
    unit = world.client.get("/api/v1/me", headers=_bearer(world.unit_keys["SCJG"]))
    assert unit.status_code == 200
    assert unit.json()["role"] == "unit"
    assert unit.json()["unit_id"] == "SCJG"
    assert unit.json()["unit_name"] == "区市场监督管理局"
    coordinator = world.client.get("/api/v1/me").json()
    assert coordinator["role"] == "coordinator"
    assert coordinator["unit_id"] is None


def test_a_plan_s_rounds_carry_names_towns_and_requests(world: World) -> None:
    rounds = world.client.get(f"/api/v1/plans/{world.published}/rounds").json()
    assert rounds
    published = {r["id"]: r for r in world.client.get("/api/v1/rounds").json()}
    assert set(published) == {r["id"] for r in rounds}
    for summary in rounds:
        assert summary["enterprise_name"] in ("小吃店", "食品厂")
        assert (
            summary["town"]
            == {"小吃店": "凤城街道", "食品厂": "石角镇"}[summary["enterprise_name"]]
        )
        assert summary["requests"] == [q["id"] for q in published[summary["id"]]["requests"]]


def test_a_round_s_detail_lists_its_checklists_items_and_legal_basis(world: World) -> None:
    for summary in world.client.get(f"/api/v1/plans/{world.published}/rounds").json():
        detail = world.client.get(f"/api/v1/rounds/{summary['id']}").json()
        assert detail["published"] is True
        assert [c["request_id"] for c in detail["checklists"]] == summary["requests"]
        for part in detail["checklists"]:
            checklist = world.client.get(f"/api/v1/checklists/{part['checklist_id']}").json()
            assert part["unit_id"] == checklist["unit_id"]
            assert part["title"] == checklist["title"]
            assert [(i["name"], i["legal_basis"]) for i in part["items"]] == [
                (i["name"], i["legal_basis"]) for i in checklist["items"]
            ]
            assert all(i["legal_basis"] for i in part["items"])


def test_units_see_only_published_rounds_they_take_part_in(world: World) -> None:
    rounds = world.client.get(f"/api/v1/plans/{world.published}/rounds").json()
    drafts = world.client.get(f"/api/v1/plans/{world.draft}/rounds").json()
    assert drafts
    for unit, key in world.unit_keys.items():
        for summary in rounds:
            answer = world.client.get(f"/api/v1/rounds/{summary['id']}", headers=_bearer(key))
            expected = 200 if unit in summary["units"] else 404
            assert answer.status_code == expected, (unit, summary)
        for summary in drafts:
            answer = world.client.get(f"/api/v1/rounds/{summary['id']}", headers=_bearer(key))
            assert answer.status_code == 404
            assert answer.json()["field"] == "round_id"
    auditor = _bearer(world.client.keys["auditor"])
    assert world.client.get(f"/api/v1/rounds/{rounds[0]['id']}", headers=auditor).status_code == 200
    assert world.client.get(f"/api/v1/rounds/{drafts[0]['id']}", headers=auditor).status_code == 404
    assert world.client.get(f"/api/v1/rounds/{drafts[0]['id']}").json()["published"] is False
    assert world.client.get("/api/v1/rounds/999999").status_code == 404


def test_coordinators_issue_calendar_links_for_any_unit(world: World) -> None:
    for unit in ("SCJG", "XFJY"):
        issued = world.client.post(f"/api/v1/units/{unit}/feed-token")
        assert issued.status_code == 201, issued.text
        feed = world.client.get(
            issued.json()["url"].split("testserver", 1)[1], headers={"Authorization": ""}
        )
        assert feed.status_code == 200
        assert feed.text.startswith("BEGIN:VCALENDAR")
    assert world.client.post("/api/v1/units/NOPE/feed-token").status_code == 422


def test_left_out_requests_name_their_checklist_unit_and_enterprise(
    world: World, engine: Engine
) -> None:
    # SCJG has no capacity on Saturdays and Sundays: a weekend-only checklist of its stays out
    body = {
        "unit_id": "SCJG",
        "title": "周末检查",
        "items": [{"name": "食品安全", "legal_basis": "《食品安全法》第八十七条"}],
        "targets": [FOOD_SHOP],
        "earliest": "2024-06-08",
        "latest": "2024-06-09",
    }
    assert world.client.post("/api/v1/checklists", json=body).status_code == 201
    with Session(engine) as session:
        asked = PlanCreate(start=date(2024, 6, 8), end=date(2024, 6, 9), time_limit_s=5)
        weekend = create_plan(session, ACTOR, asked).id
        assert weekend is not None
    run_plan(engine, weekend)
    plan = world.client.get(f"/api/v1/plans/{weekend}").json()
    assert plan["time_limit_s"] == 5
    left_out = world.client.get(f"/api/v1/plans/{weekend}/unscheduled").json()
    assert {u["unit_id"] for u in left_out} >= {"SCJG"}
    for entry in left_out:
        checklist = world.client.get(f"/api/v1/checklists/{entry['checklist_id']}").json()
        assert entry["unit_id"] == checklist["unit_id"]
        # named as people know it (the desk shows no ids)
        assert entry["checklist_title"] == checklist["title"]
        assert entry["checklist_reference"] == checklist["reference"]
        assert entry["enterprise"] in checklist["targets"]
        assert (
            entry["enterprise_name"]
            == {FOOD_SHOP: "小吃店", FACTORY: "食品厂"}[entry["enterprise"]]
        )
        assert entry["code"]
        assert entry["reason"]


def test_me_names_the_newest_published_day_the_key_may_see(world: World) -> None:
    announced = world.client.get("/api/v1/rounds").json()
    coordinator = world.client.get("/api/v1/me").json()
    assert coordinator["latest_published_day"] == max(r["date"] for r in announced)
    for unit_id, key in world.unit_keys.items():
        days = [r["date"] for r in announced if unit_id in r["units"]]
        me = world.client.get("/api/v1/me", headers=_bearer(key)).json()
        assert me["latest_published_day"] == (max(days) if days else None)


def test_me_names_no_published_day_before_anything_is_published(api_week: KeyedClient) -> None:
    assert api_week.get("/api/v1/me").json()["latest_published_day"] is None


def test_left_out_requests_name_their_checklist_s_title(world: World, engine: Engine) -> None:
    # its only day is the shop's blackout day: the plan must leave it out
    blocked = week_checklist("SCJG", [FOOD_SHOP], title="停业日检查", earliest="2024-06-05")
    with Session(engine) as session:
        submit_checklist(
            session, head_of("SCJG"), blocked.model_copy(update={"latest": date(2024, 6, 5)})
        )
    plan = plan_week(engine)
    left_out = world.client.get(f"/api/v1/plans/{plan.id}/unscheduled").json()
    assert "停业日检查" in {u["checklist_title"] for u in left_out}
    for request in left_out:
        checklist = world.client.get(f"/api/v1/checklists/{request['checklist_id']}").json()
        assert request["checklist_title"] == checklist["title"]


@pytest.mark.parametrize("public_url", ["https://plan.example.gov.cn", ""])
def test_feed_links_start_with_the_public_url_not_the_host_header(
    engine: Engine, public_url: str
) -> None:
    with Session(engine) as session:
        fill_week(session)
    app = create_app(settings=Settings(public_url=public_url), engine=engine)
    with KeyedClient(app, engine) as client:
        issued = client.post("/api/v1/units/SCJG/feed-token", headers={"Host": "evil.example"})
        assert issued.status_code == 201, issued.text
        token = issued.json()["key"]
    # unset: the request's own address, the only one there is (documented as such)
    base = public_url or "http://evil.example"
    assert issued.json()["url"] == f"{base}/api/v1/units/SCJG/calendar.ics?token={token}"
