"""Amending a checklist over HTTP (ETag / If-Match), and the reference listings."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support.data import FACTORY, FOOD_SHOP, checklist_body
from tests.support.keyed_client import wait_for_plan


def test_amend_with_the_etag_then_a_stale_one_is_412(api_one_unit: TestClient) -> None:
    created = api_one_unit.post("/api/v1/checklists", json=checklist_body(targets=[FOOD_SHOP]))
    location, etag = created.headers["location"], created.headers["etag"]
    assert api_one_unit.get(location).headers["etag"] == etag
    body = checklist_body(title="食品安全专项检查（修订）", targets=[FACTORY, FOOD_SHOP])
    amended = api_one_unit.put(location, json=body, headers={"If-Match": etag})
    assert amended.status_code == 200, amended.text
    assert amended.json()["version"] == 2
    assert amended.json()["targets"] == [FACTORY, FOOD_SHOP]
    assert amended.headers["etag"] != etag
    assert api_one_unit.get(location).json() == {
        k: v for k, v in amended.json().items() if k != "warnings"
    }
    assert amended.json()["warnings"] == []
    stale = api_one_unit.put(location, json=body, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    assert stale.json()["field"] == "If-Match"
    missing = api_one_unit.put(location, json=body)
    assert missing.status_code == 428
    # dropping a target and adding it back keeps one request per target
    fewer = api_one_unit.put(
        location,
        json=checklist_body(targets=[FOOD_SHOP]),
        headers={"If-Match": amended.headers["etag"]},
    )
    assert fewer.json()["targets"] == [FOOD_SHOP]
    back = api_one_unit.put(location, json=body, headers={"If-Match": fewer.headers["etag"]})
    assert back.json()["targets"] == [FACTORY, FOOD_SHOP]


def test_amend_rules(api_one_unit: TestClient) -> None:
    created = api_one_unit.post("/api/v1/checklists", json=checklist_body())
    location, etag = created.headers["location"], created.headers["etag"]
    other_unit = api_one_unit.put(
        location, json=checklist_body(unit_id="XFJY"), headers={"If-Match": etag}
    )
    assert (other_unit.status_code, other_unit.json()["field"]) == (422, "unit_id")
    unknown = api_one_unit.put(
        "/api/v1/checklists/999", json=checklist_body(), headers={"If-Match": '"999-v1"'}
    )
    assert unknown.status_code == 404
    wrong_tag = api_one_unit.put(location, json=checklist_body(), headers={"If-Match": '"7-v1"'})
    assert wrong_tag.status_code == 412
    api_one_unit.post(f"{location}/withdraw")
    withdrawn = api_one_unit.put(location, json=checklist_body(), headers={"If-Match": '"1-v2"'})
    assert withdrawn.status_code == 409


def test_amending_a_published_checklist_is_409(api_one_unit: TestClient) -> None:
    created = api_one_unit.post("/api/v1/checklists", json=checklist_body())
    location, etag = created.headers["location"], created.headers["etag"]
    plan = api_one_unit.post(
        "/api/v1/plans", json={"start": "2024-06-03", "end": "2024-06-09", "time_limit_s": 5}
    )
    plan_location = plan.headers["location"]
    wait_for_plan(api_one_unit, plan_location)
    assert api_one_unit.post(f"{plan_location}/publish").status_code == 200
    refused = api_one_unit.put(
        location, json=checklist_body(title="改"), headers={"If-Match": etag}
    )
    assert refused.status_code == 409
    assert api_one_unit.get(location).json()["version"] == 1  # nothing changed


def test_a_draft_plan_is_stale_once_its_checklist_is_amended(api_one_unit: TestClient) -> None:
    created = api_one_unit.post("/api/v1/checklists", json=checklist_body())
    plan = api_one_unit.post(
        "/api/v1/plans", json={"start": "2024-06-03", "end": "2024-06-09", "time_limit_s": 5}
    )
    plan_location = plan.headers["location"]
    wait_for_plan(api_one_unit, plan_location)
    amended = api_one_unit.put(
        created.headers["location"],
        json=checklist_body(latest="2024-06-04"),
        headers={"If-Match": created.headers["etag"]},
    )
    assert amended.status_code == 200
    refused = api_one_unit.post(f"{plan_location}/publish")
    assert refused.status_code == 409
    assert "重新排期" in refused.json()["detail"]


def test_reference_listings(api_one_unit: TestClient) -> None:
    units = api_one_unit.get("/api/v1/units").json()
    assert [u["id"] for u in units] == ["SCJG"]
    assert api_one_unit.get("/api/v1/units/SCJG").json()["weekday_capacity"] == [3] * 5 + [0, 0]
    assert api_one_unit.get("/api/v1/units/NOPE").status_code == 404
    everything = api_one_unit.get("/api/v1/enterprises").json()
    assert {e["credit_code"] for e in everything} == {FOOD_SHOP, FACTORY}
    found = api_one_unit.get("/api/v1/enterprises", params={"q": "小吃"}).json()
    assert [e["credit_code"] for e in found] == [FOOD_SHOP]
    assert api_one_unit.get("/api/v1/enterprises", params={"town": "石角镇"}).json() == []
    assert api_one_unit.get("/api/v1/enterprises", params={"limit": 1}).json() == everything[:1]
    one = api_one_unit.get(f"/api/v1/enterprises/{FACTORY.lower()}")
    assert one.status_code == 200
    assert one.json()["name"] == "食品厂"
    assert api_one_unit.get("/api/v1/enterprises/91441802MA4UL1AB2X").status_code == 404
