"""A TestClient that sends, on every request without one, the key of a role allowed to make it.

API tests that are not about access control use it, so they read as before;
`test_route_rules.py` checks the access rules themselves.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.services.access import Actor, Role
from inspection.services.planning.models import ACTIVE_STATUSES
from inspection.services.trust.keys import create_key

__all__ = ["KeyedClient", "role_for", "wait_for_plan"]

_ISSUER = Actor(name="tests", role=Role.ADMIN)


def role_for(method: str, path: str) -> str:
    """The role a test request acts as: admin for reference data and keys, auditor for the
    audit trail, coordinator for everything else."""
    path = path.split("?", 1)[0]
    if path.startswith("/api/v1/keys"):
        return "admin"
    if path.startswith("/api/v1/audit"):
        return "auditor"
    if method == "POST" and (
        path.startswith("/api/v1/enterprises") or path in ("/api/v1/units", "/api/v1/units/import")
    ):
        return "admin"
    return "coordinator"


class KeyedClient(TestClient):
    """`TestClient` with a key per role, chosen by :func:`role_for`."""

    def __init__(self, app: FastAPI, engine: Engine, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        with Session(engine) as session:
            self.keys: dict[str, str] = {
                str(role): create_key(session, _ISSUER, role, name=f"tests-{role}").key
                for role in (Role.COORDINATOR, Role.AUDITOR, Role.ADMIN)
            }

    def build_request(self, method: str, url: Any, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", None) or {})
        if not any(k.lower() == "authorization" for k in headers):
            headers["Authorization"] = (
                f"Bearer {self.keys[role_for(method.upper(), httpx.URL(str(url)).path)]}"
            )
        return super().build_request(method, url, headers=headers, **kwargs)


def wait_for_plan(client: TestClient, location: str, limit_s: float = 90) -> dict[str, Any]:
    """Poll a plan until it leaves `queued`/`running`; its last state."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        plan: dict[str, Any] = client.get(location).json()
        if plan["status"] not in ACTIVE_STATUSES:
            return plan
        time.sleep(0.2)
    raise AssertionError(f"plan at {location} did not finish in {limit_s} s")
