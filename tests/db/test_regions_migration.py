"""Migration 0018 puts every unit, enterprise and plan of a database in one district region
named after the district setting; keys stay the whole platform's."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from inspection.db.engine import downgrade, upgrade
from tests.support.data import FACTORY


def test_the_backfill_puts_every_row_in_one_district(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    downgrade(engine, "0017")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO units (id, name, weekday_capacity, contact) "
                "VALUES ('SCJG', '区市场监督管理局', '[3,3,3,3,3,0,0]', '')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO enterprises (credit_code, name, town, industry, address, no_disturb,"
                " risk_source, credit_source, no_disturb_source) "
                f"VALUES ('{FACTORY}', '食品厂', '石角镇', '', '', false, '', '', '')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO plans (horizon_start, horizon_end, time_limit_s, status,"
                " stop_requested, created_at, attempt) "
                "VALUES ('2024-06-03', '2024-06-09', 5, 'queued', false, '2024-06-01', 0)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO api_keys (name, role, unit_head, key_hash, prefix, created_at) "
                "VALUES ('k', 'coordinator', false, 'h', 'p', '2024-06-01')"
            )
        )
    monkeypatch.setenv("INSPECTION_DISTRICT_NAME", "英德市")
    upgrade(engine)
    with engine.begin() as connection:
        regions = connection.execute(text("SELECT id, code, name, level, path FROM regions"))
        assert [tuple(r) for r in regions] == [(1, "000000", "英德市", "district", "000000")]
        for table in ("units", "enterprises", "plans"):
            assert connection.execute(text(f"SELECT region_id FROM {table}")).scalars().all() == [1]
        keys = connection.execute(text("SELECT region_id FROM api_keys")).scalars().all()
        assert keys == [None]
    with pytest.raises(IntegrityError), engine.begin() as connection:
        # uq_plans_active_horizon: a second active plan of the same region and days
        connection.execute(
            text(
                "INSERT INTO plans (region_id, horizon_start, horizon_end, time_limit_s, status,"
                " stop_requested, created_at, attempt) "
                "VALUES (1, '2024-06-03', '2024-06-09', 5, 'running', false, '2024-06-01', 0)"
            )
        )
    with engine.begin() as connection:  # an ended plan of the same days is no clash
        connection.execute(
            text(
                "INSERT INTO plans (region_id, horizon_start, horizon_end, time_limit_s, status,"
                " stop_requested, created_at, attempt) "
                "VALUES (1, '2024-06-03', '2024-06-09', 5, 'finished', false, '2024-06-01', 0)"
            )
        )
    downgrade(engine, "0017")
    upgrade(engine)
