"""Approval over HTTP: `POST /checklists/{id}/approve` for the unit's head only, drafts left
out of plans, the approval shown on the checklist and counted in `GET /me`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from inspection.services.access import Actor, Role
from inspection.services.trust.keys import create_key
from tests.support.data import FACTORY, FOOD_SHOP, checklist_body
from tests.support.keyed_client import KeyedClient, wait_for_plan

_ADMIN = Actor(name="tests", role=Role.ADMIN)


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _keys(client: KeyedClient, engine: Engine) -> dict[str, str]:
    """A second unit, and keys: SCJG's staff and head, XFJY's head."""
    unit = {"id": "XFJY", "name": "区消防救援大队", "weekday_capacity": [3] * 7}
    assert client.post("/api/v1/units", json=unit).status_code == 201
    with Session(engine) as session:
        staff = create_key(session, _ADMIN, Role.UNIT, "SCJG", name="科员").key
    head, other_head = client.head_key("SCJG"), client.head_key("XFJY")
    assert head is not None
    assert other_head is not None
    return {"staff": staff, "head": head, "other_head": other_head}


def _draft(client: KeyedClient, key: str, **changes: Any) -> dict[str, Any]:
    answer = client.post("/api/v1/checklists", json=checklist_body(**changes), headers=_bearer(key))
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_a_unit_s_staff_submit_drafts_that_its_head_approves(
    api_one_unit: KeyedClient, engine: Engine
) -> None:
    keys = _keys(api_one_unit, engine)
    draft = _draft(api_one_unit, keys["staff"])
    assert (draft["status"], draft["approved_at"], draft["approved_by"]) == ("draft", None, None)
    assert draft["approved_afterwards"] is False
    waiting = api_one_unit.get("/api/v1/checklists", params={"status": "draft"}).json()
    assert [c["id"] for c in waiting] == [draft["id"]]
    me = api_one_unit.get("/api/v1/me", headers=_bearer(keys["head"])).json()
    assert (me["unit_head"], me["drafts_waiting"]) == (True, 1)
    staff_me = api_one_unit.get("/api/v1/me", headers=_bearer(keys["staff"])).json()
    assert (staff_me["unit_head"], staff_me["drafts_waiting"]) == (False, 1)
    assert api_one_unit.get("/api/v1/me").json()["drafts_waiting"] == 1  # the coordinator

    url = f"/api/v1/checklists/{draft['id']}/approve"
    approved = api_one_unit.post(url, headers=_bearer(keys["head"]))
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert body["status"] == "approved"
    assert body["approved_by"].startswith("unit:tests-SCJG-head#")
    assert body["approved_at"] is not None
    assert body["version"] == draft["version"] + 1
    read = api_one_unit.get(f"/api/v1/checklists/{draft['id']}")
    assert read.json() == body
    assert read.headers["etag"] == f'"{draft["id"]}-v{body["version"]}"'
    assert api_one_unit.get("/api/v1/me").json()["drafts_waiting"] == 0
    (entry,) = api_one_unit.get("/api/v1/audit", params={"action": "checklist.approve"}).json()
    assert (entry["entity_id"], entry["actor"]) == (str(draft["id"]), body["approved_by"])
    assert (entry["before"]["status"], entry["after"]["status"]) == ("draft", "approved")

    again = api_one_unit.post(url, headers=_bearer(keys["head"]))
    assert again.status_code == 409, again.text
    assert "已批准" in again.json()["detail"]


def test_only_the_unit_s_head_approves(api_one_unit: KeyedClient, engine: Engine) -> None:
    keys = _keys(api_one_unit, engine)
    draft = _draft(api_one_unit, keys["staff"])
    url = f"/api/v1/checklists/{draft['id']}/approve"
    by_coordinator = api_one_unit.post(url)  # the keyed client's coordinator key
    assert by_coordinator.status_code == 403, by_coordinator.text
    assert by_coordinator.headers["content-type"].startswith("application/problem+json")
    assert "执法单位" in by_coordinator.json()["detail"]
    by_staff = api_one_unit.post(url, headers=_bearer(keys["staff"]))
    assert by_staff.status_code == 403, by_staff.text
    assert "负责人" in by_staff.json()["detail"]
    by_other_head = api_one_unit.post(url, headers=_bearer(keys["other_head"]))
    assert by_other_head.status_code == 404, by_other_head.text
    missing = api_one_unit.post(
        f"/api/v1/checklists/{draft['id'] + 99}/approve", headers=_bearer(keys["head"])
    )
    assert missing.status_code == 404
    assert api_one_unit.get(f"/api/v1/checklists/{draft['id']}").json()["status"] == "draft"


def test_a_head_key_is_issued_over_http_and_only_for_a_unit(api_one_unit: KeyedClient) -> None:
    issued = api_one_unit.post(
        "/api/v1/keys", json={"role": "unit", "unit_id": "SCJG", "unit_head": True}
    )
    assert issued.status_code == 201, issued.text
    assert issued.json()["unit_head"] is True
    me = api_one_unit.get("/api/v1/me", headers=_bearer(issued.json()["key"])).json()
    assert me["unit_head"] is True
    refused = api_one_unit.post("/api/v1/keys", json={"role": "auditor", "unit_head": True})
    assert refused.status_code == 422
    assert refused.json()["field"] == "unit_head"


def test_drafts_are_not_planned_and_complaints_are_approved_afterwards(
    api_one_unit: KeyedClient, engine: Engine
) -> None:
    keys = _keys(api_one_unit, engine)
    routine = _draft(api_one_unit, keys["staff"], targets=[FOOD_SHOP])
    complaint = _draft(
        api_one_unit, keys["staff"], targets=[FACTORY], inspection_type="complaint", priority=3
    )
    plan = api_one_unit.post(
        "/api/v1/plans", json={"start": "2024-06-03", "end": "2024-06-09", "time_limit_s": 5}
    )
    assert plan.status_code == 202, plan.text
    location = plan.headers["location"]
    wait_for_plan(api_one_unit, location)
    rounds = api_one_unit.get(f"{location}/rounds").json()
    # the complaint's enterprise only: the routine draft (the shop) waits for its head
    assert [r["enterprise"] for r in rounds] == [FACTORY]
    left_out = api_one_unit.get(f"{location}/unscheduled").json()
    assert routine["id"] not in {u["checklist_id"] for u in left_out}  # not even asked for

    late = api_one_unit.post(
        f"/api/v1/checklists/{complaint['id']}/approve", headers=_bearer(keys["head"])
    )
    assert late.status_code == 200, late.text
    assert late.json()["approved_afterwards"] is True
    # a signature is no change of content: the plan that placed it still publishes
    published = api_one_unit.post(f"{location}/publish")
    assert published.status_code == 200, published.text
    now = api_one_unit.post(
        f"/api/v1/checklists/{routine['id']}/approve", headers=_bearer(keys["head"])
    )
    assert now.json()["approved_afterwards"] is False


def test_an_approved_checklist_amended_by_staff_is_a_draft_again(
    api_one_unit: KeyedClient, engine: Engine
) -> None:
    keys = _keys(api_one_unit, engine)
    stored = _draft(api_one_unit, keys["head"])  # the head's own: approved at once
    assert stored["status"] == "approved"
    amended = api_one_unit.put(
        f"/api/v1/checklists/{stored['id']}",
        json=checklist_body(title="食品安全日常检查（修改）"),
        headers={**_bearer(keys["staff"]), "If-Match": f'"{stored["id"]}-v{stored["version"]}"'},
    )
    assert amended.status_code == 200, amended.text
    assert (amended.json()["status"], amended.json()["approved_by"]) == ("draft", None)
