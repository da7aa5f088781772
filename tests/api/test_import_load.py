"""A large import on the real server: every other client is still answered while it runs, and
the same file sent again stores nothing. On both databases.

Before imports ran off the event loop, a 5,000-checklist file held every request of
every client for the whole import (12.5 s on SQLite, 28.9 s on PostgreSQL).
"""

from __future__ import annotations

import threading
import time

import httpx

from tests.support.live_server import LiveDatabase, LiveServer, api_client, issue_keys
from tests.support.paths import SAMPLES
from tests.support.sheets import many_checklists

CHECKLISTS = 4000  # 20,000 rows: the most one file may hold
POLL_S = 0.05


def _health_while(server: LiveServer, work: threading.Thread) -> list[float]:
    """Seconds each `/health` took, asked every 50 ms while `work` runs."""
    answers: list[float] = []
    with httpx.Client(base_url=server.base, timeout=120) as client:
        while work.is_alive():
            began = time.monotonic()
            assert client.get("/api/v1/health").status_code == 200
            answers.append(time.monotonic() - began)
            time.sleep(POLL_S)
    return answers


def test_a_large_import_leaves_every_other_client_answered(live_database: LiveDatabase) -> None:
    issue_keys(live_database)
    server = LiveServer(live_database, "import-load.log")
    try:
        server.wait_ready()
        with api_client(server, live_database.keys["admin"], timeout=300) as admin:
            for what in ("units", "enterprises"):
                name = f"{what}.csv"
                content = (SAMPLES / name).read_bytes()
                answer = admin.post(f"/api/v1/{what}/import", files={"file": (name, content)})
                assert answer.status_code == 201, answer.text
        data = many_checklists(CHECKLISTS)
        outcome: dict[str, object] = {}

        def upload() -> None:
            with api_client(server, live_database.keys["coordinator"], timeout=300) as client:
                began = time.monotonic()
                answer = client.post(
                    "/api/v1/checklists/import", files={"file": ("big.csv", data, "text/csv")}
                )
                outcome["took"] = time.monotonic() - began
                outcome["status"] = answer.status_code
                outcome["body"] = answer.json()

        work = threading.Thread(target=upload)
        work.start()
        latencies = _health_while(server, work)
        work.join()
        assert outcome["status"] == 201, outcome["body"]
        took = outcome["took"]
        assert isinstance(took, float)
        # held by the import, /health would wait for all of it; answered alongside, it waits
        # at most for a turn at the interpreter
        assert max(latencies) < min(1.5, took / 2), (max(latencies), took)
        assert len(latencies) >= 3, "the import ended before /health was asked: no evidence"
        with api_client(server, live_database.keys["coordinator"], timeout=300) as client:
            again = client.post(
                "/api/v1/checklists/import", files={"file": ("big.csv", data, "text/csv")}
            )
        assert again.status_code == 200, again.text
        assert (again.json()["created"], again.json()["unchanged"]) == (0, CHECKLISTS)
    finally:
        server.kill()
