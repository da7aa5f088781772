"""Storage on SQLite and PostgreSQL: migrations, repository, constraints, atomicity."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from inspection.db import repository
from inspection.db.engine import make_engine, tables_of_the_service
from inspection.db.tables import ChecklistRow, EnterpriseRow, UnitRow
from inspection.settings import Settings

CODES = ("91441802MA4UL1AB2X", "91441802MA4UL1AC0X")


def _seed(session: Session) -> None:
    repository.add_unit(
        session, UnitRow(id="SCJG", name="区市场监督管理局", weekday_capacity=[3, 3, 3, 3, 2, 0, 0])
    )
    for number, code in enumerate(CODES):
        repository.add_enterprise(
            session,
            EnterpriseRow(
                credit_code=code, name=f"清远市某某食品有限公司{number}", town="凤城街道"
            ),
        )


def _checklist(title: str = "食品安全专项检查") -> ChecklistRow:
    now = datetime.now(UTC)
    return ChecklistRow(
        unit_id="SCJG",
        title=title,
        inspection_type="routine",
        earliest=date(2024, 6, 3),
        latest=date(2024, 6, 7),
        created_at=now,
        updated_at=now,
    )


def test_upgrade_creates_every_table(engine: Engine) -> None:
    names = set(inspect(engine).get_table_names())
    assert {
        "units",
        "unit_days_off",
        "enterprises",
        "enterprise_blackouts",
        "checklists",
        "checklist_items",
        "requests",
        "plans",
        "plan_rounds",
        "plan_round_requests",
        "plan_unscheduled",
        "alembic_version",
    } <= names


def test_checklist_round_trip(engine: Engine) -> None:
    with Session(engine) as session:
        _seed(session)
        items = [("食品经营许可情况", "《中华人民共和国食品安全法》第三十五条")]
        saved = repository.add_checklist(session, _checklist(), items, list(CODES))
        session.commit()
        checklist_id = saved.id
    assert checklist_id is not None
    with Session(engine) as session:
        loaded = repository.get_checklist(session, checklist_id)
        assert loaded is not None
        assert loaded.title == "食品安全专项检查"
        assert loaded.earliest == date(2024, 6, 3)
        assert [i.legal_basis for i in repository.checklist_items(session, checklist_id)] == [
            "《中华人民共和国食品安全法》第三十五条"
        ]
        targets = [r.credit_code for r in repository.checklist_requests(session, checklist_id)]
        assert sorted(targets) == sorted(CODES)
        unit = repository.get_unit(session, "SCJG")
        assert unit is not None
        assert unit.weekday_capacity == [3, 3, 3, 3, 2, 0, 0]
        assert [c.id for c in repository.list_checklists(session, unit_id="SCJG")] == [checklist_id]
        assert repository.list_checklists(session, status="withdrawn") == []


def test_duplicate_target_is_refused_and_nothing_is_half_written(engine: Engine) -> None:
    with Session(engine) as session:
        _seed(session)
        session.commit()
    with Session(engine) as session, pytest.raises(IntegrityError):
        repository.add_checklist(session, _checklist(), [("甲", "乙")], [CODES[0], CODES[0]])
    with Session(engine) as session:
        assert repository.list_checklists(session) == []


def test_unknown_enterprise_is_refused(engine: Engine) -> None:
    with Session(engine) as session:
        _seed(session)
        session.commit()
    with Session(engine) as session, pytest.raises(IntegrityError):
        repository.add_checklist(session, _checklist(), [], ["91441802000000000X"])


def test_sqlite_file_runs_in_wal_with_full_sync(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'x.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_settings_default_to_the_sqlite_file_in_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSPECTION_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("INSPECTION_DATABASE_URL", raising=False)
    assert Settings().resolved_database_url() == f"sqlite:///{tmp_path / 'inspection.db'}"
    monkeypatch.setenv("INSPECTION_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1/test")
    assert Settings().resolved_database_url().startswith("postgresql+psycopg://")


def test_migrations_match_the_tables(engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_name": tables_of_the_service}
        )
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []
