"""Migrations under PostgreSQL's advisory lock: N processes starting together upgrade one after
the other (`inspection serve --processes N`, several machines, a one-shot `inspection db
upgrade` beside them), and those that come later find the schema at head.

PostgreSQL only (SQLite's writers take turns on the file); the cases are generated only
when `INSPECTION_TEST_DATABASE_URL` is set, as the storage tests' PostgreSQL cases.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, inspect, make_url, text

from inspection.db.engine import UPGRADE_LOCK_KEY, make_engine, upgrade
from tests.support.backends import postgres_url
from tests.support.paths import PACKAGE

_STARTERS = 4


def _head() -> str:
    script = ScriptDirectory(str(PACKAGE / "db" / "migrations"))
    head = script.get_current_head()
    assert head is not None
    return head


if postgres_url():

    @pytest.fixture
    def fresh_url() -> Iterator[str]:
        """A database of this test's own, created empty (no schema at all) and dropped after."""
        shared = postgres_url()
        assert shared is not None
        own = make_url(shared).set(database=f"{make_url(shared).database}_upgrade_lock")
        admin = create_engine(shared, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{own.database}"'))
        yield own.render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)'))
        admin.dispose()

    def _upgrade_together(engines: list[Engine]) -> list[BaseException | None]:
        """Upgrade every engine at once (each from its thread, released by one barrier)."""
        outcomes: list[BaseException | None] = [None] * len(engines)
        start = threading.Barrier(len(engines))

        def starter(index: int) -> None:
            start.wait()
            try:
                upgrade(engines[index])
            except BaseException as exc:  # reported by the test below
                outcomes[index] = exc

        threads = [threading.Thread(target=starter, args=(i,)) for i in range(len(engines))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        assert not any(t.is_alive() for t in threads), "an upgrade never ended"
        return outcomes

    def test_upgrades_started_together_on_a_fresh_database_all_succeed_with_one_schema(
        fresh_url: str,
    ) -> None:
        engines = [make_engine(fresh_url, pool_size=1, max_overflow=0) for _ in range(_STARTERS)]
        try:
            outcomes = _upgrade_together(engines)
            assert outcomes == [None] * _STARTERS
            with engines[0].connect() as connection:
                versions = connection.execute(text("SELECT version_num FROM alembic_version"))
                assert [row[0] for row in versions] == [_head()]
            # one schema: what one upgrade alone leaves, and nothing twice
            names = inspect(engines[0]).get_table_names()
            assert len(names) == len(set(names))
            assert {"checklists", "plans", "audit_log", "procrastinate_jobs"} <= set(names)
        finally:
            for engine in engines:
                engine.dispose()

    def test_an_upgrade_waits_while_another_holds_the_migration_lock(fresh_url: str) -> None:
        holder = create_engine(fresh_url, isolation_level="AUTOCOMMIT")
        engine = make_engine(fresh_url, pool_size=1, max_overflow=0)
        done = threading.Event()
        try:
            with holder.connect() as connection:
                connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": UPGRADE_LOCK_KEY})

                def upgrade_then_say_so() -> None:
                    upgrade(engine)
                    done.set()

                worker = threading.Thread(target=upgrade_then_say_so)
                worker.start()
                time.sleep(1.5)
                assert not done.is_set(), "the upgrade ran while another held the lock"
                assert "alembic_version" not in inspect(holder).get_table_names()
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": UPGRADE_LOCK_KEY})
            worker.join(timeout=300)
            assert done.is_set()
            with engine.connect() as connection:
                version = connection.execute(text("SELECT version_num FROM alembic_version"))
                assert version.scalar_one() == _head()
        finally:
            engine.dispose()
            holder.dispose()
