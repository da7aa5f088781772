"""The HTTP API for units, enterprises and checklists, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.api.app import create_app
from inspection.db import repository
from tests.keyed_client import KeyedClient
from tests.service_data import FACTORY, FOOD_SHOP, checklist_body


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    with KeyedClient(create_app(engine=engine), engine) as test_client:
        assert (
            test_client.post(
                "/api/v1/units",
                json={
                    "id": "SCJG",
                    "name": "区市场监督管理局",
                    "weekday_capacity": [3] * 5 + [0, 0],
                },
            ).status_code
            == 201
        )
        for code, name in ((FOOD_SHOP, "小吃店"), (FACTORY, "食品厂")):
            created = test_client.post(
                "/api/v1/enterprises", json={"credit_code": code, "name": name, "town": "凤城街道"}
            )
            assert created.status_code == 201, created.text
        yield test_client


_checklist = checklist_body


def test_submit_then_read(client: TestClient) -> None:
    created = client.post("/api/v1/checklists", json=_checklist())
    assert created.status_code == 201, created.text
    body = created.json()
    assert created.headers["location"] == f"/api/v1/checklists/{body['id']}"
    read = client.get(created.headers["location"])
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
    client: TestClient, engine: Engine, changes: dict[str, Any], field: str, words: str
) -> None:
    answer = client.post("/api/v1/checklists", json=_checklist(**changes))
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["status"] == 422
    assert words in problem["detail"]
    if field:
        assert problem["field"] == field
    with Session(engine) as session:
        assert repository.list_checklists(session) == []


def test_unknown_ids(client: TestClient) -> None:
    missing = client.get("/api/v1/checklists/999")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    unknown_unit = client.post("/api/v1/checklists", json=_checklist(unit_id="XFJY"))
    assert unknown_unit.status_code == 422
    assert unknown_unit.json()["field"] == "unit_id"
    again = client.post(
        "/api/v1/units", json={"id": "SCJG", "name": "重复", "weekday_capacity": [1] * 7}
    )
    assert again.status_code == 409


def test_list_filters_and_withdraw(client: TestClient) -> None:
    june = client.post("/api/v1/checklists", json=_checklist()).json()
    july = client.post(
        "/api/v1/checklists", json=_checklist(earliest="2024-07-01", latest="2024-07-05")
    ).json()
    every = client.get("/api/v1/checklists").json()
    assert [c["id"] for c in every] == [july["id"], june["id"]]  # newest first
    in_june = client.get("/api/v1/checklists", params={"from": "2024-06-01", "to": "2024-06-30"})
    assert [c["id"] for c in in_june.json()] == [june["id"]]
    assert client.get("/api/v1/checklists", params={"unit": "XFJY"}).json() == []

    withdrawn = client.post(f"/api/v1/checklists/{june['id']}/withdraw")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["version"] == june["version"] + 1
    again = client.post(f"/api/v1/checklists/{june['id']}/withdraw")
    assert again.status_code == 409
    submitted = client.get("/api/v1/checklists", params={"status": "submitted"}).json()
    assert [c["id"] for c in submitted] == [july["id"]]
    bad = client.get("/api/v1/checklists", params={"status": "lost"})
    assert bad.status_code == 422
    assert bad.json()["field"] == "status"
