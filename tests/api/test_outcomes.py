"""The outcome routes: typed bodies, problems naming their field, the window's 409s, the
lead's confirmation and a unit's pending list, over HTTP."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from inspection.api.deps import today_of_app
from inspection.db.tables import InspectionCodeRow
from inspection.services.access import Actor, Role
from inspection.services.trust.keys import create_key
from tests.support.data import FACTORY
from tests.support.outcomes_world import FACTORY_DAY

PROBLEM = "application/problem+json"


def _unit(client: TestClient, unit_id: str) -> dict[str, str]:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with Session(engine) as session:
        key = create_key(session, Actor(name="tests", role=Role.ADMIN), Role.UNIT, unit_id).key
    return {"Authorization": f"Bearer {key}"}


def _factory_code(client: TestClient) -> str:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with Session(engine) as session:
        return session.exec(
            select(InspectionCodeRow.code).where(col(InspectionCodeRow.credit_code) == FACTORY)
        ).one()


def _on(client: TestClient, day: date) -> None:
    client.app.dependency_overrides[today_of_app] = lambda: day  # type: ignore[attr-defined]


DONE: dict[str, Any] = {"status": "carried_out", "problems_found": False}


def test_a_unit_records_and_the_lead_confirms(api_joint_week: TestClient) -> None:
    client = api_joint_week
    code = _factory_code(client)
    scjg, xfjy = _unit(client, "SCJG"), _unit(client, "XFJY")
    url = f"/api/v1/visits/{code}/outcomes"
    put = client.put(f"{url}/SCJG", json=DONE, headers=scjg)
    assert put.status_code == 200, put.text
    assert put.json()["version"] == 1
    pending = client.get("/api/v1/outcomes/pending", headers=xfjy).json()
    assert [(p["code"], p["needs"]["outcome"], p["days_left"]) for p in pending] == [
        (code, True, 10)
    ]
    found = {"status": "carried_out", "problems_found": True, "problem_note": "通道堵塞"}
    assert client.put(f"{url}/XFJY", json=found, headers=xfjy).status_code == 200
    read = client.get(url).json()  # a coordinator reads
    assert [u["outcome"]["status"] for u in read["units"]] == ["carried_out", "carried_out"]
    assert (read["window"], read["backfill_until"], read["may_record"]) == (
        "on_the_day",
        "2024-06-15",
        False,
    )
    assert client.get(url, headers=scjg).json()["may_confirm"] is True
    assert client.post(f"/api/v1/visits/{code}/confirmation", headers=xfjy).status_code == 403
    confirmed = client.post(f"/api/v1/visits/{code}/confirmation", headers=scjg)
    assert confirmed.status_code == 200, confirmed.text
    again = client.put(f"{url}/XFJY", json=DONE, headers=xfjy)
    assert again.status_code == 409
    assert again.headers["content-type"] == PROBLEM
    assert client.get("/api/v1/outcomes/pending", headers=scjg).json() == []


def test_problems_name_the_field(api_joint_week: TestClient) -> None:
    client = api_joint_week
    code = _factory_code(client)
    scjg = _unit(client, "SCJG")
    url = f"/api/v1/visits/{code}/outcomes/SCJG"
    for body, field, status in (
        ({"status": "postponed"}, "reason", 422),
        ({"status": "carried_out"}, "problems_found", 422),
        ({"status": "done"}, "status", 422),
        ({**DONE, "extra": 1}, "extra", 422),
        ({**DONE, "reason": "x" * 501}, "reason", 422),
    ):
        answer = client.put(url, json=body, headers=scjg)
        assert answer.status_code == status, answer.text
        assert answer.headers["content-type"] == PROBLEM
        assert answer.json()["field"] == field, answer.json()
    other = client.put(url, json=DONE, headers=_unit(client, "XFJY"))
    assert (other.status_code, other.json()["field"]) == (403, "unit_id")
    unknown = client.put("/api/v1/visits/0000-0000-0000/outcomes/SCJG", json=DONE, headers=scjg)
    assert (unknown.status_code, unknown.json()["field"]) == (404, "code")
    assert client.get(f"/api/v1/visits/{code}/outcomes").json()["units"][0]["outcome"] is None


def test_the_window_over_http(api_joint_week: TestClient) -> None:
    client = api_joint_week
    code = _factory_code(client)
    scjg = _unit(client, "SCJG")
    url = f"/api/v1/visits/{code}/outcomes/SCJG"
    _on(client, date(2024, 6, 4))
    early = client.put(url, json=DONE, headers=scjg)
    assert (early.status_code, early.json()["field"]) == (409, "code")
    assert "2024-06-05" in early.json()["detail"]
    _on(client, date(2024, 6, 8))
    late = client.put(url, json=DONE, headers=scjg)
    assert (late.status_code, late.json()["field"]) == (422, "backfill_reason")
    backfilled = client.put(url, json={**DONE, "backfill_reason": "网络故障"}, headers=scjg)
    assert backfilled.status_code == 200
    assert backfilled.json()["backfilled"] is True
    _on(client, date(2024, 6, 16))
    closed = client.put(url, json={**DONE, "backfill_reason": "网络故障"}, headers=scjg)
    assert closed.status_code == 409
    assert "10 天" in closed.json()["detail"]
    assert client.get(f"/api/v1/visits/{code}/outcomes").json()["window"] == "closed"


def test_the_back_fill_window_is_a_rule_setting(api_joint_week: TestClient) -> None:
    client = api_joint_week
    settings = client.get("/api/v1/rules/settings").json()
    assert settings["outcome_backfill_days"] == 10
    body = {k: v for k, v in settings.items() if k != "updated_at"}
    refused = client.put("/api/v1/rules/settings", json={**body, "outcome_backfill_days": 31})
    assert (refused.status_code, refused.json()["field"]) == (422, "outcome_backfill_days")
    changed = client.put("/api/v1/rules/settings", json={**body, "outcome_backfill_days": 3})
    assert changed.json()["outcome_backfill_days"] == 3
    code = _factory_code(client)
    assert client.get(f"/api/v1/visits/{code}/outcomes").json()["backfill_until"] == str(
        date.fromordinal(FACTORY_DAY.toordinal() + 3)
    )
