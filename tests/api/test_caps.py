"""Yearly caps over HTTP: the rules, the standings, and what a submission is told after a
published week (refused where the unit's cap is used up, warned where one visit is left);
on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.services.access import Actor, Role
from inspection.services.spreadsheets.checklists import CHECKLIST_HEADERS
from inspection.services.spreadsheets.io import table_csv
from inspection.services.trust.keys import create_key
from tests.support.data import FACTORY, FOOD_SHOP, checklist_body

PROBLEM = "application/problem+json"
JULY = {"earliest": "2024-07-01", "latest": "2024-07-05"}


def _rule(client: TestClient, **body: Any) -> dict[str, Any]:
    answer = client.post("/api/v1/rules/caps", json={"yearly_limit": 1, **body})
    assert answer.status_code == 201, answer.text
    assert answer.headers["Location"] == f"/api/v1/rules/caps/{answer.json()['id']}"
    return dict(answer.json())


def _unit_key(engine: Engine, unit: str) -> dict[str, str]:
    with Session(engine) as session:
        key = create_key(session, Actor("tests", Role.ADMIN), Role.UNIT, unit).key
    return {"Authorization": f"Bearer {key}"}


def test_rules_are_created_listed_changed_and_a_twin_is_a_problem(
    api_published_week: TestClient,
) -> None:
    client = api_published_week
    first = _rule(client, unit_id="SCJG", risk_class="A", basis="某省市场监管频次规则")
    twin = client.post(
        "/api/v1/rules/caps", json={"unit_id": "SCJG", "risk_class": "A", "yearly_limit": 3}
    )
    assert twin.status_code == 409
    assert twin.headers["content-type"].startswith(PROBLEM)
    assert f"频次规则 {first['id']}" in twin.json()["detail"]
    assert "某省市场监管频次规则" in twin.json()["detail"]
    bad = client.post("/api/v1/rules/caps", json={"unit_id": "SCJG", "yearly_limit": 400})
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith(PROBLEM)
    assert bad.json()["field"] == "yearly_limit"
    unknown = client.post("/api/v1/rules/caps", json={"unit_id": "NOPE", "yearly_limit": 1})
    assert unknown.status_code == 422
    assert unknown.json()["field"] == "unit_id"
    changed = client.patch(f"/api/v1/rules/caps/{first['id']}", json={"active": False})
    assert changed.status_code == 200
    assert changed.json()["active"] is False
    assert [r["id"] for r in client.get("/api/v1/rules/caps").json()] == [first["id"]]
    assert client.get("/api/v1/rules/caps?active=true").json() == []
    missing = client.patch("/api/v1/rules/caps/999", json={"yearly_limit": 2})
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith(PROBLEM)


def test_a_submission_where_the_unit_s_cap_is_used_up_is_a_409_naming_rule_and_count(
    api_published_week: TestClient,
) -> None:
    client = api_published_week
    _rule(client, unit_id="SCJG", yearly_limit=1, basis="市场监管频次规则")
    # the published week holds SCJG's round at both enterprises: its cap is used up there
    refused = client.post("/api/v1/checklists", json=checklist_body(targets=[FACTORY], **JULY))
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"].startswith(PROBLEM)
    problem = refused.json()
    assert problem["field"] == "targets[0]"
    assert "市场监管频次规则" in problem["detail"]
    assert "上限为 1 次" in problem["detail"]
    assert "已安排 1 次" in problem["detail"]
    assert FACTORY in problem["detail"]
    [cap] = problem["caps"]
    assert (cap["unit_id"], cap["credit_code"], cap["used"], cap["left"]) == (
        "SCJG",
        FACTORY,
        1,
        0,
    )
    assert client.get("/api/v1/checklists?unit=SCJG").headers["X-Total-Count"] == "1"
    # a complaint is exempt from the caps, and another year starts again
    exempt = checklist_body(targets=[FACTORY], inspection_type="complaint", **JULY)
    assert client.post("/api/v1/checklists", json=exempt).status_code == 201
    next_year = checklist_body(targets=[FACTORY], earliest="2025-03-03", latest="2025-03-07")
    answer = client.post("/api/v1/checklists", json=next_year)
    assert answer.status_code == 201
    [last_one] = answer.json()["warnings"]  # the new year's one visit is the last one
    assert "2025年" in last_one
    assert "已安排 0 次，剩余 1 次" in last_one


def test_a_submission_with_one_visit_left_is_stored_and_warned(
    api_published_week: TestClient,
) -> None:
    client = api_published_week
    _rule(client, unit_id="SCJG", yearly_limit=2)
    answer = client.post("/api/v1/checklists", json=checklist_body(targets=[FACTORY], **JULY))
    assert answer.status_code == 201, answer.text
    [warning] = answer.json()["warnings"]
    assert FACTORY in warning
    assert "剩余 1 次" in warning
    # read again, the checklist carries no warnings: they belong to the answer that stored it
    again = client.get(f"/api/v1/checklists/{answer.json()['id']}")
    assert "warnings" not in again.json()
    caps = client.get(f"/api/v1/checklists/{answer.json()['id']}/caps").json()
    assert caps[0]["credit_code"] == FACTORY
    assert "还可检查 1 次（上限 2 次" in caps[0]["sentences"][0]


def test_an_amendment_is_refused_once_the_cap_is_used_up(api_published_week: TestClient) -> None:
    client = api_published_week
    created = client.post("/api/v1/checklists", json=checklist_body(targets=[FOOD_SHOP], **JULY))
    assert created.status_code == 201
    rule = _rule(client, unit_id="SCJG", yearly_limit=1)
    url = f"/api/v1/checklists/{created.json()['id']}"
    body = checklist_body(targets=[FOOD_SHOP], title="七月复查", **JULY)
    amend = client.put(url, json=body, headers={"If-Match": created.headers["ETag"]})
    assert amend.status_code == 409
    assert amend.json()["field"] == "targets[0]"
    assert client.get(url).json()["version"] == 1
    # with one visit left the amendment is stored, and warned
    assert client.patch(f"/api/v1/rules/caps/{rule['id']}", json={"yearly_limit": 2}).is_success
    amend = client.put(url, json=body, headers={"If-Match": created.headers["ETag"]})
    assert amend.status_code == 200, amend.text
    assert amend.json()["version"] == 2
    [warning] = amend.json()["warnings"]
    assert "剩余 1 次" in warning


def test_a_spreadsheet_row_whose_target_is_used_up_is_a_row_error(
    api_published_week: TestClient,
) -> None:
    client = api_published_week
    _rule(client, unit_id="SCJG", yearly_limit=1)
    rows = [
        ["J-1", "SCJG", "七月检查", "日常", "2024-07-01", "2024-07-05", "", "事项", "依据", ""],
        ["J-1", "", "", "", "", "", "", "", "", FACTORY],
    ]
    content = table_csv(CHECKLIST_HEADERS, rows)
    answer = client.post(
        "/api/v1/checklists/import", files={"file": ("c.csv", content, "text/csv")}
    )
    assert answer.status_code == 422, answer.text
    [error] = answer.json()["errors"]
    assert (error["row"], error["column"]) == (3, "检查对象")
    assert "上限为 1 次" in error["problem"]
    # with room for one more, the import stores it and says so
    rule_id = client.get("/api/v1/rules/caps").json()[0]["id"]
    assert client.patch(f"/api/v1/rules/caps/{rule_id}", json={"yearly_limit": 2}).is_success
    stored = client.post(
        "/api/v1/checklists/import", files={"file": ("c.csv", content, "text/csv")}
    )
    assert stored.status_code == 201, stored.text
    [warning] = stored.json()["warnings"]
    assert warning.startswith("清单编号 J-1：")
    assert "剩余 1 次" in warning


def test_the_standings_per_enterprise_and_a_unit_sees_its_own(
    api_published_week: TestClient, engine: Engine
) -> None:
    client = api_published_week
    _rule(client, unit_id="SCJG", yearly_limit=2)
    _rule(client, unit_id="XFJY", yearly_limit=2)
    _rule(client, unit_id=None, yearly_limit=3)
    everything = client.get("/api/v1/caps?year=2024").json()
    assert [e["credit_code"] for e in everything] == sorted([FOOD_SHOP, FACTORY])
    factory = next(e for e in everything if e["credit_code"] == FACTORY)
    assert [(c["scope"], c["unit_id"], c["used"], c["left"]) for c in factory["caps"]] == [
        ("enterprise", None, 1, 2),
        ("unit", "SCJG", 1, 1),
        ("unit", "XFJY", 0, 2),
    ]
    assert "剩余 1 次" in factory["caps"][1]["summary"]
    own = client.get("/api/v1/caps?year=2024&unit=XFJY", headers=_unit_key(engine, "SCJG"))
    assert {c["unit_id"] for e in own.json() for c in e["caps"]} == {None, "SCJG"}
    one = client.get(f"/api/v1/enterprises/{FACTORY}/caps?year=2024").json()
    assert one["caps"] == factory["caps"]
    assert client.get("/api/v1/enterprises/91441802000000000X/caps").status_code == 404
    assert client.get("/api/v1/caps?year=1999").status_code == 422
