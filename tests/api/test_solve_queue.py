"""Solver processes are bounded: simultaneous plans queue, none fails for a lock of our own.

Against the real server (`inspection serve`) on SQLite and PostgreSQL, with
`INSPECTION_MAX_CONCURRENT_SOLVES` at its default (2): eight coordinators post a
plan at the same moment (eight single days, five of them loaded). At no moment do
more than two plans run or more than two solver processes live; the others wait
`queued`; all eight end `finished`. A ninth plan over a day still queued or
running is refused with 409 problem+json naming that plan.
"""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from tests.support.live_server import (
    LiveDatabase,
    LiveServer,
    add_solver_load,
    api_client,
    issue_keys,
)

_PLANS = 8
_SLOTS = 2  # the default INSPECTION_MAX_CONCURRENT_SOLVES
_FIRST_DAY = date(2024, 6, 3)  # add_solver_load's checklists are due 2024-06-03 to 06-07
_DONE_WITHIN_S = 240.0


def _group_processes(pgid: int) -> list[tuple[str, int]]:
    """(command line, resident kB) of each live process of the group."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != pgid or fields[0] == "Z":
                continue
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            status = (stat.parent / "status").read_text()
        except OSError:
            continue
        rss = next(
            (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0
        )
        found.append((command, rss))
    return found


def test_eight_simultaneous_plans_run_two_at_a_time_and_all_finish(
    live_database: LiveDatabase,
) -> None:
    database = live_database
    issue_keys(database)
    server = LiveServer(database, "server.log")
    try:
        server.wait_ready()
        add_solver_load(server, database)
        days = [_FIRST_DAY + timedelta(days=n) for n in range(_PLANS)]
        answers: list[httpx.Response | None] = [None] * _PLANS
        go = threading.Barrier(_PLANS)

        def post(n: int) -> None:
            with api_client(server, database.keys["coordinator"]) as client:
                body = {"start": str(days[n]), "end": str(days[n]), "time_limit_s": 4}
                go.wait()
                answers[n] = client.post("/api/v1/plans", json=body)

        posters = [threading.Thread(target=post, args=(n,)) for n in range(_PLANS)]
        for poster in posters:
            poster.start()
        for poster in posters:
            poster.join(timeout=60)
        assert all(a is not None and a.status_code == 202 for a in answers), [
            (a.status_code, a.text) if a is not None else None for a in answers
        ]
        ids = [a.json()["id"] for a in answers if a is not None]

        most_running, most_workers, peak_rss_kb, seen_queued = 0, 0, 0, 0
        refused: dict[str, Any] | None = None
        plans: dict[int, dict[str, Any]] = {}
        began = time.monotonic()
        with api_client(server, database.keys["coordinator"]) as client:
            while True:
                plans = {p["id"]: p for p in client.get("/api/v1/plans").json()}
                statuses = [plans[i]["status"] for i in ids]
                processes = _group_processes(server.pgid)
                workers = sum(1 for command, _ in processes if "spawn_main" in command)
                most_workers = max(most_workers, workers)
                peak_rss_kb = max(peak_rss_kb, sum(rss for _, rss in processes))
                most_running = max(most_running, statuses.count("running"))
                seen_queued = max(seen_queued, statuses.count("queued"))
                if refused is None and "queued" in statuses:
                    waiting = ids[statuses.index("queued")]
                    day = plans[waiting]["start"]
                    again = client.post(
                        "/api/v1/plans", json={"start": day, "end": day, "time_limit_s": 4}
                    )
                    assert again.status_code == 409, again.text
                    assert again.headers["content-type"].startswith("application/problem+json")
                    refused = again.json()
                    assert refused["plan"] == waiting, refused
                    assert str(waiting) in refused["detail"], refused
                    assert refused["field"] == "start", refused
                if all(s not in ("queued", "running") for s in statuses):
                    break
                assert time.monotonic() - began < _DONE_WITHIN_S, statuses
                time.sleep(0.1)
        took = time.monotonic() - began
        ended = {i: (plans[i]["status"], plans[i]["error"]) for i in ids}
        assert all(status == "finished" for status, _ in ended.values()), ended
        assert most_running <= _SLOTS, most_running
        assert most_workers <= _SLOTS, most_workers
        assert seen_queued >= _PLANS - _SLOTS - 1, seen_queued
        assert refused is not None
        print(
            f"\n[{database.url.split(':')[0]}] {_PLANS} simultaneous POST /plans: "
            f"at most {most_running} running and {most_workers} solver processes, "
            f"{seen_queued} queued at once, {_PLANS} of {_PLANS} finished in {took:.1f} s, "
            f"peak RSS of the server and its workers {peak_rss_kb / 1024:.0f} MB"
        )
    finally:
        server.kill()
