"""The demo's database outlives restarts: `inspection demo` keeps an existing one, `--reset`
rebuilds it, and refuses (one line, exit 2) while a server runs on it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from inspection.cli import app
from inspection.db.engine import make_engine
from inspection.db.files import rebuilding
from inspection.services.access import Actor, Role
from inspection.services.trust.keys import create_key, list_keys
from tests.support.live_server import LiveDatabase, LiveServer, api_client
from tests.support.paths import ROOT

runner = CliRunner()
_KEPT = "work done since the demo"


def _demo(data_dir: Path, *extra: str) -> tuple[int, str]:
    result = runner.invoke(app, ["demo", "--data-dir", str(data_dir), "--time-limit", "2", *extra])
    return result.exit_code, result.output


def _mark(data_dir: Path) -> str:
    """Some work done in the demo's database after it was built: a key; the key."""
    engine = make_engine(f"sqlite:///{data_dir / 'inspection.db'}")
    try:
        with Session(engine) as session:
            return create_key(
                session, Actor(name="test", role=Role.ADMIN), Role.AUDITOR, name=_KEPT
            ).key
    finally:
        engine.dispose()


def _kept(data_dir: Path) -> bool:
    engine = make_engine(f"sqlite:///{data_dir / 'inspection.db'}")
    try:
        with Session(engine) as session:
            return any(key.name == _KEPT for key in list_keys(session))
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder the demo built once, with some later work in it."""
    data_dir = tmp_path_factory.mktemp("demo") / "data"
    code, output = _demo(data_dir)
    assert code == 0, output
    _mark(data_dir)
    return data_dir


def test_a_second_demo_keeps_the_database_and_says_so(demo_dir: Path) -> None:
    code, output = _demo(demo_dir)
    assert code == 0, output
    assert "已存在" in output
    assert "--reset" in output
    assert "份检查清单" not in output  # nothing imported again
    assert _kept(demo_dir)


def test_the_reset_is_refused_while_a_server_runs_on_the_database(demo_dir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTION_")}
    env["INSPECTION_DATA_DIR"] = str(demo_dir)
    database = LiveDatabase(url="", env=env, folder=demo_dir)
    server = LiveServer(database, "server.log")
    key = ""
    try:
        server.wait_ready()
        key = _mark(demo_dir)
        code, output = _demo(demo_dir, "--reset")
        assert code == 2, output
        assert output.strip().count("\n") == 0, output
        assert "inspection serve" in output
        # the database under the server is untouched and still serves
        assert _kept(demo_dir)
        with api_client(server, key) as client:
            assert client.get("/api/v1/me").json()["role"] == "auditor"
    finally:
        server.kill()
    # the lock went with the (killed) server: the reset now runs
    code, output = _demo(demo_dir, "--reset")
    assert code == 0, output
    assert "109 份检查清单" in output
    assert not _kept(demo_dir)


def _make_dry_run(target: str) -> str:
    done = subprocess.run(
        ["make", "-n", target], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_make_serve_keeps_the_database_and_make_demo_reset_rebuilds_it() -> None:
    serve = _make_dry_run("serve")
    assert "inspection demo" in serve
    assert "--reset" not in serve
    assert "inspection serve" in serve
    assert "inspection demo" in _make_dry_run("demo-reset")
    assert "--reset" in _make_dry_run("demo-reset")


def test_a_server_does_not_start_on_a_database_being_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSPECTION_DATA_DIR", str(tmp_path))
    # (without the lock it would stop later, for want of an admin key, having made a database)
    with rebuilding(tmp_path):
        result = runner.invoke(app, ["serve"])
    assert result.exit_code == 2, result.output
    assert result.output.strip().count("\n") == 0, result.output
    assert "inspection demo" in result.output
    assert not (tmp_path / "inspection.db").exists()
