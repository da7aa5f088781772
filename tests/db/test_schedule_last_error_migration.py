"""Migration 0022 adds planning_schedules.last_error and last_error_at, and takes them away."""

from __future__ import annotations

from sqlalchemy import Engine, inspect

from inspection.db.engine import downgrade, upgrade


def _columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("planning_schedules")}


def test_the_columns_come_with_0022_and_go_with_its_downgrade(engine: Engine) -> None:
    assert {"last_error", "last_error_at"} <= _columns(engine)
    downgrade(engine, "0021")
    assert not {"last_error", "last_error_at"} & _columns(engine)
    upgrade(engine)
    assert {"last_error", "last_error_at"} <= _columns(engine)
