"""No control character reaches a handler: every route of the OpenAPI document, walked.

For every operation, one request per input with U+0000 put in it: each path parameter
(404), each query parameter (422 naming it), each header parameter (422 naming it) and
each string of the documented JSON example body (422 naming the field), as a role the
route allows, so that without the guard the handler would run (and, on PostgreSQL,
fail with a 500: its text cannot hold U+0000). Then the file uploads: a cell or a
file name holding U+0000.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.api.app import create_app
from inspection.services.access import Actor, Role
from inspection.services.spreadsheets.checklists import CHECKLIST_HEADERS
from inspection.services.spreadsheets.io import table_csv
from inspection.services.trust.keys import create_key
from tests.support.data import FACTORY, FOOD_SHOP, checklist_body
from tests.support.keyed_client import KeyedClient
from tests.support.route_rules import PUBLIC, RULES
from tests.support.sheets import first_row

NUL = "\x00"
_PREFERENCE = ("coordinator", "admin", "auditor", "unit")
# a server-sent events stream that would last until its plan ends (it is still guarded)
_STREAM = ("GET", "/api/v1/plans/{plan_id}/events")
_SAMPLE_PATH_VALUES = {
    "unit_id": "SCJG",
    "credit_code": FOOD_SHOP,
}


def _role(method: str, path: str) -> str | None:
    rule = RULES[(method, path)]
    if rule == PUBLIC:
        return None
    return next(role for role in _PREFERENCE if role in rule)


def _leaves(value: Any, path: str = "") -> Iterator[str]:
    """The paths of every string in a JSON value (``items[0].name``)."""
    if isinstance(value, str):
        yield path
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{path}.{key}" if path else key)


def _with_nul(value: Any, target: str, path: str = "") -> Any:
    if isinstance(value, str):
        return value + NUL if path == target else value
    if isinstance(value, list):
        return [_with_nul(v, target, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: _with_nul(v, target, f"{path}.{k}" if path else k) for k, v in value.items()}
    return value


@pytest.fixture
def walker(engine: Engine) -> Iterator[TestClient]:
    """SCJG, two enterprises and a checklist; a 500 is an answer here, not an exception."""
    app = create_app(engine=engine)
    with KeyedClient(app, engine, raise_server_exceptions=False) as client:
        unit = {"id": "SCJG", "name": "区市场监督管理局", "weekday_capacity": [3] * 5 + [0, 0]}
        assert client.post("/api/v1/units", json=unit).status_code == 201
        for code, name in ((FOOD_SHOP, "小吃店"), (FACTORY, "食品厂")):
            body = {"credit_code": code, "name": name, "town": "凤城街道"}
            assert client.post("/api/v1/enterprises", json=body).status_code == 201
        created = client.post("/api/v1/checklists", json=checklist_body())
        assert created.status_code == 201, created.text
        with Session(engine) as session:
            issuer = Actor(name="tests", role=Role.ADMIN)
            client.keys["unit"] = create_key(session, issuer, Role.UNIT, "SCJG").key
        yield client


def test_every_input_of_every_route_refuses_nul(walker: TestClient) -> None:
    document = walker.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert isinstance(walker, KeyedClient)
    keys = walker.keys
    cases: list[tuple[str, str, str, dict[str, Any], int, str]] = []
    for template, operations in document["paths"].items():
        for method, operation in operations.items():
            if (method.upper(), template) == _STREAM:
                continue
            parameters = operation.get("parameters", [])
            path_values = {
                p["name"]: _SAMPLE_PATH_VALUES.get(p["name"], "1")
                for p in parameters
                if p["in"] == "path"
            }

            def url(values: dict[str, str], template: str = template) -> str:
                return template.format(**{k: quote(v, safe="") for k, v in values.items()})

            for name in path_values:
                bad = path_values | {name: path_values[name] + NUL}
                cases.append((method, template, url(bad), {}, 404, "path"))
            for parameter in parameters:
                if parameter["in"] == "query":
                    name = parameter["name"]
                    cases.append(
                        (
                            method,
                            template,
                            url(path_values),
                            {"params": {name: "1" + NUL}},
                            422,
                            name,
                        )
                    )
                elif parameter["in"] == "header":
                    name = "-".join(w.capitalize() for w in parameter["name"].split("-"))
                    headers = {name: "x" + NUL}
                    cases.append(
                        (method, template, url(path_values), {"headers": headers}, 422, name)
                    )
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                reference = content["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
                example = schemas[reference]["examples"][0]
                for leaf in _leaves(example):
                    body = _with_nul(copy.deepcopy(example), leaf)
                    cases.append((method, template, url(path_values), {"json": body}, 422, leaf))
    assert len(cases) >= 85, len(cases)  # 91 when written: a lost input would shrink it
    wrong = []
    for method, template, target, extra, status, field in cases:
        role = _role(method.upper(), template)
        headers = dict(extra.pop("headers", {}))
        headers["Authorization"] = f"Bearer {keys[role]}" if role else ""
        answer = walker.request(method.upper(), target, headers=headers, **extra)
        got = (
            answer.json().get("field")
            if answer.headers.get("content-type", "").endswith("problem+json")
            else None
        )
        if (answer.status_code, got) != (status, field):
            wrong.append((method, target, extra, answer.status_code, answer.text[:200]))
    server_errors = sum(1 for case in wrong if case[3] >= 500)
    assert wrong == [], f"{len(wrong)} of {len(cases)} cases, {server_errors} 5xx: {wrong[:10]}"


def test_a_file_with_nul_in_a_cell_or_its_name_is_refused(walker: TestClient) -> None:
    for cells in ({"执法单位编号": "SC\x00JG"}, {"清单编号": "A\x00"}):
        row = first_row(**cells)
        bad = table_csv(CHECKLIST_HEADERS, [[row.get(h, "") for h in CHECKLIST_HEADERS]])
        celled = walker.post(
            "/api/v1/checklists/import", files={"file": ("c.csv", bad, "text/csv")}
        )
        assert celled.status_code == 422, celled.text
        problems = celled.json()["errors"]
        assert [(p["row"], p["column"]) for p in problems] == [(2, next(iter(cells)))], problems
    assert walker.get("/api/v1/checklists").json()[0]["reference"] is None  # only the first
    named = walker.post(
        "/api/v1/units/import", files={"file": ("units\x00.csv", b"id\n", "text/csv")}
    )
    assert named.status_code == 422, named.text
    assert named.json()["field"] == "file"
