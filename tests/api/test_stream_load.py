"""Open progress streams cannot take the server down, and SIGTERM always stops it.

Against the real server (`inspection serve`, a process of its own) on SQLite and
PostgreSQL: 15 coordinator keys open 4 `GET /plans/{id}/events` streams each on a
running plan, 60 streams, more than the 40 database connections of the pool.
`/health` and an ordinary read must still answer at once; a fifth stream for a key
is refused with 429 problem+json naming the limit; SIGTERM with the 60 streams open
stops the server (and its solver worker) within a few seconds.
"""

from __future__ import annotations

import statistics
import threading
import time

import httpx

from tests.support.live_server import (
    LiveDatabase,
    LiveServer,
    add_solver_load,
    api_client,
    issue_keys,
)

_KEYS = 15
_PER_KEY = 4  # the default INSPECTION_MAX_STREAMS_PER_KEY
_OPEN_TIMEOUT_S = 15.0
_EXIT_WITHIN_S = 3.0  # below INSPECTION_SHUTDOWN_GRACE_S (5 s): the streams must end themselves


class _Stream(threading.Thread):
    """One client holding an event stream open until told to let go."""

    def __init__(self, base: str, key: str, path: str) -> None:
        super().__init__(daemon=True)
        self.base, self.key, self.path = base, key, path
        self.opened = threading.Event()
        self.release = threading.Event()
        self.status: int | None = None
        self.error: str | None = None

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {self.key}"}
        timeout = httpx.Timeout(60.0, connect=10.0)
        try:
            with (
                httpx.Client(base_url=self.base, headers=headers, timeout=timeout) as client,
                client.stream("GET", self.path) as response,
            ):
                self.status = response.status_code
                # read on (leaving the line iterator would close the connection) until
                # the server ends the stream or the test lets go
                for line in response.iter_lines():
                    if line.startswith("data: "):
                        self.opened.set()
                    if self.release.is_set():
                        return
        except httpx.HTTPError as error:
            self.error = f"{type(error).__name__}: {error}"
        finally:
            self.opened.set()


def _more_coordinator_keys(server: LiveServer, admin_key: str, count: int) -> list[str]:
    with api_client(server, admin_key) as admin:
        issued = []
        for n in range(count):
            answer = admin.post("/api/v1/keys", json={"role": "coordinator", "name": f"流{n}"})
            assert answer.status_code == 201, answer.text
            issued.append(str(answer.json()["key"]))
    return issued


def test_sixty_open_streams_leave_the_server_answering_and_sigterm_stops_it(
    live_database: LiveDatabase,
) -> None:
    database = live_database
    issue_keys(database)
    server = LiveServer(database, "server.log")
    streams: list[_Stream] = []
    try:
        server.wait_ready()
        add_solver_load(server, database)
        keys = [database.keys["coordinator"]]
        keys += _more_coordinator_keys(server, database.keys["admin"], _KEYS - 1)
        with api_client(server, keys[0]) as client:
            body = {"start": "2024-06-03", "end": "2024-06-09", "time_limit_s": 120}
            started = client.post("/api/v1/plans", json=body)
            assert started.status_code == 202, started.text
            path = f"/api/v1/plans/{started.json()['id']}/events"

        streams = [_Stream(server.base, key, path) for key in keys for _ in range(_PER_KEY)]
        for stream in streams:
            stream.start()
        deadline = time.monotonic() + _OPEN_TIMEOUT_S
        for stream in streams:
            stream.opened.wait(max(0.0, deadline - time.monotonic()))
        opened = sum(1 for s in streams if s.status == 200 and s.error is None)
        assert opened == len(streams), [(s.status, s.error) for s in streams if s.status != 200]

        # with 60 streams open: a fifth stream for a key is refused, the server answers at once
        with api_client(server, keys[0], timeout=5.0) as client:
            refused = client.get(path)
            assert refused.status_code == 429, refused.text
            assert refused.headers["content-type"].startswith("application/problem+json")
            assert refused.json()["field"] == "Authorization", refused.json()
            assert str(_PER_KEY) in refused.json()["detail"], refused.json()
            plan = client.get(path.removesuffix("/events"))
            assert plan.status_code == 200, plan.text
            assert plan.json()["status"] in ("queued", "running"), plan.json()
        took = []
        with httpx.Client(base_url=server.base, timeout=5.0) as anyone:
            for _ in range(20):
                began = time.monotonic()
                assert anyone.get("/api/v1/health").status_code == 200
                took.append(time.monotonic() - began)
        median_ms = statistics.median(took) * 1000
        assert max(took) < 2.0, took

        exit_s = server.terminate(timeout_s=60.0)
        assert exit_s < _EXIT_WITHIN_S, exit_s
        server.wait_group_dead(timeout_s=10.0)  # the plan's worker went with it
        print(
            f"\n[{database.url.split(':')[0]}] {len(streams)} streams over {_KEYS} keys: "
            f"/health median {median_ms:.1f} ms, slowest {max(took) * 1000:.1f} ms; "
            f"SIGTERM with the streams open: exit in {exit_s:.2f} s"
        )
    finally:
        for stream in streams:
            stream.release.set()
        if server.process.poll() is None or server.group_alive():
            server.kill()
