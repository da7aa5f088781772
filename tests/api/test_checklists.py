"""The HTTP API for units, enterprises and checklists, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.db import repository
from tests.support.data import FACTORY, FOOD_SHOP, checklist_body

_checklist = checklist_body


def test_submit_then_read(api_one_unit: TestClient) -> None:
    created = api_one_unit.post("/api/v1/checklists", json=_checklist())
    assert created.status_code == 201, created.text
    body = created.json()
    assert body.pop("warnings") == []  # the submission's answer only: no cap applies here
    assert created.headers["location"] == f"/api/v1/checklists/{body['id']}"
    read = api_one_unit.get(created.headers["location"])
    assert read.status_code == 200
    assert read.json() == body
    assert sorted(body["targets"]) == sorted([FOOD_SHOP, FACTORY])


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"targets": [FOOD_SHOP, "91441802MA4UL1AB2X"]}, "targets[1]", "统一社会信用代码无效"),
        ({"targets": [FOOD_SHOP, FOOD_SHOP]}, "", "重复"),
        ({"earliest": "2024-06-31"}, "earliest", "date"),
        ({"items": [{"name": "检查", "legal_basis": ""}]}, "items[0].legal_basis", "at least 1"),
        ({"title": "a\x00b"}, "title", "控制字符"),
        ({"earliest": "2031-01-06", "latest": "2031-01-10"}, "", "法定节假日历"),
        ({"earliest": "2024-06-09", "latest": "2024-06-03"}, "", "晚于"),
        ({"title": "检" * 201}, "title", "200"),
    ],
)
def test_bad_checklist_is_422_problem_json_naming_the_field(
    api_one_unit: TestClient, engine: Engine, changes: dict[str, Any], field: str, words: str
) -> None:
    answer = api_one_unit.post("/api/v1/checklists", json=_checklist(**changes))
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["status"] == 422
    assert words in problem["detail"]
    if field:
        assert problem["field"] == field
    with Session(engine) as session:
        assert repository.list_checklists(session) == []


def test_unknown_ids(api_one_unit: TestClient) -> None:
    missing = api_one_unit.get("/api/v1/checklists/999")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    unknown_unit = api_one_unit.post("/api/v1/checklists", json=_checklist(unit_id="XFJY"))
    assert unknown_unit.status_code == 422
    assert unknown_unit.json()["field"] == "unit_id"
    again = api_one_unit.post(
        "/api/v1/units", json={"id": "SCJG", "name": "重复", "weekday_capacity": [1] * 7}
    )
    assert again.status_code == 409


def test_list_filters_and_withdraw(api_one_unit: TestClient) -> None:
    june = api_one_unit.post("/api/v1/checklists", json=_checklist()).json()
    july = api_one_unit.post(
        "/api/v1/checklists", json=_checklist(earliest="2024-07-01", latest="2024-07-05")
    ).json()
    every = api_one_unit.get("/api/v1/checklists").json()
    assert [c["id"] for c in every] == [july["id"], june["id"]]  # newest first
    in_june = api_one_unit.get(
        "/api/v1/checklists", params={"from": "2024-06-01", "to": "2024-06-30"}
    )
    assert [c["id"] for c in in_june.json()] == [june["id"]]
    assert api_one_unit.get("/api/v1/checklists", params={"unit": "XFJY"}).json() == []

    withdrawn = api_one_unit.post(f"/api/v1/checklists/{june['id']}/withdraw")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["version"] == june["version"] + 1
    again = api_one_unit.post(f"/api/v1/checklists/{june['id']}/withdraw")
    assert again.status_code == 409
    submitted = api_one_unit.get("/api/v1/checklists", params={"status": "approved"}).json()
    assert [c["id"] for c in submitted] == [july["id"]]
    bad = api_one_unit.get("/api/v1/checklists", params={"status": "lost"})
    assert bad.status_code == 422
    assert bad.json()["field"] == "status"


def test_a_checklist_sent_again_with_its_reference_is_not_stored_twice(
    api_one_unit: TestClient,
) -> None:
    body = checklist_body(reference="SCJG-2024-06-01")
    first = api_one_unit.post("/api/v1/checklists", json=body)
    assert first.status_code == 201, first.text
    assert first.json()["reference"] == "SCJG-2024-06-01"
    again = api_one_unit.post("/api/v1/checklists", json=body)
    assert again.status_code == 200  # the same content: nothing new, answered as such
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    changed = api_one_unit.post("/api/v1/checklists", json={**body, "title": "另一份清单"})
    assert changed.status_code == 409
    assert changed.json()["field"] == "reference"
    assert "检查清单“食品安全日常检查”（清单编号 SCJG-2024-06-01）" in changed.json()["detail"]
    assert len(api_one_unit.get("/api/v1/checklists").json()) == 1
    other = api_one_unit.post("/api/v1/checklists", json=checklist_body(reference="SCJG-2"))
    assert other.status_code == 201
    taken = api_one_unit.put(
        other.headers["location"],
        json=checklist_body(reference="SCJG-2024-06-01"),
        headers={"If-Match": other.headers["etag"]},
    )
    assert taken.status_code == 409
    assert taken.json()["field"] == "reference"


def test_the_list_is_paged_with_a_total(api_one_unit: TestClient) -> None:
    ids = []
    for n in range(5):
        created = api_one_unit.post("/api/v1/checklists", json=checklist_body(title=f"检查{n}"))
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    everything = api_one_unit.get("/api/v1/checklists")  # below the default page: as before
    assert [c["id"] for c in everything.json()] == ids[::-1]
    assert everything.headers["x-total-count"] == "5"
    first = api_one_unit.get("/api/v1/checklists", params={"limit": 2})
    second = api_one_unit.get("/api/v1/checklists", params={"limit": 2, "offset": 2})
    last = api_one_unit.get("/api/v1/checklists", params={"limit": 2, "offset": 4})
    pages = [first.json(), second.json(), last.json()]
    assert [[c["id"] for c in page] for page in pages] == [ids[4:2:-1], ids[2:0:-1], ids[:1]]
    assert {a.headers["x-total-count"] for a in (first, second, last)} == {"5"}
    assert first.json()[0] == api_one_unit.get(f"/api/v1/checklists/{ids[4]}").json()
    assert first.json()[0]["targets"] == [FOOD_SHOP, FACTORY]
    for bad in ({"limit": 0}, {"limit": 1001}, {"offset": -1}):
        refused = api_one_unit.get("/api/v1/checklists", params=bad)
        assert refused.status_code == 422
        assert refused.json()["field"] == next(iter(bad))
