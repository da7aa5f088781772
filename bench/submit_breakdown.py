"""Benchmark: where the CPU of a checklist submission goes, layer by layer.

Run by hand (not part of the tests)::

    .venv/bin/python bench/submit_breakdown.py --backend sqlite
    .venv/bin/python bench/submit_breakdown.py --backend postgresql

Serves `create_app()` with uvicorn in this process (a thread; the process
does nothing else) plus four endpoints that stop part-way through a
submission, and loads each with `wrk` (16 connections) like
`api_throughput.py`, alternating, `--repeats` times:

- `health`: `GET /api/v1/health`;
- `body`: `POST` of the same checklist bodies, validated as `ChecklistCreate`
  and answered as `ChecklistPublic` built from them, without a session;
- `body+session`: the same with the request's session (`SessionDep`), unused;
- `body+auth`: the same with the caller's key checked as the real route checks it
  (a coordinator's key: one query, on a worker thread);
- `body+auth+check`: the same after `check_references` (one query more);
- `submit`: `POST /api/v1/checklists`, the real thing.

Prints the medians: requests/s and the server's CPU per request (user +
system), so the difference between two lines is what one layer costs.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from api_throughput import _script, _seed, _wrk
from inspection.api.app import create_app
from inspection.api.deps import SessionDep
from inspection.api.routers.checklists import Writer
from inspection.services.checklists import service as checklists
from inspection.services.checklists.models import ChecklistCreate, ChecklistPublic, ChecklistStatus
from service_common import fresh_database, issue_keys, machine, median

__all__ = ["main"]

LAYERS = {
    "health": "/api/v1/health",
    "body": "/x/body",
    "body+session": "/x/session",
    "body+auth": "/x/auth",
    "body+auth+check": "/x/check",
    "submit": "/api/v1/checklists",
}


def _app() -> FastAPI:  # module-level imports: FastAPI reads the annotations by name
    """The real app plus the endpoints that stop early."""
    app = create_app()

    def public(data: ChecklistCreate) -> ChecklistPublic:
        fields = data.model_dump(include={"unit_id", "title", "inspection_type", "priority"})
        return ChecklistPublic(
            id=1,
            items=list(data.items),
            targets=list(data.targets),
            earliest=data.earliest,
            latest=data.latest,
            status=ChecklistStatus.APPROVED,
            version=1,
            **fields,
        )

    @app.post("/x/body", status_code=201)
    def body(data: ChecklistCreate) -> ChecklistPublic:
        return public(data)

    @app.post("/x/session", status_code=201)
    def with_session(data: ChecklistCreate, session: SessionDep) -> ChecklistPublic:
        return public(data)

    @app.post("/x/auth", status_code=201)
    def with_auth(data: ChecklistCreate, session: SessionDep, actor: Writer) -> ChecklistPublic:
        return public(data)

    @app.post("/x/check", status_code=201)
    def with_check(data: ChecklistCreate, session: SessionDep, actor: Writer) -> ChecklistPublic:
        checklists.check_references(session, data)
        return public(data)

    return app


def run(backend: str, duration: float, clients: int, repeats: int) -> None:
    """Serve, load every layer `repeats` times, print the medians."""
    folder = Path(tempfile.mkdtemp(prefix="bench-layers-"))
    database = fresh_database(backend, folder)
    issue_keys(database)  # the bench's keys (the coordinator's is the one the bodies send)
    os.environ.update(database.env)
    if backend == "sqlite":
        os.environ.pop("INSPECTION_DATABASE_URL", None)
    config = uvicorn.Config(_app(), host="127.0.0.1", port=0, log_level="warning")
    config.access_log = True  # as `inspection serve`
    served = uvicorn.Server(config)
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    while not served.started:
        time.sleep(0.1)
    port = served.servers[0].sockets[0].getsockname()[1]
    base, pid = f"http://127.0.0.1:{port}", os.getpid()
    try:
        bodies = _seed(base, 400, random.Random(1))
        scripts = {}
        for name, path in LAYERS.items():
            script = _script(folder, name.replace("+", "_"), None if name == "health" else bodies)
            script.write_text(script.read_text().replace('"/api/v1/checklists"', f'"{path}"'))
            scripts[name] = script
            _wrk(base, script, 3, clients, pid)  # warm-up
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in LAYERS}
        for _ in range(repeats):
            for name, script in scripts.items():
                runs[name].append(_wrk(base, script, duration, clients, pid))
        print(f"{backend}: {machine()}")
        print("| backend | layer | req/s | server CPU ms/request | p50 ms | p99 ms | not 2xx |")
        print("|---|---|---|---|---|---|---|")
        for name, results in runs.items():
            rps = median([r["rps"] for r in results])
            cpu_ms = median([r["cpu"] / r["rps"] * 1000 for r in results])
            p50, p99 = median([r["p50"] for r in results]), median([r["p99"] for r in results])
            bad = sum(r["bad"] + r["errors"] for r in results)
            row = f"{rps:.0f} | {cpu_ms:.2f} | {p50:.1f} | {p99:.1f} | {bad:.0f}"
            print(f"| {backend} | {name} | {row} |")
    finally:
        served.should_exit = True
        thread.join(30)
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per run")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    run(args.backend, args.duration, args.clients, args.repeats)


if __name__ == "__main__":
    main()
