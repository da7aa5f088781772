"""The real server for crash tests: `inspection serve` as a process of its own, on a database of
its own, with keys issued through the CLI, killed with SIGKILL when the test says so."""

from __future__ import annotations

import contextlib
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import DBAPIError

from inspection.generator.codes import CodeBook
from tests.support.data import checklist_body

__all__ = [
    "BIN",
    "LiveDatabase",
    "LiveServer",
    "add_solver_load",
    "api_client",
    "drop_postgres_database",
    "free_port",
    "issue_head_key",
    "issue_keys",
    "own_postgres_database",
]

BIN = Path(sys.executable).parent
"""Where the virtualenv's `inspection` command is."""
_KEY_LINE = re.compile(r"^key \d+ \((\w+), [^)]*\): (\S+)$", re.MULTILINE)
_START_TIMEOUT_S = 120.0


@dataclass
class LiveDatabase:
    """A fresh database and the environment that points the CLI and the server at it."""

    url: str
    env: dict[str, str]
    folder: Path
    keys: dict[str, str] = field(default_factory=dict)


def own_postgres_database(shared_url: str) -> tuple[str, bool]:
    """A database of this test's own beside the configured one, created afresh: (URL, created).

    Other test runs may use the configured database at the same time and wipe its
    schema under this test's server; a sibling database keeps them apart. When the
    login may not create databases, the configured one is used, its schema wiped.
    """
    shared = make_url(shared_url)
    own = shared.set(database=f"{shared.database}_crash_safety")
    admin = create_engine(shared, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{own.database}"'))
    except DBAPIError:
        return shared_url, False
    finally:
        admin.dispose()
    return own.render_as_string(hide_password=False), True


def drop_postgres_database(shared_url: str, url: str) -> None:
    admin = create_engine(shared_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        name = make_url(url).database
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def issue_keys(database: LiveDatabase) -> None:
    """`inspection keys create` for a coordinator and an admin, keys parsed from its output."""
    for role in ("coordinator", "admin"):
        done = subprocess.run(
            [str(BIN / "inspection"), "keys", "create", "--role", role, "--name", "crash"],
            env=database.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        found = _KEY_LINE.search(done.stdout)
        assert found is not None, done.stdout
        assert found.group(1) == role, done.stdout
        database.keys[role] = found.group(2)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class LiveServer:
    """`inspection serve` in its own process group; `kill()` is SIGKILL to the whole group."""

    def __init__(
        self,
        database: LiveDatabase,
        log_name: str,
        env: dict[str, str] | None = None,
        args: tuple[str, ...] = (),
    ) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = database.folder / log_name
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [str(BIN / "inspection"), "serve", "--port", str(self.port), *args],
            env={**database.env, **(env or {})},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.pgid = self.process.pid  # a session leader's group id is its pid

    def wait_ready(self) -> float:
        """Seconds until GET /api/v1/health answers 200."""
        began = time.monotonic()
        deadline = began + _START_TIMEOUT_S
        while True:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"server exited with {self.process.returncode}: {self.log_path.read_text()}"
                )
            try:
                if httpx.get(f"{self.base}/api/v1/health", timeout=2).status_code == 200:
                    return time.monotonic() - began
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"server did not answer within {_START_TIMEOUT_S:.0f} s")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL the server and every process of its group (plan workers included)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pgid, signal.SIGKILL)
        try:
            self.process.wait(timeout=30)
        finally:
            self._log.close()

    def terminate(self, timeout_s: float = 60.0) -> float:
        """SIGTERM the server alone (as a service manager does); seconds until it exited.

        Raises:
            AssertionError: it was still running after `timeout_s` (then it is killed).
        """
        began = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"the server ignored SIGTERM for {timeout_s:.0f} s") from None
        self._log.close()
        return time.monotonic() - began

    def group_alive(self) -> list[int]:
        """Pids of the group's processes still running (zombies waiting to be reaped are dead)."""
        alive = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == self.pgid and fields[0] != "Z":
                alive.append(int(stat.parent.name))
        return alive

    def wait_group_dead(self, timeout_s: float = 30.0) -> None:
        deadline = time.monotonic() + timeout_s
        while (alive := self.group_alive()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive, f"processes {alive} of the killed server's group survived"


def api_client(server: LiveServer, key: str, timeout: float = 30.0) -> httpx.Client:
    return httpx.Client(
        base_url=server.base, timeout=timeout, headers={"Authorization": f"Bearer {key}"}
    )


def issue_head_key(server: LiveServer, database: LiveDatabase, unit_id: str) -> str:
    """A key of the unit's head (what it submits is approved at once), issued by the admin."""
    with api_client(server, database.keys["admin"]) as admin:
        body = {"role": "unit", "unit_id": unit_id, "unit_head": True, "name": f"{unit_id}负责人"}
        answer = admin.post("/api/v1/keys", json=body)
        assert answer.status_code == 201, answer.text
        key: str = answer.json()["key"]
        return key


def add_solver_load(server: LiveServer, database: LiveDatabase) -> None:
    """Enough units, enterprises and checklists that a solve takes more than an instant."""
    rng = random.Random(7)
    book = CodeBook()
    codes = [book.new(rng, "91", "441802") for _ in range(150)]
    with api_client(server, database.keys["admin"]) as admin:
        for u in range(4):
            unit = {"id": f"U{u}", "name": f"执法单位{u}", "weekday_capacity": [4] * 7}
            answer = admin.post("/api/v1/units", json=unit)
            assert answer.status_code == 201, answer.text
        for n, code in enumerate(codes):
            body = {"credit_code": code, "name": f"企业{n}", "town": "凤城街道"}
            answer = admin.post("/api/v1/enterprises", json=body)
            assert answer.status_code == 201, answer.text
    for u in range(4):
        # submitted by each unit's head: approved at once, so the plans have them to solve
        with api_client(server, issue_head_key(server, database, f"U{u}")) as coordinator:
            for part in range(3):
                body = checklist_body(
                    unit_id=f"U{u}",
                    title=f"负载 U{u} {part}",
                    items=[{"name": f"负载项 {u}-{part}", "legal_basis": "相关法律法规"}],
                    targets=rng.sample(codes, 60),
                )
                answer = coordinator.post("/api/v1/checklists", json=body)
                assert answer.status_code == 201, answer.text
