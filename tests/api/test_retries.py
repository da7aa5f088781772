"""Retries are safe (Idempotency-Key) and oversized bodies are refused (413), nothing stored."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from inspection.api import middleware
from inspection.api.app import create_app
from inspection.settings import Settings
from tests.support.data import checklist_body
from tests.support.keyed_client import KeyedClient


def test_a_retried_post_returns_the_first_answer_and_creates_nothing_twice(
    api_one_unit: TestClient,
) -> None:
    headers = {"Idempotency-Key": "b7e0c1c2-retry-1"}
    first = api_one_unit.post("/api/v1/checklists", json=checklist_body(), headers=headers)
    assert first.status_code == 201, first.text
    again = api_one_unit.post("/api/v1/checklists", json=checklist_body(), headers=headers)
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert len(api_one_unit.get("/api/v1/checklists").json()) == 1
    other = api_one_unit.post(
        "/api/v1/checklists", json=checklist_body(title="另一份清单"), headers=headers
    )
    assert other.status_code == 422
    assert other.json()["field"] == "Idempotency-Key"
    fresh = api_one_unit.post(
        "/api/v1/checklists", json=checklist_body(), headers={"Idempotency-Key": "another"}
    )
    assert fresh.status_code == 201
    assert len(api_one_unit.get("/api/v1/checklists").json()) == 2


def test_a_rejected_post_is_replayed_as_rejected(api_one_unit: TestClient) -> None:
    headers = {"Idempotency-Key": "bad-once"}
    first = api_one_unit.post(
        "/api/v1/checklists", json=checklist_body(unit_id="NOPE"), headers=headers
    )
    assert first.status_code == 422
    again = api_one_unit.post(
        "/api/v1/checklists", json=checklist_body(unit_id="NOPE"), headers=headers
    )
    assert (again.status_code, again.json()) == (422, first.json())


def test_bodies_over_the_limit_are_413_and_store_nothing(engine: Engine) -> None:
    settings = Settings(max_body_bytes=2_000)
    with KeyedClient(create_app(settings=settings, engine=engine), engine) as small:
        body = checklist_body(
            title="检" * 150, items=[{"name": "x" * 150, "legal_basis": "y" * 400}] * 5
        )
        answer = small.post("/api/v1/checklists", json=body)
        assert answer.status_code == 413
        assert answer.headers["content-type"] == "application/problem+json"

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
            yield b'{"unit_id": "SCJG", "title": "'
            for _ in range(50):
                yield b"x" * 100
            yield b'"}'

        streamed = small.post(
            "/api/v1/checklists", content=chunks(), headers={"content-type": "application/json"}
        )
        assert streamed.status_code == 413
        assert small.get("/api/v1/checklists").json() == []


def test_malformed_json_is_a_422_problem_and_stores_nothing(api_one_unit: TestClient) -> None:
    answer = api_one_unit.post(
        "/api/v1/checklists",
        content=b'{"unit_id": "SCJG", "title": ',
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert "JSON" in answer.json()["detail"]
    assert api_one_unit.get("/api/v1/checklists").json() == []


def test_the_bearer_scheme_in_any_case_is_the_same_caller(api_one_unit: TestClient) -> None:
    key = api_one_unit.keys["coordinator"]  # type: ignore[attr-defined]
    answers = [
        api_one_unit.post(
            "/api/v1/checklists",
            json=checklist_body(),
            headers={"Authorization": f"{scheme} {key}", "Idempotency-Key": "any-case"},
        )
        for scheme in ("Bearer", "bearer", "BEARER")
    ]
    assert [a.status_code for a in answers] == [201, 201, 201], [a.text for a in answers]
    assert [a.headers.get("idempotent-replayed") for a in answers] == [None, "true", "true"]
    assert len(api_one_unit.get("/api/v1/checklists").json()) == 1


def test_the_idempotency_records_are_read_and_written_off_the_event_loop(
    api_one_unit: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A blocking database call on the event loop would hold up every request of the process."""
    on_loop: list[tuple[str, bool]] = []

    def watched(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            try:
                asyncio.get_running_loop()
                on_loop.append((name, True))
            except RuntimeError:  # no loop in this thread: a worker thread
                on_loop.append((name, False))
            return real(*args)

        return call

    for name in ("_principal", "claim_key", "keep_answer", "forget_key"):
        monkeypatch.setattr(middleware, name, watched(name, getattr(middleware, name)))
    headers = {"Idempotency-Key": "off-the-loop"}
    assert api_one_unit.post(
        "/api/v1/checklists", json=checklist_body(), headers=headers
    ).is_success
    refused = api_one_unit.post(
        "/api/v1/checklists", json=checklist_body(), headers={**headers, "Authorization": "x"}
    )
    assert refused.status_code == 401
    first, second = ["_principal", "claim_key", "keep_answer"], ["_principal"]
    assert on_loop == [(name, False) for name in first + second]
