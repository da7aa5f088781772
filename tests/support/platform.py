"""The platform's processes for tests/platform: `inspection serve` and `inspection worker`,
each a process of its own on one PostgreSQL database, and what the tests read back from it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, create_engine, make_url, text
from sqlmodel import Session, col, select

from inspection.db.engine import make_engine, upgrade
from inspection.db.tables import PlanUnscheduledRow
from inspection.services.planning.models import ACTIVE_STATUSES
from inspection.services.rounds.store import plan_round_ids
from inspection.services.translation import pinned_rounds
from inspection.solver import Solution, Unscheduled
from tests.support.backends import wipe_postgres
from tests.support.live_server import BIN, LiveDatabase, LiveServer, api_client, issue_keys

__all__ = [
    "LiveWorker",
    "Platform",
    "fresh_platform_database",
    "platform",
    "solve_children",
    "stored_solution",
]

# heartbeat 1 s and the stalled-job check every 2 s (croniter reads a sixth field as seconds),
# so that a dead worker's job is retried within about five seconds
PLATFORM_ENV = {
    "INSPECTION_JOBS": "queue",
    "INSPECTION_HEARTBEAT_S": "1",
    "INSPECTION_STALLED_CRON": "* * * * * */2",
    "INSPECTION_SHUTDOWN_GRACE_S": "2",
}


class LiveWorker:
    """`inspection worker` in a session of its own (its solve's child shares its group)."""

    def __init__(self, database: LiveDatabase, log_name: str) -> None:
        self.log_path = database.folder / log_name
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [str(BIN / "inspection"), "worker"],
            env=database.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.pgid = self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the worker alone: its solve's child must notice and exit by itself."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._log.close()

    def stop(self) -> None:
        """SIGKILL the worker's whole group (the end of the tests)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pgid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=30)
        self._log.close()


@dataclass
class Platform:
    """One API server and two workers on a database of their own."""

    database: LiveDatabase
    engine: Engine
    api: LiveServer
    workers: list[LiveWorker] = field(default_factory=list)
    _started: int = 0

    def start_api(self) -> LiveServer:
        self._started += 1
        server = LiveServer(self.database, f"api-{self._started}.log")
        server.wait_ready()
        return server

    def keep_two_workers(self) -> None:
        """Replace dead workers, so that two run."""
        self.workers = [w for w in self.workers if w.alive()]
        while len(self.workers) < 2:
            self._started += 1
            self.workers.append(LiveWorker(self.database, f"worker-{self._started}.log"))

    def client(self, server: LiveServer | None = None) -> httpx.Client:
        return api_client(server or self.api, self.database.keys["coordinator"])

    def start_plan(self, start: str, end: str, time_limit_s: float) -> int:
        with self.client() as coordinator:
            body = {"start": start, "end": end, "time_limit_s": time_limit_s}
            answer = coordinator.post("/api/v1/plans", json=body)
            assert answer.status_code == 202, answer.text
            plan_id: int = answer.json()["id"]
            return plan_id

    def plan(self, plan_id: int) -> dict[str, Any]:
        with self.client() as coordinator:
            answer = coordinator.get(f"/api/v1/plans/{plan_id}")
            assert answer.status_code == 200, answer.text
            body: dict[str, Any] = answer.json()
            return body

    def wait_until(self, plan_id: int, done: Any, limit_s: float = 120) -> dict[str, Any]:
        """Poll the plan's row until `done(row)`; the row (an AssertionError after the limit)."""
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            row = self.row(plan_id)
            if done(row):
                return row
            time.sleep(0.05)
        raise AssertionError(f"plan {plan_id} still {self.row(plan_id)} after {limit_s} s")

    def wait_ended(self, plan_id: int, limit_s: float = 120) -> dict[str, Any]:
        return self.wait_until(plan_id, lambda r: r["status"] not in ACTIVE_STATUSES, limit_s)

    def row(self, plan_id: int) -> dict[str, Any]:
        with self.engine.connect() as connection:
            found = connection.execute(
                text(
                    "SELECT id, status, attempt, job_id, progress, error, started_at, finished_at"
                    " FROM plans WHERE id = :id"
                ),
                {"id": plan_id},
            ).one()
        return dict(found._mapping)

    def audit_count(self, action: str, plan_id: int) -> int:
        with self.engine.connect() as connection:
            count: int = connection.execute(
                text(
                    "SELECT count(*) FROM audit_log WHERE action = :a AND entity = 'plan'"
                    " AND entity_id = :id"
                ),
                {"a": action, "id": str(plan_id)},
            ).scalar_one()
        return count

    def job(self, job_id: int, limit_s: float = 30) -> tuple[str, int]:
        """A job's status once it has ended (the plan's row ends a moment before), and how
        many times it was tried."""
        deadline = time.monotonic() + limit_s
        while True:
            with self.engine.connect() as connection:
                status, attempts = connection.execute(
                    text("SELECT status, attempts FROM procrastinate_jobs WHERE id = :id"),
                    {"id": job_id},
                ).one()
            if status not in ("todo", "doing") or time.monotonic() > deadline:
                return str(status), int(attempts)
            time.sleep(0.05)

    def abort_seen(self) -> list[float]:
        """The moments the workers' solves logged an abort request reaching them."""
        found = []
        for log in self.database.folder.glob("worker-*.log"):
            for line in log.read_text(errors="replace").splitlines():
                if line.startswith("abort seen by the solve at "):
                    found.append(float(line.rsplit(" ", 1)[1]))
        return sorted(found)

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.api.kill()


def fresh_platform_database(shared_url: str, folder: Path) -> LiveDatabase:
    """A sibling database `<name>_platform` of the configured one, created and upgraded afresh
    (other test runs may wipe the configured one under the servers)."""
    own = make_url(shared_url).set(database=f"{make_url(shared_url).database}_platform")
    url = own.render_as_string(hide_password=False)
    admin = create_engine(shared_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{own.database}"'))
    finally:
        admin.dispose()
    engine = make_engine(url)
    wipe_postgres(engine)
    upgrade(engine)
    engine.dispose()
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTION_")}
    env |= {"INSPECTION_DATA_DIR": str(folder), "INSPECTION_DATABASE_URL": url, **PLATFORM_ENV}
    database = LiveDatabase(url=url, env=env, folder=folder)
    issue_keys(database)
    return database


@contextlib.contextmanager
def platform(
    shared_url: str, folder: Path, extra_env: dict[str, str] | None = None
) -> Iterator[Platform]:
    """The API and two workers on a fresh database (their environment with `extra_env`);
    everything killed and dropped after."""
    database = fresh_platform_database(shared_url, folder)
    database.env.update(extra_env or {})
    engine = make_engine(database.url)
    api = LiveServer(database, "api-0.log")
    running = Platform(database=database, engine=engine, api=api)
    try:
        api.wait_ready()
        running.keep_two_workers()
        yield running
    finally:
        running.stop()
        engine.dispose()
        admin = create_engine(shared_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            name = make_url(database.url).database
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def stored_solution(session: Session, plan_id: int) -> Solution:
    """A stored plan's rounds and left-out requests as a solution `solver.check` can read."""
    left_out = session.exec(
        select(PlanUnscheduledRow).where(col(PlanUnscheduledRow.plan_id) == plan_id)
    )
    return Solution(
        rounds=tuple(pinned_rounds(session, plan_round_ids(session, plan_id))),
        unscheduled=tuple(
            Unscheduled(request=str(r.request_id), reason=r.reason, code=r.code) for r in left_out
        ),
    )


def solve_children(pid: int) -> list[int]:
    """The solve processes of worker `pid`: children of the fork server it started (not
    multiprocessing's resource tracker, not the fork server itself)."""
    table: dict[int, tuple[int, str, bytes]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        table[int(entry.name)] = (int(fields[1]), fields[0], command)
    servers = {p for p, (parent, _, cmd) in table.items() if parent == pid and b"forkserver" in cmd}
    return [p for p, (parent, state, _) in table.items() if parent in servers and state != "Z"]
