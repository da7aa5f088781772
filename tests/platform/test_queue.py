"""Plans solved by `inspection worker` processes through the job queue, the API a process of
its own: every plan ends once, a dead worker's plan is solved again by the other, an abort
reaches the solve within a second, an API restart leaves running plans alone, a publication
happens once (docs/province-platform.md §10)."""

from __future__ import annotations

import concurrent.futures
import os
import signal
import time
from datetime import date, timedelta

from sqlmodel import Session

from inspection.services.planning.models import PlanStatus
from inspection.services.translation import problem_for_horizon
from inspection.solver import check
from inspection.solver.calendar import is_statutory_working_day
from tests.support.data import checklist_body
from tests.support.live_server import LiveServer, api_client, issue_head_key
from tests.support.platform import Platform, solve_children, stored_solution

LOAD_WEEK = ("2024-06-03", "2024-06-07")  # add_solver_load's checklists' window
_SMALL_PLANS = 20


def _small_days(live: Platform) -> list[date]:
    """Twenty working days of July 2024, each with a small problem of its own."""
    with api_client(live.api, live.database.keys["admin"]) as admin:
        unit = {"id": "P0", "name": "小批量单位", "weekday_capacity": [2] * 7}
        assert admin.post("/api/v1/units", json=unit).status_code == 201
    targets = ["92441802MAM4JPET9M", "91441802469544064E"]
    with api_client(live.api, live.database.keys["admin"]) as admin:
        for n, code in enumerate(targets):
            body = {"credit_code": code, "name": f"小批量企业{n}", "town": "凤城街道"}
            answer = admin.post("/api/v1/enterprises", json=body)
            assert answer.status_code in (201, 409), answer.text
    with api_client(live.api, issue_head_key(live.api, live.database, "P0")) as head:
        body = checklist_body(
            unit_id="P0", targets=targets, earliest="2024-07-01", latest="2024-07-31"
        )
        assert head.post("/api/v1/checklists", json=body).status_code == 201
    days = [date(2024, 7, 1) + timedelta(days=n) for n in range(31)]
    return [d for d in days if is_statutory_working_day(d)][:_SMALL_PLANS]


def test_twenty_plans_each_end_once_through_two_workers(live: Platform) -> None:
    days = _small_days(live)
    assert len(days) == _SMALL_PLANS
    began = time.monotonic()
    ids = [live.start_plan(str(d), str(d), time_limit_s=1) for d in days]
    for plan_id in ids:
        assert live.wait_ended(plan_id)["status"] == PlanStatus.FINISHED
    print(f"{_SMALL_PLANS} plans in {time.monotonic() - began:.1f} s")
    for plan_id in ids:
        row = live.row(plan_id)
        assert live.audit_count("plan.finish", plan_id) == 1, plan_id
        assert live.audit_count("plan.fail", plan_id) == 0, plan_id
        assert row["attempt"] == 1
        assert live.job(row["job_id"]) == ("succeeded", 1)

    # two API processes publish the same plan at once: one publication
    second = live.start_api()
    try:
        chosen = ids[0]

        def publish(server: LiveServer) -> int:
            with live.client(server) as coordinator:
                return coordinator.post(f"/api/v1/plans/{chosen}/publish").status_code

        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            answers = sorted(pool.map(publish, [live.api, second]))
        assert answers == [200, 409]
        assert live.audit_count("plan.publish", chosen) == 1
    finally:
        second.kill()


def test_an_abort_reaches_the_running_solve_within_a_second(live: Platform) -> None:
    plan_id = live.start_plan(*LOAD_WEEK, time_limit_s=60)
    live.wait_until(plan_id, lambda r: r["status"] == "running" and r["progress"] is not None)
    asked = time.time()
    with live.client() as coordinator:
        assert coordinator.post(f"/api/v1/plans/{plan_id}/stop").status_code == 200
    row = live.wait_ended(plan_id, limit_s=30)
    assert row["status"] == PlanStatus.STOPPED, row
    seen = live.abort_seen()  # the solve's child logs the moment the abort reached it
    assert len(seen) == 1, seen
    stored = row["finished_at"].timestamp() - asked
    print(f"abort seen {seen[0] - asked:.3f} s, plan stored {stored:.3f} s after the request")
    assert seen[0] - asked < 1.0
    assert live.audit_count("plan.finish", plan_id) == 1
    assert live.plan(plan_id)["statistics"]["rounds"] > 0


def test_an_api_restart_leaves_a_running_plan_to_its_worker(live: Platform) -> None:
    plan_id = live.start_plan(*LOAD_WEEK, time_limit_s=6)
    live.wait_until(plan_id, lambda r: r["status"] == "running")
    live.api.kill()
    live.api = live.start_api()
    row = live.wait_ended(plan_id, limit_s=60)
    assert row["status"] == PlanStatus.FINISHED, row
    assert (row["attempt"], live.audit_count("plan.fail", plan_id)) == (1, 0)


def test_a_killed_workers_plan_is_solved_again_by_the_other_once(live: Platform) -> None:
    live.keep_two_workers()
    plan_id = live.start_plan(*LOAD_WEEK, time_limit_s=8)
    live.wait_until(plan_id, lambda r: r["status"] == "running" and r["progress"] is not None)
    job_id = live.row(plan_id)["job_id"]
    worker_id = _job_worker_pid(live, job_id)
    victim = next(w for w in live.workers if w.process.pid == worker_id)
    children = solve_children(victim.process.pid)
    assert children, "the job's solve runs in a child of the worker"
    victim.kill()
    killed = time.monotonic()
    _wait_gone(children)  # the child noticed its parent's death (exit_with_parent)
    live.wait_until(plan_id, lambda r: r["attempt"] == 2, limit_s=60)
    print(f"claimed again {time.monotonic() - killed:.1f} s after the kill")
    row = live.wait_ended(plan_id, limit_s=90)
    print(f"ended {time.monotonic() - killed:.1f} s after the kill")
    assert row["status"] == PlanStatus.FINISHED, row
    assert row["attempt"] == 2
    assert live.audit_count("plan.finish", plan_id) == 1
    assert live.audit_count("plan.fail", plan_id) == 0
    status, attempts = live.job(job_id)
    assert (status, attempts) == ("succeeded", 2)
    with Session(live.engine) as session:
        start, end = (date.fromisoformat(d) for d in LOAD_WEEK)
        problem = problem_for_horizon(session, start, end)
        solution = stored_solution(session, plan_id)
    assert solution.rounds
    assert check(problem, solution).ok, check(problem, solution)


def _job_worker_pid(live: Platform, job_id: int) -> int:
    """Which of the two worker processes runs the job: the one with a solving child."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for worker in live.workers:
            if solve_children(worker.process.pid):
                return worker.process.pid
        time.sleep(0.05)
    raise AssertionError(f"no worker has a child for job {job_id}")


def _wait_gone(pids: list[int], limit_s: float = 10) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        alive = []
        for pid in pids:
            try:
                os.kill(pid, 0)
                alive.append(pid)
            except ProcessLookupError:
                pass
        if not alive:
            return
        time.sleep(0.05)
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    raise AssertionError(f"solve processes {pids} outlived their worker")
