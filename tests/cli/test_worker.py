"""`inspection worker` needs PostgreSQL; `INSPECTION_JOBS=queue` on SQLite is a bad setting."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from inspection.cli import app
from inspection.settings import Settings

runner = CliRunner()


def test_a_worker_on_sqlite_refuses_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INSPECTION_DATABASE_URL", raising=False)
    monkeypatch.setenv("INSPECTION_DATA_DIR", str(tmp_path))
    result = runner.invoke(app, ["worker"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: inspection worker 需要 PostgreSQL（INSPECTION_DATABASE_URL）"
    ]


def test_the_queue_on_sqlite_is_a_settings_error_named_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INSPECTION_DATABASE_URL", raising=False)
    monkeypatch.setenv("INSPECTION_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("INSPECTION_JOBS", "queue")
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "INSPECTION_JOBS=queue 需要 PostgreSQL" in lines[0]


@pytest.mark.parametrize(
    ("jobs", "url", "queue"),
    [
        ("auto", "postgresql+psycopg://u@h/db", True),
        ("auto", "", False),
        ("in-process", "postgresql+psycopg://u@h/db", False),
        ("queue", "postgresql+psycopg://u@h/db", True),
    ],
)
def test_auto_means_the_queue_on_postgresql_only(jobs: str, url: str, queue: bool) -> None:
    settings = Settings(jobs=jobs, database_url=url)  # type: ignore[arg-type]
    assert settings.uses_queue() is queue
