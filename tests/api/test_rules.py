"""The rules over HTTP: settings, quiet-day rules and enterprise classes, with problem+json
errors naming the field."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from inspection.services.spreadsheets.classes import CLASS_HEADERS
from inspection.services.spreadsheets.io import table_csv
from tests.support.data import FACTORY, FOOD_SHOP
from tests.support.keyed_client import KeyedClient

PROBLEM = "application/problem+json"
SETTINGS = {
    "cap_exempt_categories": ["complaint"],
    "no_disturb_exempt_categories": ["complaint", "safety"],
    "officers_per_unit": 2,
    "officer_daily_rounds": 1,
}


def _as(client: TestClient, role: str) -> dict[str, str]:
    assert isinstance(client, KeyedClient)
    keys: dict[str, str] = client.keys
    return {"Authorization": f"Bearer {keys[role]}"}


def test_settings_are_read_by_all_and_replaced_by_coordinators(api: TestClient) -> None:
    replaced = api.put("/api/v1/rules/settings", json={**SETTINGS, "officers_per_unit": 3})
    assert replaced.status_code == 200, replaced.text
    read = api.get("/api/v1/rules/settings", headers=_as(api, "auditor"))
    assert read.json() == replaced.json()
    assert read.json()["officers_per_unit"] == 3
    refused = api.put("/api/v1/rules/settings", json=SETTINGS, headers=_as(api, "auditor"))
    assert refused.status_code == 403


def test_bad_settings_are_a_problem_naming_the_field(api: TestClient) -> None:
    answer = api.put(
        "/api/v1/rules/settings", json={**SETTINGS, "cap_exempt_categories": ["routine", "holiday"]}
    )
    assert (answer.status_code, answer.headers["content-type"]) == (422, PROBLEM)
    assert answer.json()["field"] == "cap_exempt_categories[1]"


def test_quiet_day_rules_are_added_listed_changed_and_shown_by_day(api: TestClient) -> None:
    body = {"name": "企业宁静日", "month_days": [1, 2], "exempt_categories": ["safety"]}
    created = api.post("/api/v1/rules/quiet-days", json=body)
    assert created.status_code == 201, created.text
    rule = created.json()
    assert created.headers["location"] == f"/api/v1/rules/quiet-days/{rule['id']}"
    assert api.get(created.headers["location"]).json() == rule
    calendar = api.get("/api/v1/rules/quiet-days/calendar?from=2024-04-01&to=2024-05-01").json()
    assert [d["day"] for d in calendar] == ["2024-04-01", "2024-04-02", "2024-05-01"]
    assert calendar[0]["exempt_categories"] == ["safety"]
    off = api.patch(f"/api/v1/rules/quiet-days/{rule['id']}", json={"active": False})
    assert off.status_code == 200
    assert off.json()["active"] is False
    assert api.get("/api/v1/rules/quiet-days").json() == [off.json()]
    assert api.get("/api/v1/rules/quiet-days?active=true").json() == []
    assert api.get("/api/v1/rules/quiet-days/calendar?from=2024-04-01&to=2024-04-02").json() == []
    unit_may_not = api.post("/api/v1/rules/quiet-days", json=body, headers=_as(api, "auditor"))
    assert unit_may_not.status_code == 403


def test_quiet_day_problems_name_the_field(api: TestClient) -> None:
    day = api.post("/api/v1/rules/quiet-days", json={"name": "宁静日", "month_days": [1, 2, 32]})
    assert (day.status_code, day.headers["content-type"]) == (422, PROBLEM)
    assert day.json()["field"] == "month_days[2]"
    assert day.json()["detail"] == "month_days[2]: 32 不是月份中的日期（应为 1–31）"
    empty = api.post("/api/v1/rules/quiet-days", json={"name": "宁静日"})
    assert (empty.status_code, empty.json()["field"]) == (422, "month_days")
    backwards = api.post(
        "/api/v1/rules/quiet-days",
        json={
            "name": "宁静日",
            "dates": ["2024-04-01"],
            "valid_from": "2024-05-01",
            "valid_to": "2024-04-01",
        },
    )
    assert (backwards.status_code, backwards.json()["field"]) == (422, "valid_to")
    missing = api.patch("/api/v1/rules/quiet-days/99", json={"active": False})
    assert (missing.status_code, missing.headers["content-type"]) == (404, PROBLEM)


def test_enterprise_classes_are_set_over_http_and_shown(api_one_unit: TestClient) -> None:
    api = api_one_unit
    body = {
        "no_disturb": True,
        "no_disturb_source": "无事不扰名单",
        "no_disturb_since": "2024-03-01",
    }
    answer = api.patch(f"/api/v1/enterprises/{FOOD_SHOP}/classes", json=body)
    assert answer.status_code == 200, answer.text
    assert answer.json()["no_disturb"] is True
    assert api.get(f"/api/v1/enterprises/{FOOD_SHOP}").json() == answer.json()
    listed = api.get("/api/v1/enterprises?no_disturb=true").json()
    assert [e["credit_code"] for e in listed] == [FOOD_SHOP]
    by_admin = api.patch(
        f"/api/v1/enterprises/{FACTORY}/classes",
        json={"risk_class": "D", "risk_source": "风险分级", "risk_as_of": "2024-01-01"},
        headers=_as(api, "admin"),
    )
    assert by_admin.status_code == 200
    assert by_admin.json()["risk_class"] == "D"
    no_source = api.patch(
        f"/api/v1/enterprises/{FACTORY}/classes",
        json={"credit_class": "B", "credit_as_of": "2024-01-01"},
    )
    assert (no_source.status_code, no_source.headers["content-type"]) == (422, PROBLEM)
    assert no_source.json()["field"] == "credit_source"
    auditor = api.patch(
        f"/api/v1/enterprises/{FACTORY}/classes", json={}, headers=_as(api, "auditor")
    )
    assert auditor.status_code == 403


def test_the_classes_import_is_all_or_nothing_with_its_row_errors(api_one_unit: TestClient) -> None:
    api = api_one_unit

    def send(*rows: dict[str, str]) -> Any:
        content = table_csv(CLASS_HEADERS, [[r.get(h, "") for h in CLASS_HEADERS] for r in rows])
        return api.post(
            "/api/v1/enterprises/classes/import",
            files={"file": ("classes.csv", content, "text/csv")},
            headers=_as(api, "coordinator"),
        )

    good = {
        "统一社会信用代码": FOOD_SHOP,
        "风险等级": "A",
        "风险等级来源": "分级",
        "风险等级日期": "2024-01-01",
    }
    bad = send(good, {"统一社会信用代码": FACTORY, "无事不扰": "是", "纳入日期": "2024-01-01"})
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {
            "row": 3,
            "column": "无事不扰来源",
            "problem": "设定无事不扰时须写明来源（发布机关或依据）",
        }
    ]
    assert api.get(f"/api/v1/enterprises/{FOOD_SHOP}").json()["risk_class"] is None
    done = send(good)
    assert done.status_code == 200
    assert done.json() == {"updated": 1, "credit_codes": [FOOD_SHOP]}
    assert api.get(f"/api/v1/enterprises/{FOOD_SHOP}").json()["risk_class"] == "A"


def test_a_patch_sending_null_for_a_required_field_is_a_problem(api: TestClient) -> None:
    created = api.post("/api/v1/rules/quiet-days", json={"name": "宁静日", "month_days": [1]})
    answer = api.patch(f"/api/v1/rules/quiet-days/{created.json()['id']}", json={"name": None})
    assert (answer.status_code, answer.headers["content-type"]) == (422, PROBLEM)
    assert answer.json()["field"] == "name"
