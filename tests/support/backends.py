"""Database back-ends for storage tests: SQLite always, PostgreSQL when configured.

`INSPECTION_TEST_DATABASE_URL` names a PostgreSQL database the tests may wipe
(`.ci/run` sets it to this machine's server). When it is set, the PostgreSQL
cases are generated and must pass; when it is not, they are not generated at
all, so nothing is reported as skipped-but-passing.
"""

from __future__ import annotations

import os

from sqlalchemy import Engine, text

__all__ = ["BACKENDS", "postgres_url", "wipe_postgres"]


def postgres_url() -> str | None:
    """The PostgreSQL URL the tests may use, if any."""
    return os.environ.get("INSPECTION_TEST_DATABASE_URL") or None


BACKENDS = ["sqlite", *(["postgresql"] if postgres_url() else [])]


def wipe_postgres(engine: Engine) -> None:
    """Drop everything in the PostgreSQL database's public schema."""
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
