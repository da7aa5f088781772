"""The draws over HTTP: commit, reveal, read; each refusal a problem naming its field; the
public record without a key, rate-limited, replaying what was drawn."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.api.app import create_app
from inspection.services.access import Actor, Role
from inspection.services.draws.algorithm import parse_record, verify_record
from inspection.services.trust.keys import create_key
from inspection.settings import Settings
from tests.support.draws import draw_body, fill_register
from tests.support.keyed_client import KeyedClient

_ISSUER = Actor(name="tests", role=Role.ADMIN)


def _bearer(key: str | None) -> dict[str, str]:
    assert key is not None
    return {"Authorization": f"Bearer {key}"}


def _unit_key(engine: Engine, unit_id: str) -> dict[str, str]:
    with Session(engine) as session:
        return _bearer(create_key(session, _ISSUER, Role.UNIT, unit_id, name="clerk").key)


@pytest.fixture
def drawing(api: KeyedClient, engine: Engine) -> KeyedClient:
    fill_register(engine)
    return api


def test_a_unit_head_commits_reveals_and_anyone_replays(drawing: KeyedClient) -> None:
    head = _bearer(drawing.head_key("SCJG"))
    options = drawing.get("/api/v1/draws/options", headers=head).json()
    assert options["risk_classes"] == ["A", "B", "C", "未分级"]
    assert "凤城街道" in options["towns"]
    created = drawing.post("/api/v1/draws", json=draw_body(), headers=head)
    assert created.status_code == 201, created.text
    draw = created.json()
    assert created.headers["Location"] == f"/api/v1/draws/{draw['draw_id']}"
    assert draw["seed"] is None
    assert len(draw["commitment"]) == 64
    public = TestClient(drawing.app)  # no key at all
    before = public.get(f"/api/v1/draws/{draw['draw_id']}/record")
    assert before.status_code == 200
    assert before.json()["seed"] is None
    revealed = drawing.post(f"/api/v1/draws/{draw['draw_id']}/reveal", headers=head)
    assert revealed.status_code == 200, revealed.text
    body = revealed.json()
    assert body["seed"]
    assert body["revealed_by"]
    (checklist_id,) = body["checklist_ids"]
    checklist = drawing.get(f"/api/v1/checklists/{checklist_id}", headers=head).json()
    assert checklist["status"] == "approved"
    drawn = [c for grade in body["classes"] for c in grade["drawn"]]
    assert sorted(checklist["targets"]) == sorted(drawn)
    record = public.get(f"/api/v1/draws/{draw['draw_id']}/record").json()
    assert record["seed"] == body["seed"]
    assert verify_record(parse_record(record)).consistent
    again = drawing.post(f"/api/v1/draws/{draw['draw_id']}/reveal", headers=head)
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    assert again.json()["field"] == "id"
    # no route changes a draw
    assert drawing.put(f"/api/v1/draws/{draw['draw_id']}", json=draw_body()).status_code == 405
    assert drawing.delete(f"/api/v1/draws/{draw['draw_id']}").status_code == 405


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quotas": [{"risk_class": "E", "count": 1}]}, "quotas[0].risk_class"),
        ({"towns": ["没有的镇"]}, "towns"),
        ({"industries": ["没有的行业"]}, "industries"),
        ({"quotas": [{"risk_class": "C", "count": 4}]}, "quotas[0].count"),
        ({"quotas": [{"risk_class": "C", "ratio_percent": 120}]}, "quotas[0].ratio_percent"),
        ({"quotas": [{"risk_class": "C", "ratio_percent": -5}]}, "quotas[0].ratio_percent"),
        ({"earliest": "2024-07-01"}, "latest"),
        ({"units": []}, "units"),
        ({"units": [{"unit_id": "SCJG", "items": [{"name": "a"}]}]}, "units[0].items[0]"),
    ],
)
def test_bad_draws_are_problems_naming_the_field(
    drawing: KeyedClient, changes: dict[str, Any], field: str
) -> None:
    answer = drawing.post("/api/v1/draws", json=draw_body(**changes))
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["field"] == field
    assert drawing.get("/api/v1/draws").json() == []  # nothing stored


def test_a_unit_draws_for_itself_only(drawing: KeyedClient, engine: Engine) -> None:
    other = draw_body(units=[{"unit_id": "YJJ", "items": [{"name": "a", "legal_basis": "b"}]}])
    answer = drawing.post("/api/v1/draws", json=other, headers=_unit_key(engine, "SCJG"))
    assert answer.status_code == 403
    assert answer.json()["field"] == "units[0].unit_id"


def test_units_see_their_own_draws(drawing: KeyedClient, engine: Engine) -> None:
    clerk = _unit_key(engine, "SCJG")
    mine = drawing.post("/api/v1/draws", json=draw_body(), headers=clerk).json()
    revealed = drawing.post(f"/api/v1/draws/{mine['draw_id']}/reveal", headers=clerk).json()
    # a clerk's draw makes a draft, waiting for the unit's head
    checklist = drawing.get(f"/api/v1/checklists/{revealed['checklist_ids'][0]}").json()
    assert checklist["status"] == "draft"
    other = _unit_key(engine, "YJJ")
    assert drawing.get("/api/v1/draws", headers=other).json() == []
    assert drawing.get(f"/api/v1/draws/{mine['draw_id']}", headers=other).status_code == 404
    assert drawing.post(f"/api/v1/draws/{mine['draw_id']}/reveal", headers=other).status_code == 404
    listed = drawing.get("/api/v1/draws", headers=_bearer(drawing.keys["auditor"])).json()
    assert [d["draw_id"] for d in listed] == [mine["draw_id"]]


def test_an_unknown_record_is_404_and_the_record_is_rate_limited(engine: Engine) -> None:
    fill_register(engine)
    app = create_app(Settings(public_requests_per_minute=2), engine)
    with TestClient(app) as client:
        assert client.get("/api/v1/draws/99/record").status_code == 404
        assert client.get("/api/v1/draws/99/record").status_code == 404
        refused = client.get("/api/v1/draws/99/record")
        assert refused.status_code == 429
        assert refused.headers["content-type"].startswith("application/problem+json")
