"""Benchmark: what planning a district week through the API adds to the solver's own time.

Run by hand (not part of the tests)::

    .venv/bin/python bench/plan_overhead.py --backend sqlite --seeds 1 2 3
    .venv/bin/python bench/plan_overhead.py --backend postgresql --seeds 1 2 3

For each seed: a fresh database, the real server (`inspection serve`), and
`generate("S", seed)` stored over HTTP the way `tests/world.py` stores it
(its units, enterprises, and its requests grouped into checklists by unit,
window, priority, items and joinability). Then `POST /api/v1/plans` over the
problem's horizon with a 10 s limit and `GET /api/v1/plans/{id}` every 0.1 s
until it is done: `API s` is the wall time from the POST to the first answer
saying so.

The plan does not store the solver's own wall time, so the bench reads the
same problem back from the database (`problem_for_horizon`, the worker's
call; its SHA-256 must equal the plan's `problem_sha256`) and solves it in
this process with the same options: `solver s` is that solve's
`wall_time_s`, and `overhead s` = `API s` − `solver s`. Both solves reach the
same figures when they are proven optimal, which is checked. The breakdown
comes from the plan's own timestamps: `spawn s` (created → worker started:
a spawned process importing the package and OR-Tools), `worker s` (started →
finished: reading the problem, solving, storing the rounds), and `last
progress s`, the solver's elapsed time in its last progress report (written
at most every 0.5 s).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from inspection.services.access import Role
from service_common import KEYS, bench_client, fresh_database, machine, server

__all__ = ["main"]

TIME_LIMIT_S = 10.0
COLUMNS = (
    *("backend", "seed", "requests", "checklists", "API_s", "solver_s", "overhead_s"),
    *("spawn_s", "worker_s", "last_progress_s", "same_figures"),
)


def store(client: httpx.Client, problem: Any, region: str | None = None) -> int:
    """Post the problem's units, enterprises and checklists (as tests/world.py groups them).

    `region`: the code of the region its units and enterprises belong to (default: the first).
    """
    where = {"region": region} if region is not None else {}
    for unit in problem.units:
        body = {"id": unit.id, "name": unit.name, "weekday_capacity": [unit.daily_capacity] * 7}
        client.post("/api/v1/units", json={**body, **where}).raise_for_status()
    for enterprise in problem.enterprises:
        body = {
            **where,
            "credit_code": enterprise.id,
            "name": enterprise.name,
            "town": enterprise.town or "凤城街道",
            "blackout_days": [d.isoformat() for d in enterprise.blackout_days],
        }
        client.post("/api/v1/enterprises", json=body).raise_for_status()
    groups: dict[tuple[str, date, date, int, tuple[str, ...], bool], list[str]] = defaultdict(list)
    for r in problem.requests:
        key = (r.unit, r.earliest, r.latest, r.priority, r.items or ("日常检查",), r.joinable)
        groups[key].append(r.enterprise)
    # each unit's head submits its checklists: approved at once, so the plans take them
    heads: dict[str, str] = {}
    admin = {"Authorization": f"Bearer {KEYS[Role.ADMIN]}"}
    for unit_id in sorted({key[0] for key in groups}):
        issued = client.post(
            "/api/v1/keys",
            json={"role": "unit", "unit_id": unit_id, "unit_head": True},
            headers=admin,
        )
        issued.raise_for_status()
        heads[unit_id] = issued.json()["key"]
    for (unit_id, earliest, latest, priority, items, joinable), targets in groups.items():
        body = {
            "unit_id": unit_id,
            "title": f"{items[0]}检查",
            "inspection_type": "routine" if joinable else "complaint",
            "items": [{"name": i, "legal_basis": "相关法律法规"} for i in items],
            "targets": list(dict.fromkeys(targets)),
            "earliest": earliest.isoformat(),
            "latest": latest.isoformat(),
            "priority": priority,
        }
        head = {"Authorization": f"Bearer {heads[unit_id]}"}
        client.post("/api/v1/checklists", json=body, headers=head).raise_for_status()
    return len(groups)


def _plan_row(url: str, plan_id: int) -> dict[str, Any]:
    engine = create_engine(url)
    query = text(
        "SELECT created_at, started_at, finished_at, problem_sha256 FROM plans WHERE id = :id"
    )
    with engine.connect() as connection:
        row = dict(connection.execute(query, {"id": plan_id}).mappings().one())
    engine.dispose()
    for key in ("created_at", "started_at", "finished_at"):
        if isinstance(row[key], str):  # SQLite through a plain engine
            row[key] = datetime.fromisoformat(row[key])
    return row


def _solve_here(url: str, start: date, end: date, plan_id: int) -> tuple[Any, str]:
    """The worker's problem, read back from the database and solved in this process."""
    from sqlmodel import Session

    from inspection.db.engine import make_engine
    from inspection.services.translation import problem_for_horizon
    from inspection.solver import SolveOptions, solve

    engine = make_engine(url)
    with Session(engine) as session:
        problem = problem_for_horizon(session, start, end, name=f"plan-{plan_id}")
    engine.dispose()
    return solve(problem, SolveOptions(time_limit_s=TIME_LIMIT_S)), problem.sha256()


def run_seed(backend: str, seed: int) -> dict[str, Any]:
    """One seed: store, plan over HTTP, re-solve in process; its figures."""
    from inspection.generator import generate

    problem = generate("S", seed)
    start, end = problem.horizon.start, problem.horizon.end
    folder = Path(tempfile.mkdtemp(prefix="bench-plan-"))
    try:
        database = fresh_database(backend, folder)
        with server(database) as (base, _pid), bench_client(base, 60) as client:
            checklists = store(client, problem)
            body = {"start": start.isoformat(), "end": end.isoformat()}
            posted = time.monotonic()
            answer = client.post("/api/v1/plans", json={**body, "time_limit_s": TIME_LIMIT_S})
            answer.raise_for_status()
            plan = answer.json()
            while plan["status"] in ("queued", "running"):
                time.sleep(0.1)
                plan = client.get(f"/api/v1/plans/{plan['id']}").json()
            api_s = time.monotonic() - posted
        if plan["status"] != "finished":
            raise RuntimeError(f"plan ended {plan['status']}: {plan['error']}")
        row = _plan_row(database.url, plan["id"])
        solution, sha = _solve_here(database.url, start, end, plan["id"])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if sha != row["problem_sha256"]:
        raise RuntimeError("the problem read back differs from the worker's")
    stats = solution.statistics
    assert stats is not None
    assert solution.wall_time_s is not None
    same = (plan["statistics"]["scheduled_priority"], plan["statistics"]["rounds"]) == (
        stats.scheduled_priority,
        stats.rounds,
    )
    return {
        "backend": backend,
        "seed": seed,
        "requests": len(problem.requests),
        "checklists": checklists,
        "API_s": api_s,
        "solver_s": solution.wall_time_s,
        "overhead_s": api_s - solution.wall_time_s,
        "spawn_s": (row["started_at"] - row["created_at"]).total_seconds(),
        "worker_s": (row["finished_at"] - row["started_at"]).total_seconds(),
        "last_progress_s": (plan["progress"] or {}).get("elapsed_s", 0.0),
        "same_figures": "yes" if same else "no",
    }


def _cell(value: Any) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def main() -> None:
    """Parse the arguments and run every seed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    args = parser.parse_args()
    print(f"{args.backend}: {machine()}")
    print("| " + " | ".join(c.replace("_", " ") for c in COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    results = []
    for seed in args.seeds:
        results.append(run_seed(args.backend, seed))
        print("| " + " | ".join(_cell(results[-1][c]) for c in COLUMNS) + " |", flush=True)
    medians = {
        c: statistics.median(r[c] for r in results) if isinstance(results[0][c], float) else "-"
        for c in COLUMNS
    }
    medians["backend"], medians["seed"] = args.backend, "median"
    print("| " + " | ".join(_cell(medians[c]) for c in COLUMNS) + " |")


if __name__ == "__main__":
    main()
