"""Every error is problem+json: bodies that cannot be parsed at all, unknown routes and
methods, and an unhandled exception (a 500) alike."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from inspection.api.app import create_app
from tests.support.keyed_client import KeyedClient

PROBLEM = "application/problem+json"


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,  # nested deeper than the parser goes
        b'{"title": "\xff\xfe"}',  # not UTF-8
        b'{"priority": ' + b"9" * 50_000 + b"}",  # past Python's 4,300-digit limit
    ],
    ids=["deep", "not-utf8", "long-integer"],
)
def test_a_body_that_cannot_be_parsed_is_a_400_problem(
    api_one_unit: TestClient, body: bytes
) -> None:
    answer = api_one_unit.post(
        "/api/v1/checklists", content=body, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"] == PROBLEM
    assert answer.json()["field"] == "body"
    assert api_one_unit.get("/api/v1/checklists").json() == []


def test_unknown_routes_and_methods_are_problems(api: TestClient) -> None:
    unknown = api.get("/api/v1/nothing-here")
    assert (unknown.status_code, unknown.headers["content-type"]) == (404, PROBLEM)
    wrong = api.delete("/api/v1/units")
    assert (wrong.status_code, wrong.headers["content-type"]) == (405, PROBLEM)
    assert "POST" in wrong.headers["allow"]


def test_an_unhandled_exception_is_a_500_problem(engine: Engine) -> None:
    app = create_app(engine=engine)

    @app.get("/api/v1/broken")
    def broken() -> None:
        raise RuntimeError("a bug")

    with KeyedClient(app, engine, raise_server_exceptions=False) as client:
        answer = client.get("/api/v1/broken")
    assert answer.status_code == 500
    assert answer.headers["content-type"] == PROBLEM
    assert answer.json()["status"] == 500
    assert "a bug" not in answer.text
