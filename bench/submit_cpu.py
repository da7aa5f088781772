"""Benchmark: the CPU a checklist submission costs the server and PostgreSQL, and where
PostgreSQL's connections wait.

Run by hand (not part of the tests)::

    .venv/bin/python bench/submit_cpu.py --processes 2
    PYTHONPATH=<other tree>/src .venv/bin/python bench/submit_cpu.py --processes 2

Starts `inspection serve` on a fresh PostgreSQL database with `api_throughput.py`'s units,
enterprises and bodies, warms up, then loads `GET /api/v1/health` and `POST
/api/v1/checklists` with `wrk` (16 connections, `--duration` s each) and reads from `/proc`
the CPU time of the server's processes and of every PostgreSQL process over each run: per
request, these are steadier than throughput on a shared machine, whose health figure swings
most. During the submit run it samples `pg_stat_activity` every 50 ms and prints the mean
number of connections in each state and wait (the statement they are at, for those in a
transaction).
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from api_throughput import _script, _seed, _wrk
from service_common import cpu_seconds, fresh_database, machine, server

__all__ = ["main"]

_ACTIVITY = text(
    "SELECT state, wait_event_type, wait_event, left(query, 40) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
    "AND backend_type = 'client backend'"
)


def postgres_cpu_seconds() -> float:
    """User plus system CPU time so far of every PostgreSQL process (Linux /proc)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            raw = stat.read_text()
        except OSError:  # the process ended meanwhile
            continue
        if raw[raw.index("(") + 1 : raw.rindex(")")].startswith("postgres"):
            fields = raw.rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def run(processes: int, duration: float, clients: int, pg_database: str) -> None:
    """Serve, load, print the CPU per request of both endpoints and the waits."""
    folder = Path(tempfile.mkdtemp(prefix="bench-submit-cpu-"))
    database = fresh_database("postgresql", folder, pg_database)
    with server(database, processes=processes) as (base, pid):
        bodies = _seed(base, 400, random.Random(1))
        submit, health = _script(folder, "submit", bodies), _script(folder, "health", None)
        _wrk(base, submit, 5, clients, pid)
        engine = create_engine(database.url)
        waits: collections.Counter[tuple[object, ...]] = collections.Counter()
        samples, done = [0], threading.Event()

        def sample() -> None:
            with engine.connect() as connection:
                while not done.is_set():
                    for state, kind, event, query in connection.execute(_ACTIVITY):
                        waits[state, kind, event, query if state != "idle" else ""] += 1
                    samples[0] += 1
                    connection.commit()
                    time.sleep(0.05)

        print(f"{machine()}; {processes} API process(es); load average {os.getloadavg()[0]:.2f}")
        print(
            "| endpoint | req/s | server cores | PostgreSQL cores | server CPU ms / request "
            "| PostgreSQL CPU ms / request |"
        )
        print("|---|---|---|---|---|---|")
        for name, script in (("health", health), ("submit", submit)):
            pg_before, server_before, began = (
                postgres_cpu_seconds(),
                cpu_seconds(pid),
                time.monotonic(),
            )
            sampler = threading.Thread(target=sample)
            if name == "submit":
                sampler.start()
            result = _wrk(base, script, duration, clients, pid)
            elapsed = time.monotonic() - began
            if name == "submit":
                done.set()
                sampler.join()
            server_s = cpu_seconds(pid) - server_before
            pg_s = postgres_cpu_seconds() - pg_before
            count = result["rps"] * elapsed
            print(
                f"| {name} | {result['rps']:.0f} | {server_s / elapsed:.2f} | {pg_s / elapsed:.2f} "
                f"| {server_s / count * 1000:.2f} | {pg_s / count * 1000:.2f} |"
            )
        engine.dispose()
        print("connections during the submit run (mean count: state, wait, statement):")
        for key, count in waits.most_common(12):
            print(f"  {count / max(1, samples[0]):5.2f} {key}")


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--pg-database", default="bench_submit_cpu")
    args = parser.parse_args()
    run(args.processes, args.duration, args.clients, args.pg_database)


if __name__ == "__main__":
    main()
