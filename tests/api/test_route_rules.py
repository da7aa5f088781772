"""Every route of the app has a rule, and the rule holds: 401 without a key, 403 for a role
that may not use the route, and a unit never sees another unit's checklist (404, not 403).

A route added later without an entry in RULES (`tests/support/route_rules.py`) fails
`test_every_route_has_a_rule`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.api.app import create_app
from inspection.services.access import Actor, Role
from inspection.services.trust.keys import create_key
from tests.support.data import FACTORY, FOOD_SHOP, checklist_body
from tests.support.paths import README
from tests.support.route_rules import PUBLIC, ROLES, RULES, A, C, U


def every_route(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every route the app serves, those of included routers too."""
    found: list[tuple[str, str]] = []
    for route in app.routes:
        contexts = getattr(route, "effective_route_contexts", None)
        entries = list(contexts()) if contexts is not None else [route]
        for entry in entries:
            path: str = getattr(entry, "path", "")
            for method in sorted(getattr(entry, "methods", None) or ()):
                if method != "HEAD":
                    found.append((method, path))
    return found


def test_every_route_has_a_rule() -> None:
    served = set(every_route(create_app()))
    missing = sorted(served - set(RULES))
    assert not missing, f"routes without an access rule in RULES: {missing}"
    stale = sorted(set(RULES) - served)
    assert not stale, f"rules for routes the app no longer serves: {stale}"


ADMIN = Actor(name="测试", role=Role.ADMIN)


@pytest.fixture
def world(engine: Engine) -> Iterator[tuple[TestClient, dict[str, str], dict[str, str]]]:
    """A client, a key per role (plus a second unit's), and ids to fill path parameters."""
    app = create_app(engine=engine)
    with TestClient(app) as client:
        with Session(engine) as session:
            admin = create_key(session, ADMIN, Role.ADMIN).key
        bearer = {"Authorization": f"Bearer {admin}"}
        for unit in ("SCJG", "XFJY"):
            body = {"id": unit, "name": f"单位{unit}", "weekday_capacity": [3] * 7}
            assert client.post("/api/v1/units", json=body, headers=bearer).status_code == 201
        for code in (FOOD_SHOP, FACTORY):
            body = {"credit_code": code, "name": "企业", "town": "凤城街道"}
            assert client.post("/api/v1/enterprises", json=body, headers=bearer).status_code == 201
        with Session(engine) as session:
            keys = {
                # the unit's head: a unit key that may also approve (the approval route is
                # the units'; a unit's other keys are refused there by the access policy)
                "unit": create_key(session, ADMIN, Role.UNIT, "SCJG", unit_head=True).key,
                "other_unit": create_key(session, ADMIN, Role.UNIT, "XFJY").key,
                "coordinator": create_key(session, ADMIN, Role.COORDINATOR).key,
                "auditor": create_key(session, ADMIN, Role.AUDITOR).key,
                "admin": admin,
            }
            spare = create_key(session, ADMIN, Role.AUDITOR, name="revoked by the test").id
        created = client.post(
            "/api/v1/checklists",
            json=checklist_body(),
            headers={"Authorization": f"Bearer {keys['unit']}"},
        )
        assert created.status_code == 201, created.text
        officer = {
            "unit_id": "SCJG",
            "name": "陈志明",
            "badge_number": "44180020240031",
            "certificate_expires": "2027-06-30",
        }
        hired = client.post("/api/v1/officers", json=officer, headers=bearer)
        assert hired.status_code == 201, hired.text
        ids = {
            "unit_id": "SCJG",
            "credit_code": FOOD_SHOP,
            "checklist_id": str(created.json()["id"]),
            "plan_id": "1",
            "key_id": str(spare),
            "round_id": "1",
            "officer_id": str(hired.json()["id"]),
            "item_id": "1",
            "edition": "1",
            "rule_id": "1",
            "draw_id": "1",
        }
        yield client, keys, ids


def _url(path: str, ids: dict[str, str]) -> str:
    for name, value in ids.items():
        path = path.replace("{" + name + "}", value)
    return path


def _call(client: TestClient, method: str, url: str, key: str | None, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    if url.endswith("/events"):
        headers["Accept"] = "text/event-stream"
    return client.request(method, url, headers=headers, json=body)


def test_every_route_answers_401_without_a_key_and_403_to_the_wrong_roles(
    world: tuple[TestClient, dict[str, str], dict[str, str]],
) -> None:
    client, keys, ids = world
    checked = 0
    for (method, path), rule in sorted(RULES.items()):
        url = _url(path, ids)
        if rule == PUBLIC:
            # a public POST (a rating) is sent a valid body, so that only the code can fail
            body = {"score": 3} if method == "POST" and url.startswith("/api/") else None
            status = _call(client, method, url, None, body).status_code
            # the world publishes nothing: an inspection code names no visit (404, not 401)
            # nor is there a draw to read the record of
            assert status < 400 or (status == 404 and ("{code}" in path or "{draw_id}" in path)), (
                method,
                path,
                status,
            )
            continue
        assert isinstance(rule, frozenset)
        assert _call(client, method, url, None).status_code == 401, (method, path)
        assert _call(client, method, url, "iox_not-a-key").status_code == 401, (method, path)
        for role in ROLES:
            status = _call(client, method, url, keys[role]).status_code
            if role in rule:
                assert status not in (401, 403), (method, path, role, status)
            else:
                assert status == 403, (method, path, role, status)
        checked += 1
    assert checked >= 35


def test_another_unit_s_checklist_is_404_not_403(
    world: tuple[TestClient, dict[str, str], dict[str, str]],
) -> None:
    client, keys, ids = world
    other = {"Authorization": f"Bearer {keys['other_unit']}"}
    url = f"/api/v1/checklists/{ids['checklist_id']}"
    assert client.get(url, headers=other).status_code == 404
    assert client.post(f"{url}/withdraw", headers=other).status_code == 404
    amend = client.put(url, json=checklist_body(), headers={**other, "If-Match": '"1-v1"'})
    assert amend.status_code == 404
    assert client.get("/api/v1/checklists", headers=other).json() == []
    assert client.get("/api/v1/units/SCJG/calendar.ics", headers=other).status_code == 404
    for_someone_else = client.post("/api/v1/checklists", json=checklist_body(), headers=other)
    assert for_someone_else.status_code == 403
    own = {"Authorization": f"Bearer {keys['unit']}"}
    assert client.get(url, headers=own).status_code == 200


_ROLE_WORDS = {"unit": U, "units": U, "coordinator": C, "coordinators": C, "auditor": A}


def test_the_readme_s_desk_table_offers_the_plan_exports_to_whom_the_rules_do() -> None:
    row = next(
        line
        for line in README.read_text(encoding="utf-8").splitlines()
        if "| 导出 exports |" in line
    )
    what = row.split("|")[3]
    # the part of the row about the plan as a spreadsheet, and the roles it names
    part = next(p for p in what.split(";") if "Excel" in p)
    named = {_ROLE_WORDS[w] for w in re.findall(r"[a-z]+", part) if w in _ROLE_WORDS}
    for route in ("/api/v1/plans/{plan_id}/export.xlsx", "/api/v1/plans/{plan_id}/export.csv"):
        assert frozenset(named) == RULES[("GET", route)], f"README: {part.strip()!r}"
