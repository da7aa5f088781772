"""Schemathesis against the app's own OpenAPI document, once per role.

Every operation is fuzzed with each role's key (unit, coordinator, auditor, admin) on
the `engine` fixture's database, seeded with two units, two enterprises, a checklist
and a queued plan. Path parameters are drawn either freely or from the seeded ids, so
the fuzzer reaches the handlers behind the 404s too. Every response must not be a 5xx
and must match what the document says: a documented status code, its content type and
its body schema (every 4xx is problem+json, documented as "4XX").

Bounded for CI: a fixed number of examples per operation, derandomized (the same cases
on every run), no example database, no deadline. The plan runner is replaced by a stub
once the app has started, so `POST /plans` queues plans without spawning solvers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.api.app import create_app
from inspection.services.access import Actor, Role
from inspection.services.trust.keys import create_key
from tests.support.data import FACTORY, FOOD_SHOP, checklist_body
from tests.support.jobs import StubJobs

ROLES = ("unit", "coordinator", "auditor", "admin")
EXAMPLES_PER_OPERATION = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# A server-sent events stream that lasts until its plan ends; with the stub runner a queued
# plan never ends, so the stream would never close. test_api_plans.py covers it.
EXCLUDED = {("GET", "/api/v1/plans/{plan_id}/events")}

_ISSUER = Actor(name="fuzz", role=Role.ADMIN)

Asgi = Callable[..., Any]


def _without_lifespan(app: FastAPI) -> Asgi:
    """The app as schemathesis calls it: the test client runs the lifespan, once.

    Rejecting the lifespan scope before receiving a message is how an ASGI app says it has
    none, so schemathesis does not start the app (and a real plan runner) a second time.
    """

    async def asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            raise RuntimeError("the test client runs the lifespan")
        await app(scope, receive, send)

    return asgi


def _seed(client: TestClient, engine: Engine) -> tuple[dict[str, str], dict[str, Any]]:
    """Keys per role and the ids of the seeded data, for path parameters."""
    with Session(engine) as session:
        keys = {
            role: create_key(session, _ISSUER, Role(role)).key for role in ROLES if role != "unit"
        }

    def as_role(role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {keys[role]}"}

    for unit in ("SCJG", "XFJY"):
        body = {"id": unit, "name": f"单位{unit}", "weekday_capacity": [3] * 7}
        created = client.post("/api/v1/units", json=body, headers=as_role("admin"))
        assert created.status_code == 201, created.text
    for code in (FOOD_SHOP, FACTORY):
        body = {"credit_code": code, "name": "企业", "town": "凤城街道"}
        created = client.post("/api/v1/enterprises", json=body, headers=as_role("admin"))
        assert created.status_code == 201, created.text
    with Session(engine) as session:
        keys["unit"] = create_key(session, _ISSUER, Role.UNIT, "SCJG").key
        spare = create_key(session, _ISSUER, Role.AUDITOR, name="revoked by the fuzzer").id
    checklist = client.post("/api/v1/checklists", json=checklist_body(), headers=as_role("unit"))
    assert checklist.status_code == 201, checklist.text
    horizon = {"start": "2024-06-03", "end": "2024-06-07", "time_limit_s": 1}
    plan = client.post("/api/v1/plans", json=horizon, headers=as_role("coordinator"))
    assert plan.status_code == 202, plan.text
    ids = {
        "unit_id": "SCJG",
        "credit_code": FOOD_SHOP,
        "checklist_id": checklist.json()["id"],
        "plan_id": plan.json()["id"],
        "key_id": spare,  # never the caller's own key, so the run keeps its access
    }
    return keys, ids


@pytest.fixture
def fuzzed(engine: Engine) -> Iterator[tuple[FastAPI, dict[str, str], dict[str, Any]]]:
    app = create_app(engine=engine)
    with TestClient(app) as client:
        app.state.jobs = StubJobs()
        keys, ids = _seed(client, engine)
        yield app, keys, ids


def _fuzz_operation(operation: Any, headers: dict[str, str], ids: dict[str, Any], app: Asgi) -> int:
    """Run one operation's cases; the number of cases sent."""
    known = {p.name: ids[p.name] for p in operation.path_parameters if p.name in ids}
    strategies = [operation.as_strategy()]
    if known:
        strategies.append(operation.as_strategy(path_parameters=known))
    sent = 0

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(strategies))
    def run(case: Any) -> None:
        nonlocal sent
        sent += 1
        case.call_and_validate(headers=headers, checks=CHECKS, app=app)

    run()
    return sent


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_fuzz_every_operation(
    fuzzed: tuple[FastAPI, dict[str, str], dict[str, Any]], role: str
) -> None:
    app, keys, ids = fuzzed
    asgi = _without_lifespan(app)
    schema = schemathesis.openapi.from_asgi("/openapi.json", asgi)
    headers = {"Authorization": f"Bearer {keys[role]}"}
    sent: dict[str, int] = {}
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result  # the document itself is valid
        operation = result.ok()
        if (operation.method.upper(), operation.path) in EXCLUDED:
            continue
        sent[operation.label] = _fuzz_operation(operation, headers, ids, asgi)
    print(f"\nfuzz {role}: {sum(sent.values())} cases over {len(sent)} operations")
    assert len(sent) >= 35
