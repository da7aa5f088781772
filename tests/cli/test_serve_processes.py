"""`inspection serve --processes N`: N uvicorn worker processes over the app factory on
PostgreSQL; refused (one line, exit 2) on SQLite and while plans would be solved inside the
API processes; each process ends its event streams when asked to stop."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import create_engine, make_url, text
from typer.testing import CliRunner

from inspection.cli import app
from inspection.cli.service import _StoppingServer
from tests.support.backends import postgres_url
from tests.support.live_server import LiveDatabase, LiveServer, issue_keys

runner = CliRunner()
_PG = "postgresql+psycopg://nobody@127.0.0.1:1/never"  # refused before any connection


def _one_line_refusal(result_output: str, exit_code: int) -> str:
    assert exit_code == 2, result_output
    lines = [line for line in result_output.splitlines() if line.strip()]
    assert len(lines) == 1, result_output
    assert "Traceback" not in result_output
    return lines[0]


def test_several_processes_on_sqlite_are_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSPECTION_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("INSPECTION_DATABASE_URL", raising=False)
    result = runner.invoke(app, ["serve", "--processes", "2", "--dev"])
    line = _one_line_refusal(result.output, result.exit_code)
    assert "--processes" in line
    assert "PostgreSQL" in line
    assert not (tmp_path / "inspection.db").exists()  # refused before any database


def test_several_processes_solving_plans_in_process_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSPECTION_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("INSPECTION_DATABASE_URL", _PG)
    monkeypatch.setenv("INSPECTION_JOBS", "in-process")
    result = runner.invoke(app, ["serve", "--processes", "2"])
    line = _one_line_refusal(result.output, result.exit_code)
    assert "inspection worker" in line
    assert "INSPECTION_JOBS" in line


def test_zero_processes_is_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSPECTION_DATA_DIR", str(tmp_path))
    result = runner.invoke(app, ["serve", "--processes", "0"])
    assert result.exit_code == 2, result.output
    assert "--processes" in result.output


def test_the_stopping_server_ends_the_streams_of_the_app_under_uvicorn_s_wrappers(
    tmp_path: Path,
) -> None:
    # as in each of N processes: the app comes from the factory and uvicorn wraps it
    os.environ.setdefault("INSPECTION_DATA_DIR", str(tmp_path))
    config = uvicorn.Config("inspection.api.app:create_app", factory=True, proxy_headers=True)
    config.load()
    server = _StoppingServer(config)
    found = config.loaded_app
    while not hasattr(getattr(found, "state", None), "streams"):
        found = found.app
    assert found is not config.loaded_app  # it was wrapped
    assert not found.state.streams.stopping.is_set()
    server.handle_exit(signal.SIGTERM, None)
    assert found.state.streams.stopping.is_set()
    assert server.should_exit


if postgres_url():

    @pytest.fixture
    def own_database(tmp_path: Path) -> Iterator[LiveDatabase]:
        """An empty PostgreSQL database of this test's own and the CLI's environment for it."""
        shared = postgres_url()
        assert shared is not None
        own = make_url(shared).set(database=f"{make_url(shared).database}_serve_processes")
        admin = create_engine(shared, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{own.database}"'))
        url = own.render_as_string(hide_password=False)
        env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTION_")}
        env.update(INSPECTION_DATA_DIR=str(tmp_path), INSPECTION_DATABASE_URL=url)
        yield LiveDatabase(url=url, env=env, folder=tmp_path)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)'))
        admin.dispose()

    def _server_children(pid: int) -> list[int]:
        """The worker processes uvicorn's supervisor `pid` spawned (not its resource tracker)."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                command = (stat.parent / "cmdline").read_bytes()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z" and b"spawn_main" in command:
                found.append(int(stat.parent.name))
        return found

    @pytest.mark.slow
    def test_two_processes_serve_one_port_on_postgresql_and_stop_on_sigterm(
        own_database: LiveDatabase,
    ) -> None:
        issue_keys(own_database)
        server = LiveServer(own_database, "server.log", args=("--processes", "2"))
        try:
            server.wait_ready()
            assert len(_server_children(server.process.pid)) == 2, server.log_path.read_text()
            headers = {"Authorization": f"Bearer {own_database.keys['admin']}"}
            with httpx.Client(base_url=server.base, headers=headers, timeout=30) as client:
                for n in range(12):  # new connections: the kernel spreads them over both
                    with httpx.Client(base_url=server.base, headers=headers) as fresh:
                        unit = {"id": f"U{n}", "name": f"单位{n}", "weekday_capacity": [3] * 7}
                        assert fresh.post("/api/v1/units", json=unit).status_code == 201
                units = client.get("/api/v1/units").json()
                assert sorted(u["id"] for u in units) == sorted(f"U{n}" for n in range(12))
            took = server.terminate(timeout_s=60)
        except BaseException:
            server.kill()
            raise
        log = server.log_path.read_text()
        assert took < 15, log
        assert server.process.returncode == 0, log
        assert log.count("Application startup complete.") == 2, log
        assert log.count("Finished server process") == 2, log
        assert "died" not in log  # no child was killed by the supervisor's health check
