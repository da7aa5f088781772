"""Crash safety of the real server: SIGKILL in the middle of a burst, and in the middle of a solve.

Each case starts `inspection serve` as a separate process (in its own session, so
its spawned plan workers share its process group) on a fresh database, SQLite in
a temporary folder or the PostgreSQL database of `INSPECTION_TEST_DATABASE_URL`
(in fact a sibling database `<name>_crash_safety` created and dropped by the
test, so that test runs sharing that database cannot wipe it under the server;
if the login may not create databases, that database itself, its public schema
wiped first and last), with keys issued through the CLI.

1. Six client threads post checklists (three items, both targets, unique titles)
   as fast as the server answers; after about 1.5 s the whole process group is
   killed with SIGKILL. After a restart on the same database, every checklist
   that got a 201 must read back equal to the acknowledged body, and the
   database must hold no checklist without its items or its requests.
2. A plan is started and, once its worker reports `running`, the server's
   process group (server and worker) is killed. After a restart the plan is
   `failed`, has no rounds, and cannot be published (409).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import Engine, create_engine, text

from inspection.services.planning.models import ACTIVE_STATUSES
from tests.support.data import FACTORY, FOOD_SHOP, checklist_body
from tests.support.live_server import (
    LiveDatabase,
    LiveServer,
    add_solver_load,
    api_client,
    issue_keys,
)

_CLIENTS = 6
_BURST_S = 1.5


def _register_reference(server: LiveServer, database: LiveDatabase) -> None:
    with api_client(server, database.keys["admin"]) as admin:
        unit = {"id": "SCJG", "name": "区市场监督管理局", "weekday_capacity": [3] * 7}
        answer = admin.post("/api/v1/units", json=unit)
        assert answer.status_code == 201, answer.text
        for code, name in ((FOOD_SHOP, "小吃店"), (FACTORY, "食品厂")):
            body = {"credit_code": code, "name": name, "town": "凤城街道"}
            answer = admin.post("/api/v1/enterprises", json=body)
            assert answer.status_code == 201, answer.text


@dataclass
class _Burst:
    """What the clients saw: acknowledged checklists by id, and everything else."""

    acknowledged: dict[int, dict[str, Any]] = field(default_factory=dict)
    other_statuses: list[tuple[int, str]] = field(default_factory=list)
    transport_errors: list[str] = field(default_factory=list)
    sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _submitter(server: LiveServer, key: str, client_no: int, burst: _Burst) -> None:
    with httpx.Client(
        base_url=server.base,
        timeout=httpx.Timeout(10.0, connect=5.0),
        headers={"Authorization": f"Bearer {key}"},
    ) as client:
        for n in range(100_000):
            body = checklist_body(
                title=f"崩溃测试 c{client_no} n{n}",
                items=[
                    {"name": f"检查项 {client_no}-{n}-{i}", "legal_basis": f"依据第{i + 1}条"}
                    for i in range(3)
                ],
                targets=[FOOD_SHOP, FACTORY],
            )
            with burst.lock:
                burst.sent += 1
            try:
                answer = client.post("/api/v1/checklists", json=body)
            except httpx.TransportError as error:
                with burst.lock:
                    burst.transport_errors.append(f"{type(error).__name__}: {error}")
                return
            with burst.lock:
                if answer.status_code == 201:
                    created = answer.json()
                    # the receipt is the checklist and what the caps said about it then
                    created.pop("warnings", None)
                    burst.acknowledged[created["id"]] = created
                else:
                    burst.other_statuses.append((answer.status_code, answer.text[:300]))


def _item_and_request_counts(engine: Engine) -> dict[int, tuple[int, int]]:
    """Every stored checklist's number of items and of requests, by id."""
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT c.id,"
                " (SELECT count(*) FROM checklist_items i WHERE i.checklist_id = c.id),"
                " (SELECT count(*) FROM requests r WHERE r.checklist_id = c.id)"
                " FROM checklists c"
            )
        ).all()
    return {int(r[0]): (int(r[1]), int(r[2])) for r in rows}


def _half_written(engine: Engine) -> tuple[int, list[tuple[int, int, int]]]:
    """How many checklists are stored, and those without items or requests (id, items, requests)."""
    counts = _item_and_request_counts(engine)
    broken = [
        (cid, items, requests)
        for cid, (items, requests) in counts.items()
        if 0 in (items, requests)
    ]
    return len(counts), broken


def test_sigkill_mid_burst_and_mid_solve_lose_nothing_acknowledged(
    live_database: LiveDatabase,
) -> None:
    database = live_database
    timings: dict[str, float] = {}
    servers: list[LiveServer] = []
    engine = create_engine(database.url)
    try:
        issue_keys(database)
        first = LiveServer(database, "server-1.log")
        servers.append(first)
        timings["first start"] = first.wait_ready()
        _register_reference(first, database)

        # 1. a burst from several clients, SIGKILL in the middle
        burst = _Burst()
        threads = [
            threading.Thread(
                target=_submitter, args=(first, database.keys["coordinator"], n, burst)
            )
            for n in range(_CLIENTS)
        ]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        deadline = began + 30
        while time.monotonic() - began < _BURST_S or (
            not burst.acknowledged and time.monotonic() < deadline
        ):
            time.sleep(0.05)
        first.kill()
        timings["burst until kill"] = time.monotonic() - began
        for thread in threads:
            thread.join(timeout=60)
            assert not thread.is_alive(), "a client thread did not stop after the kill"
        acknowledged = dict(burst.acknowledged)
        counts = (
            f"sent {burst.sent}, acknowledged {len(acknowledged)}, "
            f"transport errors {len(burst.transport_errors)}, "
            f"other answers {len(burst.other_statuses)}"
        )
        assert acknowledged, f"no submission was acknowledged before the kill ({counts})"
        assert not burst.other_statuses, f"{counts}: {burst.other_statuses[:5]}"
        assert len(burst.transport_errors) == _CLIENTS, f"{counts}: {burst.transport_errors}"

        second = LiveServer(database, "server-2.log")
        servers.append(second)
        timings["restart"] = second.wait_ready()
        with api_client(second, database.keys["coordinator"]) as client:
            lost, changed = [], []
            for checklist_id, body in acknowledged.items():
                read = client.get(f"/api/v1/checklists/{checklist_id}")
                if read.status_code != 200:
                    lost.append((checklist_id, read.status_code))
                elif read.json() != body:
                    changed.append((checklist_id, body, read.json()))
        assert not lost, f"{counts}: {len(lost)} acknowledged checklists are gone: {lost[:5]}"
        assert not changed, f"{counts}: {len(changed)} differ from their 201: {changed[:2]}"
        for body in acknowledged.values():
            assert len(body["items"]) == 3, body
            assert sorted(body["targets"]) == sorted([FOOD_SHOP, FACTORY]), body

        stored, broken = _half_written(engine)
        counts += f", stored after restart {stored}"
        assert not broken, f"{counts}: half-written checklists (id, items, requests): {broken}"
        assert stored >= len(acknowledged), counts
        incomplete = {
            cid: got for cid, got in _item_and_request_counts(engine).items() if got != (3, 2)
        }
        assert not incomplete, f"{counts}: checklists not whole (items, requests): {incomplete}"
        print(f"\n[{database.url.split(':')[0]}] burst: {counts}")

        # 2. SIGKILL while a plan is running in its worker process
        add_solver_load(second, database)
        with api_client(second, database.keys["coordinator"]) as client:
            started = client.post(
                "/api/v1/plans",
                json={"start": "2024-06-03", "end": "2024-06-09", "time_limit_s": 30},
            )
            assert started.status_code == 202, started.text
            plan_id = started.json()["id"]
            posted = time.monotonic()
            seen = "queued"
            while seen != "running":
                seen = client.get(f"/api/v1/plans/{plan_id}").json()["status"]
                assert seen in ACTIVE_STATUSES, f"plan ended as {seen} before the kill"
                assert time.monotonic() - posted < 90, "the plan never started running"
                time.sleep(0.02)
            timings["plan posted until running"] = time.monotonic() - posted
        second.kill()
        second.wait_group_dead()
        with engine.connect() as connection:
            status = connection.execute(
                text("SELECT status FROM plans WHERE id = :id"), {"id": plan_id}
            ).scalar_one()
        assert status == "running", f"the plan was {status} when the server was killed"

        third = LiveServer(database, "server-3.log")
        servers.append(third)
        timings["second restart"] = third.wait_ready()
        with api_client(third, database.keys["coordinator"]) as client:
            plan = client.get(f"/api/v1/plans/{plan_id}").json()
            assert plan["status"] == "failed", plan
            assert plan["published"] is False, plan
            assert plan["error"], plan
            rounds = client.get(f"/api/v1/plans/{plan_id}/rounds")
            assert rounds.status_code == 200, rounds.text
            assert rounds.json() == [], rounds.text
            published = client.post(f"/api/v1/plans/{plan_id}/publish")
            assert published.status_code == 409, published.text
            # the refused publication left the plan as it was
            assert client.get(f"/api/v1/plans/{plan_id}").json()["status"] == "failed"
        with engine.connect() as connection:
            stored_rounds = connection.execute(
                text("SELECT count(*) FROM plan_rounds WHERE plan_id = :id"), {"id": plan_id}
            ).scalar_one()
            unscheduled = connection.execute(
                text("SELECT count(*) FROM plan_unscheduled WHERE plan_id = :id"), {"id": plan_id}
            ).scalar_one()
        assert (stored_rounds, unscheduled) == (0, 0), (stored_rounds, unscheduled)
        print(
            f"[{database.url.split(':')[0]}] timings: "
            + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in timings.items())
        )
    finally:
        for server in servers:
            if server.process.poll() is None or server.group_alive():
                server.kill()
        engine.dispose()
