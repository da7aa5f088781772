"""Helpers shared by the service benchmarks: databases, a server process, the machine.

Not a benchmark itself. The service benchmarks (`api_throughput.py`,
`stats_scale.py`, `plan_overhead.py`) start the real server as a separate
process (`inspection serve`) on a fresh database, SQLite in a temporary folder
or the PostgreSQL database `bench` (dropped and created again each time).
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, create_engine, text

__all__ = [
    "PG_ADMIN_URL",
    "PG_BENCH_URL",
    "Database",
    "copy_rows",
    "cpu_seconds",
    "fresh_database",
    "issue_keys",
    "machine",
    "median",
    "server",
]

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_BENCH_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench"
_BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Database:
    """A fresh database: its URL and the environment that points the server at it."""

    backend: str
    url: str
    env: dict[str, str]
    folder: Path


def fresh_database(backend: str, folder: Path, pg_name: str = "bench") -> Database:
    """An empty database (no tables yet): a SQLite file under `folder`, or the PostgreSQL
    database `pg_name` dropped and created again."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTION_")}
    env["INSPECTION_DATA_DIR"] = str(folder)
    if backend == "sqlite":
        url = f"sqlite:///{(folder / 'inspection.db').resolve()}"
    elif backend == "postgresql":
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{pg_name}"'))
        admin.dispose()
        url = env["INSPECTION_DATABASE_URL"] = PG_BENCH_URL.rsplit("/", 1)[0] + f"/{pg_name}"
    else:
        raise ValueError(f"unknown backend {backend!r}")
    return Database(backend=backend, url=url, env=env, folder=folder)


KEYS: dict[str, str] = {}
"""API keys issued by :func:`server` for the database it serves, by role."""


def issue_keys(database: Database) -> None:
    """Upgrade the database and issue an admin, a coordinator and an auditor key."""
    from sqlmodel import Session

    from inspection.db.engine import make_engine, upgrade
    from inspection.services.access import Actor, Role
    from inspection.services.trust.keys import create_key

    engine = make_engine(database.url)
    upgrade(engine)
    with Session(engine) as session:
        for role in (Role.ADMIN, Role.COORDINATOR, Role.AUDITOR):
            KEYS[role] = create_key(session, Actor("bench", Role.ADMIN), role, name="bench").key
    engine.dispose()


def _authorize(request: httpx.Request) -> None:
    """Send the key of the role the request needs (admin for reference data)."""
    if "authorization" in request.headers:
        return
    path = request.url.path
    reference = path.startswith(("/api/v1/units", "/api/v1/enterprises"))
    role = "admin" if request.method == "POST" and reference else "coordinator"
    request.headers["Authorization"] = f"Bearer {KEYS[role]}"


def bench_client(base: str, timeout: float) -> httpx.Client:
    """An HTTP client that authenticates as :func:`_authorize` chooses."""
    return httpx.Client(base_url=base, timeout=timeout, event_hooks={"request": [_authorize]})


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def server(
    database: Database, log_name: str = "server.log", processes: int = 1
) -> Iterator[tuple[str, int]]:
    """Run `inspection serve` on `database`; yields (base URL, server pid).

    The database is upgraded and keys are issued (:data:`KEYS`) before the server
    starts. Its output (uvicorn's access log included, as in production) goes to a
    file in the database's folder. `processes` > 1: `--processes N` (the pid is
    uvicorn's supervisor; :func:`cpu_seconds` counts its children too).
    """
    issue_keys(database)
    port = _free_port()
    log = (database.folder / log_name).open("wb")
    extra = ["--processes", str(processes)] if processes > 1 else []
    process = subprocess.Popen(
        [str(_BIN / "inspection"), "serve", "--port", str(port), *extra],
        env=database.env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited with {process.returncode}; see {log.name}")
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not answer within 120 s")
            time.sleep(0.2)
        yield base, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time so far of a process and its live descendants (Linux /proc):
    with `--processes N` the server is uvicorn's supervisor and N children."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        child = int(stat.parent.name)
        parents[child] = int(fields[1])
        ticks[child] = int(fields[11]) + int(fields[12])
    tree, grown = {pid}, True
    while grown:
        more = {c for c, p in parents.items() if p in tree} - tree
        tree |= more
        grown = bool(more)
    return sum(ticks.get(p, 0) for p in tree) / os.sysconf("SC_CLK_TCK")


def machine() -> str:
    """One line: cores, CPU model, memory."""
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kb = int(line.split()[1])
    return f"{os.cpu_count()} cores ({model}), {memory_kb / 1024 / 1024:.0f} GB RAM"


def median(values: Sequence[float]) -> float:
    """The median (0 for no values)."""
    return statistics.median(values) if values else 0.0


def copy_rows(
    engine: Engine, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Load rows into a PostgreSQL table with COPY, in a transaction of its own."""
    raw = engine.raw_connection()
    try:
        connection: Any = raw.driver_connection
        with connection.cursor() as cursor:
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        raw.commit()
    finally:
        raw.close()
