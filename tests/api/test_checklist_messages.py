"""The checklist messages a person reads name the checklist by its title and reference
(清单编号), never by the internal id the desk does not show."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.support.data import checklist_body
from tests.support.keyed_client import wait_for_plan

TITLE = "食品安全日常检查"
NAMED = f"检查清单“{TITLE}”（清单编号 SCJG-M-1）"


def _no_id(detail: str, checklist_id: int) -> None:
    assert not re.search(rf"(清单|#)\s*{checklist_id}\b", detail), detail


def test_stale_withdrawn_and_taken_reference_name_the_title(api_one_unit: TestClient) -> None:
    created = api_one_unit.post("/api/v1/checklists", json=checklist_body(reference="SCJG-M-1"))
    location, etag, checklist_id = (
        created.headers["location"],
        created.headers["etag"],
        created.json()["id"],
    )
    body = checklist_body(reference="SCJG-M-1", priority=2)
    assert api_one_unit.put(location, json=body, headers={"If-Match": etag}).status_code == 200
    stale = api_one_unit.put(location, json=body, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert NAMED in stale.json()["detail"]
    _no_id(stale.json()["detail"], checklist_id)

    taken = api_one_unit.post(
        "/api/v1/checklists", json=checklist_body(reference="SCJG-M-1", title="另一份")
    )
    assert taken.status_code == 409
    assert NAMED in taken.json()["detail"]
    _no_id(taken.json()["detail"], checklist_id)

    other = api_one_unit.post("/api/v1/checklists", json=checklist_body(reference="SCJG-M-2"))
    clash = api_one_unit.put(
        other.headers["location"],
        json=checklist_body(reference="SCJG-M-1"),
        headers={"If-Match": other.headers["etag"]},
    )
    assert clash.status_code == 409
    assert NAMED in clash.json()["detail"]
    _no_id(clash.json()["detail"], checklist_id)

    assert api_one_unit.post(f"{location}/withdraw").status_code == 200
    again = api_one_unit.post(f"{location}/withdraw")
    assert again.status_code == 409
    assert NAMED in again.json()["detail"]
    assert "已撤回" in again.json()["detail"]  # the state in words, not its code
    _no_id(again.json()["detail"], checklist_id)


def test_a_published_checklist_and_a_stale_plan_name_the_title(api_one_unit: TestClient) -> None:
    created = api_one_unit.post("/api/v1/checklists", json=checklist_body(reference="SCJG-M-1"))
    location, etag, checklist_id = (
        created.headers["location"],
        created.headers["etag"],
        created.json()["id"],
    )
    plan = api_one_unit.post(
        "/api/v1/plans", json={"start": "2024-06-03", "end": "2024-06-09", "time_limit_s": 5}
    )
    stale_plan = plan.headers["location"]
    wait_for_plan(api_one_unit, stale_plan)
    amended = api_one_unit.put(
        location,
        json=checklist_body(reference="SCJG-M-1", latest="2024-06-04"),
        headers={"If-Match": etag},
    )
    refused = api_one_unit.post(f"{stale_plan}/publish")
    assert refused.status_code == 409
    assert NAMED in refused.json()["detail"]
    _no_id(refused.json()["detail"], checklist_id)

    plan = api_one_unit.post(
        "/api/v1/plans", json={"start": "2024-06-03", "end": "2024-06-09", "time_limit_s": 5}
    )
    wait_for_plan(api_one_unit, plan.headers["location"])
    assert api_one_unit.post(f"{plan.headers['location']}/publish").status_code == 200
    published = api_one_unit.put(
        location,
        json=checklist_body(reference="SCJG-M-1", title="改"),
        headers={"If-Match": amended.headers["etag"]},
    )
    assert published.status_code == 409
    assert NAMED in published.json()["detail"]
    _no_id(published.json()["detail"], checklist_id)
