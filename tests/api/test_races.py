"""Races on the real server: requests released together by a barrier, on SQLite and PostgreSQL.

Each case starts `inspection serve` as a process of its own on a fresh database
(:mod:`tests.support.live_server`). Every client opens its connection first and
then waits at a barrier, so the racing requests leave within microseconds of
each other; each race is run several times, since one lucky ordering proves
nothing.

1. Two amendments sent with the same `If-Match`: one 200, one 412, the winner's
   content stored, the version one higher (before: both 200 with the same new
   ETag, one edit lost, 8–10 of 10 tries). Two withdrawals at once: one 200, one
   409, one audit entry.
2. Publications: the same plan by two coordinators, two plans over the same week,
   two plans over partly overlapping weeks. Exactly one 200, one 409 whose detail
   names the winner, one `plan.publish` audit entry, never a 500 (before: 200 +
   200 on SQLite, 500 for the loser on PostgreSQL).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx

from inspection.services.planning.models import DONE_STATUSES
from tests.support.data import FACTORY, FOOD_SHOP, checklist_body
from tests.support.live_server import (
    LiveDatabase,
    LiveServer,
    api_client,
    issue_head_key,
    issue_keys,
)

AMEND_TRIES = 10
WITHDRAW_TRIES = 5
PUBLISH_ROUNDS = 3
# each race on days of its own, with checklists of its own, so that the five plans of a round
# can be solved at once without one race's publication making another's plans stale
SAME_PLAN_WEEK = ("2024-06-03", "2024-06-09")
SAME_WEEK = ("2024-06-17", "2024-06-23")
OVERLAP_WEEK = ("2024-07-01", "2024-07-07")
LATER_WEEK = ("2024-07-04", "2024-07-10")  # meets OVERLAP_WEEK on 07-04..07-07


@dataclass(frozen=True)
class _Call:
    method: str
    path: str
    headers: dict[str, str] | None = None
    body: dict[str, Any] | None = None


@dataclass(frozen=True)
class _Answer:
    status: int
    body: Any


def _race(server: LiveServer, key: str, calls: list[_Call]) -> list[_Answer]:
    """Send `calls` at the same moment, one thread and connection each; their answers in order."""
    barrier = threading.Barrier(len(calls))
    answers: list[_Answer | None] = [None] * len(calls)
    failures: list[BaseException] = []

    def send(index: int, call: _Call) -> None:
        try:
            with api_client(server, key, timeout=60) as client:
                assert client.get("/api/v1/me").status_code == 200  # connected before the start
                barrier.wait(timeout=30)
                answer = client.request(
                    call.method, call.path, headers=call.headers, json=call.body
                )
                answers[index] = _Answer(answer.status_code, answer.json())
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)
            barrier.abort()

    threads = [threading.Thread(target=send, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive(), "a racing client did not finish"
    assert not failures, failures
    return [a for a in answers if a is not None]


def _register_reference(server: LiveServer, database: LiveDatabase) -> None:
    with api_client(server, database.keys["admin"]) as admin:
        unit = {"id": "SCJG", "name": "区市场监督管理局", "weekday_capacity": [3] * 7}
        answer = admin.post("/api/v1/units", json=unit)
        assert answer.status_code == 201, answer.text
        for code, name in ((FOOD_SHOP, "小吃店"), (FACTORY, "食品厂")):
            body = {"credit_code": code, "name": name, "town": "凤城街道"}
            answer = admin.post("/api/v1/enterprises", json=body)
            assert answer.status_code == 201, answer.text


def _audit_count(
    server: LiveServer, database: LiveDatabase, entity: str, entity_id: int, action: str
) -> int:
    with api_client(server, database.keys["admin"]) as admin:
        answer = admin.get(
            "/api/v1/audit",
            params={"entity": entity, "entity_id": str(entity_id), "action": action},
        )
        assert answer.status_code == 200, answer.text
        return len(answer.json())


def _chain_intact(server: LiveServer, database: LiveDatabase) -> None:
    with api_client(server, database.keys["admin"]) as admin:
        report = admin.get("/api/v1/audit/verify").json()
    assert report["ok"], report


def test_concurrent_changes_to_one_checklist_lose_no_edit(live_database: LiveDatabase) -> None:
    database = live_database
    issue_keys(database)
    server = LiveServer(database, "races-checklists.log")
    try:
        server.wait_ready()
        _register_reference(server, database)
        key = database.keys["coordinator"]
        with api_client(server, key) as client:
            created = client.post("/api/v1/checklists", json=checklist_body(title="并发修改"))
            assert created.status_code == 201, created.text
            checklist_id = created.json()["id"]
            path = f"/api/v1/checklists/{checklist_id}"

            amends: list[list[int]] = []
            wrong: list[str] = []
            for attempt in range(AMEND_TRIES):
                read = client.get(path)
                version, etag = read.json()["version"], read.headers["ETag"]
                titles = [f"并发修改 {attempt}-{n}" for n in range(2)]
                answers = _race(
                    server,
                    key,
                    [
                        _Call("PUT", path, {"If-Match": etag}, checklist_body(title=t))
                        for t in titles
                    ],
                )
                amends.append(sorted(a.status for a in answers))
                after = client.get(path).json()
                won = [t for t, a in zip(titles, answers, strict=True) if a.status == 200]
                if after["title"] not in won or after["version"] != version + 1:
                    wrong.append(
                        f"try {attempt}: {won} won, stored {after['title']} v{after['version']}"
                    )

            withdrawals: list[list[int]] = []
            audited: list[int] = []
            for attempt in range(WITHDRAW_TRIES):
                fresh = client.post(
                    "/api/v1/checklists", json=checklist_body(title=f"撤回 {attempt}")
                )
                assert fresh.status_code == 201, fresh.text
                fresh_id = fresh.json()["id"]
                answers = _race(
                    server, key, [_Call("POST", f"/api/v1/checklists/{fresh_id}/withdraw")] * 2
                )
                withdrawals.append(sorted(a.status for a in answers))
                audited.append(
                    _audit_count(server, database, "checklist", fresh_id, "checklist.withdraw")
                )
        _chain_intact(server, database)
        backend = database.url.split(":")[0]
        one_each = sum(s == [200, 412] for s in amends)
        print(
            f"\n[{backend}] concurrent PUT pairs with one If-Match: {one_each} of {AMEND_TRIES}"
            f" one 200 + one 412 (all: {amends}); withdraw pairs: {withdrawals},"
            f" withdraw audit entries: {audited}"
        )
        assert amends == [[200, 412]] * AMEND_TRIES, amends
        assert not wrong, wrong
        assert withdrawals == [[200, 409]] * WITHDRAW_TRIES, withdrawals
        assert audited == [1] * WITHDRAW_TRIES, audited
    finally:
        server.kill()


def _start_plan(client: httpx.Client, horizon: tuple[str, str]) -> int:
    start, end = horizon
    answer = client.post("/api/v1/plans", json={"start": start, "end": end, "time_limit_s": 1})
    assert answer.status_code == 202, answer.text
    plan_id: int = answer.json()["id"]
    return plan_id


def _finished_plan(client: httpx.Client, horizon: tuple[str, str]) -> int:
    plan_id = _start_plan(client, horizon)
    _wait_done(client, [plan_id])
    return plan_id


def _wait_done(client: httpx.Client, plan_ids: list[int]) -> None:
    deadline = time.monotonic() + 120
    for plan_id in plan_ids:
        while (status := client.get(f"/api/v1/plans/{plan_id}").json()["status"]) not in (
            DONE_STATUSES
        ):
            assert status in ("queued", "running", "storing"), f"plan {plan_id} ended {status}"
            assert time.monotonic() < deadline, f"plan {plan_id} still {status}"
            time.sleep(0.1)


def _publish_race(
    server: LiveServer, database: LiveDatabase, client: httpx.Client, plan_ids: list[int]
) -> str:
    """Publish these plans (a plan twice when named twice) at once; what went wrong, or ''."""
    key = database.keys["coordinator"]
    answers = _race(server, key, [_Call("POST", f"/api/v1/plans/{p}/publish") for p in plan_ids])
    statuses = sorted(a.status for a in answers)
    if statuses != [200, 409]:
        return f"plans {plan_ids}: {statuses} {[a.body for a in answers if a.status != 200][:1]}"
    winner = next(p for p, a in zip(plan_ids, answers, strict=True) if a.status == 200)
    loser = next(a for a in answers if a.status == 409)
    if f"排期 {winner}" not in loser.body["detail"]:
        return f"plans {plan_ids}: the 409 does not name the winner {winner}: {loser.body}"
    published = [p for p in set(plan_ids) if client.get(f"/api/v1/plans/{p}").json()["published"]]
    if published != [winner]:
        return f"plans {plan_ids}: published {published}, winner {winner}"
    entries = _audit_count(server, database, "plan", winner, "plan.publish")
    if entries != 1:
        return f"plans {plan_ids}: {entries} plan.publish audit entries for {winner}"
    return ""


def test_concurrent_publications_have_one_winner(live_database: LiveDatabase) -> None:
    database = live_database
    issue_keys(database)
    server = LiveServer(database, "races-plans.log")
    try:
        server.wait_ready()
        _register_reference(server, database)
        head = issue_head_key(server, database, "SCJG")  # its checklists are approved at once
        with api_client(server, database.keys["coordinator"]) as client:
            windows = [SAME_PLAN_WEEK, SAME_WEEK, (OVERLAP_WEEK[0], LATER_WEEK[1])]
            for earliest, latest in windows:
                for part in range(3):
                    body = checklist_body(
                        title=f"排期竞争 {earliest} {part}", earliest=earliest, latest=latest
                    )
                    answer = client.post(
                        "/api/v1/checklists", json=body, headers={"Authorization": f"Bearer {head}"}
                    )
                    assert answer.status_code == 201, answer.text
            problems: dict[str, list[str]] = {"same plan": [], "same week": [], "overlapping": []}
            for attempt in range(PUBLISH_ROUNDS):
                # started after the round before published: none is stale when it starts
                # one at a time: a plan over days another active plan covers is refused (409)
                plan = _finished_plan(client, SAME_PLAN_WEEK)
                both = [_finished_plan(client, SAME_WEEK), _finished_plan(client, SAME_WEEK)]
                apart = [_finished_plan(client, OVERLAP_WEEK), _finished_plan(client, LATER_WEEK)]
                if attempt == 0:  # rounds to store: racing publications write the same visits
                    for solved in (plan, *both, *apart):
                        rounds = client.get(f"/api/v1/plans/{solved}/rounds").json()
                        assert rounds, f"plan {solved} has no rounds"
                problems["same plan"].append(_publish_race(server, database, client, [plan, plan]))
                problems["same week"].append(_publish_race(server, database, client, both))
                problems["overlapping"].append(_publish_race(server, database, client, apart))
        _chain_intact(server, database)
        backend = database.url.split(":")[0]
        print(
            f"\n[{backend}] publication races with one 200 + one 409 naming the winner: "
            + ", ".join(
                f"{name} {found.count('')} of {PUBLISH_ROUNDS}" for name, found in problems.items()
            )
        )
        assert all(not p for found in problems.values() for p in found), problems
    finally:
        server.kill()
