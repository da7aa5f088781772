"""What the real server refuses stays refused: on `inspection serve`, on both databases.

- a body over the limit, sent in chunks whose first one is a valid checklist, is a 413 and
  stores nothing (it used to be committed while the client saw 413; with an
  `Idempotency-Key` the stored answer was the 201);
- a reply carrying a secret (an issued key) is never stored, a revoked key replays nothing,
  callers without a valid key leave no idempotency records;
- feed tokens stay out of the access log.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.support.data import FACTORY, FOOD_SHOP, checklist_body
from tests.support.live_server import LiveDatabase, LiveServer, api_client, issue_keys

BODY_LIMIT = 4_000
# the first chunk goes out on its own: the old guard handed it to the app as the whole body
# once the padding crossed the limit. The pause only splits the TCP sends; the fixed server
# refuses the body however its chunks arrive, so the outcome does not depend on it.
_SPLIT_S = 0.3


def _chunks(first: bytes, padding: bytes) -> Iterator[bytes]:
    yield first
    time.sleep(_SPLIT_S)
    for _ in range(BODY_LIMIT // len(padding) + 2):
        yield padding


def _rows(database: LiveDatabase, query: str) -> list[tuple[Any, ...]]:
    engine = create_engine(database.url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(query))]
    finally:
        engine.dispose()


@pytest.fixture
def server(live_database: LiveDatabase) -> Iterator[LiveServer]:
    live_database.env["INSPECTION_MAX_BODY_BYTES"] = str(BODY_LIMIT)
    issue_keys(live_database)
    running = LiveServer(live_database, "refusals.log")
    try:
        running.wait_ready()
        with api_client(running, live_database.keys["admin"]) as admin:
            unit = {"id": "SCJG", "name": "区市场监督管理局", "weekday_capacity": [3] * 5 + [0, 0]}
            assert admin.post("/api/v1/units", json=unit).status_code == 201
            for code in (FOOD_SHOP, FACTORY):
                body = {"credit_code": code, "name": f"企业{code[-4:]}", "town": "凤城街道"}
                assert admin.post("/api/v1/enterprises", json=body).status_code == 201
        yield running
    finally:
        running.kill()


def test_a_chunked_body_over_the_limit_is_413_and_stores_nothing(
    server: LiveServer, live_database: LiveDatabase
) -> None:
    valid = json.dumps(checklist_body()).encode()
    variants: list[tuple[bytes, bytes, dict[str, str]]] = [
        (valid, b" " * 500, {}),  # whitespace after the document: still one valid JSON
        (valid, b"x" * 500, {}),  # garbage after it
        (valid, b" " * 500, {"Idempotency-Key": "chunked-413"}),
    ]
    with api_client(server, live_database.keys["coordinator"]) as client:
        for first, padding, extra in variants:
            answer = client.post(
                "/api/v1/checklists",
                content=_chunks(first, padding),
                headers={"content-type": "application/json", **extra},
            )
            assert answer.status_code == 413, answer.text
            assert answer.headers["content-type"] == "application/problem+json"
        assert client.get("/api/v1/checklists").json() == []
        assert _rows(live_database, "SELECT count(*) FROM checklists") == [(0,)]
        assert _rows(live_database, "SELECT count(*) FROM idempotency_keys") == [(0,)]
        # the same key with the body alone is a first request: stored once, answered 201
        retried = client.post(
            "/api/v1/checklists", json=checklist_body(), headers={"Idempotency-Key": "chunked-413"}
        )
        assert retried.status_code == 201, retried.text
        assert "idempotent-replayed" not in retried.headers
    assert _rows(live_database, "SELECT count(*) FROM checklists") == [(1,)]


def test_a_reply_carrying_a_key_is_never_stored(
    server: LiveServer, live_database: LiveDatabase
) -> None:
    admin_key = live_database.keys["admin"]
    with api_client(server, admin_key) as admin:
        for path, body in (
            ("/api/v1/keys", {"role": "coordinator", "name": "重试"}),
            ("/api/v1/units/SCJG/feed-token", None),
        ):
            answer = admin.post(path, json=body, headers={"Idempotency-Key": f"secret-{path}"})
            assert answer.status_code == 422, answer.text
            assert answer.json()["field"] == "Idempotency-Key"
            # without the header the route works as before
            assert admin.post(path, json=body).status_code == 201
    # the refusals may be kept (a retry is refused again) but no issued key is
    stored = _rows(live_database, "SELECT response_body FROM idempotency_keys")
    assert all(
        b"iox_" not in body and b"ioc_" not in body and b"iof_" not in body for (body,) in stored
    ), stored


def test_a_revoked_key_replays_nothing(server: LiveServer, live_database: LiveDatabase) -> None:
    admin_key = live_database.keys["admin"]
    with api_client(server, admin_key) as admin:
        issued = admin.post("/api/v1/keys", json={"role": "coordinator", "name": "将吊销"}).json()
        issued_admin = admin.post("/api/v1/keys", json={"role": "admin", "name": "将吊销"}).json()
    with api_client(server, issued["key"]) as doomed:
        headers = {"Idempotency-Key": "before-revoke"}
        first = doomed.post("/api/v1/checklists", json=checklist_body(), headers=headers)
        assert first.status_code == 201, first.text
    with api_client(server, issued_admin["key"]) as doomed_admin:
        unit = {"id": "HBJ", "name": "生态环境分局", "weekday_capacity": [2] * 5 + [0, 0]}
        made = doomed_admin.post("/api/v1/units", json=unit, headers={"Idempotency-Key": "u1"})
        assert made.status_code == 201, made.text
    with api_client(server, admin_key) as admin:
        for key in (issued, issued_admin):
            assert admin.post(f"/api/v1/keys/{key['id']}/revoke").status_code == 200
    with api_client(server, issued["key"]) as doomed:
        again = doomed.post("/api/v1/checklists", json=checklist_body(), headers=headers)
        assert again.status_code == 401, again.text
        assert "idempotent-replayed" not in again.headers
    with api_client(server, issued_admin["key"]) as doomed_admin:
        again = doomed_admin.post("/api/v1/units", json=unit, headers={"Idempotency-Key": "u1"})
        assert again.status_code == 401, again.text


def test_callers_without_a_valid_key_leave_no_record(
    server: LiveServer, live_database: LiveDatabase
) -> None:
    with httpx.Client(base_url=server.base, timeout=30) as anonymous:
        for n in range(300):
            refused = anonymous.post(
                "/api/v1/checklists",
                json=checklist_body(),
                headers={"Idempotency-Key": f"anonymous-{n}"}
                | ({"Authorization": "Bearer not-a-key"} if n % 2 else {}),
            )
            assert refused.status_code == 401, refused.text
    assert _rows(live_database, "SELECT count(*) FROM idempotency_keys") == [(0,)]


def test_feed_tokens_stay_out_of_the_access_log(
    server: LiveServer, live_database: LiveDatabase
) -> None:
    with api_client(server, live_database.keys["coordinator"]) as client:
        issued = client.post("/api/v1/units/SCJG/feed-token").json()
    with httpx.Client(base_url=server.base, timeout=30) as calendar_app:
        feed = calendar_app.get(
            "/api/v1/units/SCJG/calendar.ics", params={"token": issued["key"], "from": "2024-06-03"}
        )
        assert feed.status_code == 200, feed.text
        wrong = calendar_app.get("/api/v1/units/SCJG/calendar.ics?token=iof_guessed-token")
        assert wrong.status_code == 401
    # uvicorn logs a request as its answer starts, and each line is flushed: it is there now
    log = server.log_path.read_text(errors="replace")
    assert "calendar.ics" in log
    assert issued["key"] not in log
    assert "iof_guessed-token" not in log
    assert "token=[redacted]" in log
