"""How long a large checklist import takes, and whether other requests are answered meanwhile.

    .venv/bin/python bench/import_speed.py [--checklists 2000] [--runs 3] [--backends ...]

A file of N checklists of 5 rows each (5 items, one target per row, over the
sample district's units and enterprises; 2,000 checklists = 10,000 rows) is
imported through the service into a fresh database (median of the runs:
reading and parsing the file, then the whole import), then once more (every
checklist unchanged). Then the real server imports it over HTTP while a second
client asks `/api/v1/health` every 50 ms: the slowest and median answers tell
whether the import holds the event loop.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from sqlmodel import Session

from inspection.db.engine import make_engine, upgrade
from inspection.services.access import Actor, Role
from inspection.services.spreadsheets.checklists import parse_checklists
from inspection.services.spreadsheets.imports import (
    import_checklists,
    import_enterprises,
    import_units,
)
from inspection.services.spreadsheets.io import read_table
from inspection.settings import Settings
from service_common import KEYS, fresh_database, machine, median, server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' sample builders
from tests.support.sheets import many_checklists

__all__ = ["main", "service_times", "stall"]

SAMPLES = Path(__file__).resolve().parents[1] / "sample_checklists"
ACTOR = Actor("bench", Role.COORDINATOR)
LIMIT = Settings().max_upload_bytes
ROWS_PER_CHECKLIST = 5  # as many_checklists writes them


def _reference(session: Session) -> None:
    for name, load in (("units.csv", import_units), ("enterprises.csv", import_enterprises)):
        load(session, Actor("bench", Role.ADMIN), (SAMPLES / name).read_bytes(), name, LIMIT)


def service_times(backend: str, data: bytes, runs: int) -> dict[str, float]:
    """Median seconds: parsing, the first import, and the same file again."""
    parse, first, again = [], [], []
    for run in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            database = fresh_database(backend, Path(folder), pg_name="bench_import")
            engine = make_engine(database.url)
            upgrade(engine)
            with Session(engine) as session:
                _reference(session)
                began = time.perf_counter()
                parse_checklists(read_table(data, "bench.csv", LIMIT))
                parse.append(time.perf_counter() - began)
                began = time.perf_counter()
                done = import_checklists(session, ACTOR, data, "bench.csv", LIMIT)
                first.append(time.perf_counter() - began)
                began = time.perf_counter()
                repeated = import_checklists(session, ACTOR, data, "bench.csv", LIMIT)
                again.append(time.perf_counter() - began)
                assert len(done.created) == len(repeated.unchanged), run
            engine.dispose()
    return {"parse": median(parse), "import": median(first), "again": median(again)}


def stall(backend: str, data: bytes) -> dict[str, float]:
    """The import over HTTP, and /health's answers meanwhile (seconds)."""
    with tempfile.TemporaryDirectory() as folder:
        database = fresh_database(backend, Path(folder), pg_name="bench_import")
        with server(database) as (base, _pid):
            admin = {"Authorization": f"Bearer {KEYS[Role.ADMIN]}"}
            with httpx.Client(base_url=base, timeout=600, headers=admin) as client:
                for name in ("units.csv", "enterprises.csv"):
                    path = "units" if name == "units.csv" else "enterprises"
                    content = (SAMPLES / name).read_bytes()
                    client.post(f"/api/v1/{path}/import", files={"file": (name, content)})
            latencies: list[float] = []
            done = threading.Event()

            def poll() -> None:
                with httpx.Client(base_url=base, timeout=600) as health:
                    while not done.is_set():
                        began = time.perf_counter()
                        health.get("/api/v1/health").raise_for_status()
                        latencies.append(time.perf_counter() - began)
                        time.sleep(0.05)

            poller = threading.Thread(target=poll)
            poller.start()
            time.sleep(0.5)
            coordinator = {"Authorization": f"Bearer {KEYS[Role.COORDINATOR]}"}
            began = time.perf_counter()
            with httpx.Client(base_url=base, timeout=600, headers=coordinator) as client:
                answer = client.post(
                    "/api/v1/checklists/import", files={"file": ("bench.csv", data, "text/csv")}
                )
            took = time.perf_counter() - began
            done.set()
            poller.join()
            assert answer.status_code == 201, answer.text
    return {
        "import": took,
        "health_max": max(latencies),
        "health_median": statistics.median(latencies),
        "health_answers": len(latencies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--checklists", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    args = parser.parse_args()
    data = many_checklists(args.checklists)
    print(machine())
    print(
        f"{args.checklists} checklists, {args.checklists * ROWS_PER_CHECKLIST} rows, "
        f"{len(data) / 1000:.0f} KB"
    )
    for backend in args.backends:
        times = service_times(backend, data, args.runs)
        print(
            f"{backend:10} service: parse {times['parse']:.2f} s, import {times['import']:.2f} s, "
            f"same file again {times['again']:.2f} s (medians of {args.runs})"
        )
        answers = stall(backend, data)
        print(
            f"{backend:10} HTTP: import {answers['import']:.2f} s; /health meanwhile: "
            f"{answers['health_answers']:.0f} answers, "
            f"median {answers['health_median'] * 1000:.0f} ms, "
            f"slowest {answers['health_max'] * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
