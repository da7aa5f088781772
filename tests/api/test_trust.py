"""Trust over HTTP: changes land in the audit trail, publication records its hashes,
complaint checks stay with their unit, and serve will not start without an admin key."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlmodel import Session
from typer.testing import CliRunner

from inspection.cli import app as cli
from inspection.services.access import Actor, Role
from inspection.services.trust.keys import create_key
from tests.support.keyed_client import wait_for_plan


def test_changes_are_audited_and_publication_records_its_hashes(
    api_week: TestClient, engine: Engine
) -> None:
    client = api_week
    started = client.post("/api/v1/plans", json={"start": "2024-06-03", "end": "2024-06-09"})
    location = started.headers["location"]
    wait_for_plan(client, location)
    assert client.post(f"{location}/publish").status_code == 200
    plan_id = started.json()["id"]
    trail = client.get("/api/v1/audit", params={"entity": "plan", "entity_id": plan_id}).json()
    assert [e["action"] for e in trail] == ["plan.create", "plan.finish", "plan.publish"]
    published = trail[-1]["after"]
    assert len(published["content_sha256"]) == len(published["problem_sha256"]) == 64
    assert trail[0]["actor"].startswith("coordinator:")
    assert trail[1]["actor"] == "system:system"
    assert client.get("/api/v1/audit/verify").json()["ok"] is True
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE audit_log SET after = NULL WHERE id = :id"), {"id": trail[1]["id"]}
        )
    report = client.get("/api/v1/audit/verify").json()
    assert (report["ok"], report["first_broken"]) == (False, trail[1]["id"])


def test_a_complaint_check_is_seen_only_by_its_unit_coordinators_and_auditors(
    api_week: TestClient, engine: Engine
) -> None:
    client = api_week  # _fill: a complaint check of XFJY at FACTORY, routine SCJG checks
    location = client.post(
        "/api/v1/plans", json={"start": "2024-06-03", "end": "2024-06-09"}
    ).headers["location"]
    wait_for_plan(client, location)
    assert client.post(f"{location}/publish").status_code == 200
    with Session(engine) as session:
        scjg = create_key(session, Actor("t", Role.ADMIN), Role.UNIT, "SCJG").key
        xfjy = create_key(session, Actor("t", Role.ADMIN), Role.UNIT, "XFJY").key
        auditor = create_key(session, Actor("t", Role.ADMIN), Role.AUDITOR).key

    def units_seen(key: str) -> list[list[str]]:
        answer = client.get("/api/v1/rounds", headers={"Authorization": f"Bearer {key}"})
        return [r["units"] for r in answer.json()]

    assert ["XFJY"] in units_seen(xfjy)
    assert ["XFJY"] not in units_seen(scjg)
    assert all("SCJG" in units for units in units_seen(scjg))
    assert ["XFJY"] in units_seen(auditor)
    other = client.get("/api/v1/checklists", headers={"Authorization": f"Bearer {scjg}"}).json()
    assert all(c["unit_id"] == "SCJG" for c in other)


def test_serve_refuses_to_start_without_an_admin_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSPECTION_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("INSPECTION_DATABASE_URL", raising=False)
    refused = CliRunner().invoke(cli, ["serve", "--port", "1"])
    assert refused.exit_code == 2
    assert "admin key" in refused.output
    public = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--dev", "--port", "1"])
    assert public.exit_code == 2  # --dev only on loopback
