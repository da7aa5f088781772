"""A TestClient that sends, on every request without one, the key of a role allowed to make it.

API tests that are not about access control use it, so they read as before;
`test_route_rules.py` checks the access rules themselves. A checklist sent as JSON
(submitted or amended) goes with the key of its unit's head, so it is approved at once
and plans take it, as before approval (审批) existed; tests of drafts send their own key.
An imported file names many units: it goes with the coordinator's key, and its
checklists stay drafts until :meth:`KeyedClient.approve_drafts`.
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.errors import InvalidInputError
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
        self._engine = engine
        self._heads: dict[str, str] = {}
        with Session(engine) as session:
            self.keys: dict[str, str] = {
                str(role): create_key(session, _ISSUER, role, name=f"tests-{role}").key
                for role in (Role.COORDINATOR, Role.AUDITOR, Role.ADMIN)
            }

    def head_key(self, unit_id: str) -> str | None:
        """The key of the unit's head (issued on first use); None for a unit not registered."""
        if unit_id not in self._heads:
            with Session(self._engine) as session:
                try:
                    issued = create_key(
                        session,
                        _ISSUER,
                        Role.UNIT,
                        unit_id,
                        f"tests-{unit_id}-head",
                        unit_head=True,
                    )
                except InvalidInputError:
                    return None
            self._heads[unit_id] = issued.key
        return self._heads[unit_id]

    def _checklist_head_key(self, method: str, path: str, kwargs: dict[str, Any]) -> str | None:
        """The unit head's key for a checklist sent as JSON (submitted or amended), else None."""
        path = path.split("?", 1)[0]
        writes = (method == "POST" and path == "/api/v1/checklists") or (
            method == "PUT" and path.startswith("/api/v1/checklists/")
        )
        body = kwargs.get("json")
        if body is None and isinstance(kwargs.get("content"), str | bytes):
            try:
                body = json.loads(kwargs["content"])
            except (ValueError, RecursionError):  # a test's unparsable body: the server's to refuse
                body = None
        if not writes or not isinstance(body, dict) or not isinstance(body.get("unit_id"), str):
            return None
        return self.head_key(body["unit_id"])

    def approve_drafts(self) -> int:
        """Approve every draft checklist with its unit head's key; how many."""
        approved = 0
        while drafts := self.get("/api/v1/checklists?status=draft&limit=1000").json():
            for draft in drafts:
                key = self.head_key(draft["unit_id"])
                answer = self.post(
                    f"/api/v1/checklists/{draft['id']}/approve",
                    headers={"Authorization": f"Bearer {key}"},
                )
                assert answer.status_code == 200, answer.text
                approved += 1
        return approved

    def build_request(self, method: str, url: Any, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", None) or {})
        if not any(k.lower() == "authorization" for k in headers):
            path = httpx.URL(str(url)).path
            key = self._checklist_head_key(method.upper(), path, kwargs)
            if key is None:
                key = self.keys[role_for(method.upper(), path)]
            headers["Authorization"] = f"Bearer {key}"
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
