"""Migration 0016: procrastinate's job queue schema, pinned to its release, on PostgreSQL only.

The copy the migration executes must be the installed release's own schema (a version
bump without a revision of its migration SQL fails here), a job deferred in a rolled-back
transaction must leave nothing while one in a committed transaction stays (what creating
a plan will rely on), and the downgrade must take every object of the queue away again.
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest
from procrastinate import App, PsycopgConnector
from procrastinate.schema import SchemaManager
from sqlalchemy import Engine, inspect, text
from sqlmodel import Session

from inspection.db.engine import JOB_QUEUE_PREFIX, downgrade, upgrade
from tests.support.backends import postgres_url
from tests.support.paths import PACKAGE

COPY = PACKAGE / "db" / "migrations" / "procrastinate" / "3.10.0.sql"


def _queue_tables(engine: Engine) -> set[str]:
    return {t for t in inspect(engine).get_table_names() if t.startswith(JOB_QUEUE_PREFIX)}


def test_the_pinned_copy_is_the_installed_release_s_schema() -> None:
    version = importlib.metadata.version("procrastinate")
    assert Path(COPY).name == f"{version}.sql", f"procrastinate {version} needs its revision"
    assert COPY.read_text(encoding="utf-8") == SchemaManager.get_schema()


def test_the_queue_exists_on_postgresql_only(engine: Engine) -> None:
    tables = _queue_tables(engine)
    if engine.dialect.name == "postgresql":
        assert {"procrastinate_jobs", "procrastinate_workers", "procrastinate_events"} <= tables
    else:
        assert tables == set()


def _app() -> App:
    # never opened: deferring with a connection uses only that connection
    task_app = App(connector=PsycopgConnector(conninfo="postgresql://unused"))

    @task_app.task(name="plan.solve", queue="plans")
    def solve(plan_id: int) -> None:  # pragma: no cover - only deferred here, never run
        raise AssertionError(plan_id)

    return task_app


# the queue is PostgreSQL's (SQLite plans in-process): these need it, and are not generated
# without it, as the storage tests' PostgreSQL cases (tests/support/backends.py)
ON_POSTGRESQL = pytest.mark.parametrize("engine", ["postgresql"], indirect=True)


if postgres_url():

    @ON_POSTGRESQL
    @pytest.mark.parametrize("commit", [False, True])
    def test_a_job_is_enqueued_with_its_transaction_or_not_at_all(
        engine: Engine, commit: bool
    ) -> None:
        task_app = _app()
        with Session(engine) as session:
            raw = session.connection().connection.driver_connection
            task_app.configure_task("plan.solve", connection=raw).defer(plan_id=7)
            if commit:
                session.commit()
            else:
                session.rollback()
        with engine.connect() as connection:
            jobs = connection.execute(
                text("SELECT task_name, args::text, status FROM procrastinate_jobs")
            ).all()
        expected = [("plan.solve", '{"plan_id": 7}', "todo")] if commit else []
        assert [tuple(j) for j in jobs] == expected

    @ON_POSTGRESQL
    def test_the_downgrade_removes_the_queue_and_the_upgrade_restores_it(engine: Engine) -> None:
        downgrade(engine, "0015")
        assert _queue_tables(engine) == set()
        with engine.connect() as connection:
            left = connection.execute(
                text(
                    "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                    "WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate%'"
                )
            ).scalar_one()
        assert left == 0
        upgrade(engine)
        assert "procrastinate_jobs" in _queue_tables(engine)
