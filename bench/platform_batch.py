"""Benchmark: a batch of district-week plans solved by one worker, then by two.

Run by hand (not part of the tests), on this machine's PostgreSQL::

    .venv/bin/python bench/platform_batch.py --plans 20 --time-limit 5 --repeats 3

One fresh PostgreSQL database (`bench_platform`), the real server (`inspection serve`,
plans to the job queue) and `--plans` districts, each a region of its own holding
`generate("S", seed)` (seed = the district's number; its units' ids prefixed by the
district's code) stored over HTTP as `bench/plan_overhead.py` stores it. Then, for each
worker count and repeat: one plan per district over its week is queued (`POST /plans`
with the region), `--workers` `inspection worker` processes are started (one CP-SAT
thread per solve, concurrency 1), and the batch's wall time runs from the workers' start
to the last plan ended. The workers are stopped before the next run; a finished plan
does not block a new one over the same days, so the same database serves every run.

The goal (issue 15): two workers finish the batch at least 1.7 times as fast as one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from plan_overhead import store
from service_common import Database, bench_client, fresh_database, machine, server

__all__ = ["main"]

_BIN = Path(sys.executable).parent  # the venv's `inspection`


def _prefixed(problem: Any, code: str) -> Any:
    """The problem with its unit ids made unique to the district (units are per region)."""
    units = [u.model_copy(update={"id": f"{code}-{u.id}"}) for u in problem.units]
    requests = [r.model_copy(update={"unit": f"{code}-{r.unit}"}) for r in problem.requests]
    return problem.model_copy(update={"units": units, "requests": requests, "officers": []})


def _store_district(client: httpx.Client, admin: dict[str, str], number: int) -> tuple[str, Any]:
    from inspection.generator import generate

    code = f"4418{number:02d}"
    body = {"code": code, "name": f"第{number}区", "level": "district"}
    client.post("/api/v1/regions", json=body, headers=admin).raise_for_status()
    problem = _prefixed(generate("S", number), code)
    store(client, problem, region=code)
    return code, problem


def _workers(database: Database, count: int) -> list[subprocess.Popen[bytes]]:
    env = {**database.env, "INSPECTION_JOBS": "queue"}
    return [
        subprocess.Popen(
            [str(_BIN / "inspection"), "worker"],
            env=env,
            stdout=(database.folder / f"worker-{n}.log").open("ab"),
            stderr=subprocess.STDOUT,
        )
        for n in range(count)
    ]


def _stop(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def run_batch(
    client: httpx.Client,
    database: Database,
    districts: list[tuple[str, Any]],
    workers: int,
    time_limit_s: float,
) -> dict[str, Any]:
    """Queue one plan per district, start `workers` workers, wait for the last to end."""
    ids = []
    for code, problem in districts:
        body = {
            "start": problem.horizon.start.isoformat(),
            "end": problem.horizon.end.isoformat(),
            "time_limit_s": time_limit_s,
            "region": code,
        }
        answer = client.post("/api/v1/plans", json=body)
        answer.raise_for_status()
        ids.append(answer.json()["id"])
    engine = create_engine(database.url)
    query = text("SELECT status, statistics FROM plans WHERE id = ANY(:ids)")
    began = time.monotonic()
    running = _workers(database, workers)
    try:
        while True:
            with engine.connect() as connection:
                rows = connection.execute(query, {"ids": ids}).all()
            if all(status not in ("queued", "running", "storing") for status, _ in rows):
                break
            if any(w.poll() is not None for w in running):
                raise RuntimeError("a worker exited; see its log in " + str(database.folder))
            time.sleep(0.2)
        wall = time.monotonic() - began
    finally:
        _stop(running)
        engine.dispose()
    statuses = sorted({status for status, _ in rows})
    if statuses != ["finished"]:
        raise RuntimeError(f"plans ended {statuses}")
    priority = sum(float(stats["scheduled_priority"]) for _, stats in rows)
    return {"workers": workers, "wall_s": wall, "priority": priority}


def main() -> None:
    """Parse the arguments, load the districts once, run every batch."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--plans", type=int, default=20)
    parser.add_argument("--time-limit", type=float, default=5.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    print(f"postgresql: {machine()}; load average {os.getloadavg()}")
    folder = Path(tempfile.mkdtemp(prefix="bench-platform-"))
    try:
        database = fresh_database("postgresql", folder, pg_name="bench_platform")
        database.env["INSPECTION_JOBS"] = "queue"
        with server(database) as (base, _pid), bench_client(base, 120) as client:
            from service_common import KEYS

            admin = {"Authorization": f"Bearer {KEYS['admin']}"}
            loading = time.monotonic()
            districts = [_store_district(client, admin, n + 1) for n in range(args.plans)]
            requests = sum(len(p.requests) for _, p in districts)
            print(
                f"{args.plans} districts, {requests} requests, loaded in "
                f"{time.monotonic() - loading:.0f} s"
            )
            print("| repeat | workers | wall s | priority | load average |")
            print("|---|---|---|---|---|")
            walls: dict[int, list[float]] = {w: [] for w in args.workers}
            for repeat in range(args.repeats):
                for count in args.workers:
                    result = run_batch(client, database, districts, count, args.time_limit)
                    walls[count].append(result["wall_s"])
                    print(
                        f"| {repeat + 1} | {count} | {result['wall_s']:.1f} | "
                        f"{result['priority']:.0f} | {os.getloadavg()[0]:.1f} |",
                        flush=True,
                    )
        medians = {w: statistics.median(v) for w, v in walls.items()}
        for count, wall in medians.items():
            print(f"median wall, {count} worker(s): {wall:.1f} s")
        if 1 in medians:
            for count, wall in medians.items():
                if count != 1:
                    print(f"speed-up of {count} workers over 1: {medians[1] / wall:.2f}x")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
