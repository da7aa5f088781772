"""Database back-ends for storage tests: SQLite always, PostgreSQL when configured.

`INSPECTION_TEST_DATABASE_URL` names a PostgreSQL database the tests may wipe
(`.ci/run` sets it to this machine's server). When it is set, the PostgreSQL
cases are generated and must pass; when it is not, they are not generated at
all, so nothing is reported as skipped-but-passing.
"""

from __future__ import annotations

import os

__all__ = ["BACKENDS", "postgres_url"]


def postgres_url() -> str | None:
    """The PostgreSQL URL the tests may use, if any."""
    return os.environ.get("INSPECTION_TEST_DATABASE_URL") or None


BACKENDS = ["sqlite", *(["postgresql"] if postgres_url() else [])]
