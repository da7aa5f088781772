"""procrastinate's job queue schema (PostgreSQL only), from a copy pinned to its release

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02

Planning jobs run on workers through procrastinate on PostgreSQL (issue 15,
docs/province-platform.md). A migration must not change with the installed package,
so this one executes the copy of procrastinate 3.10.0's `schema.sql` kept beside the
migrations (tests/db/test_job_queue_schema.py checks it against the installed release);
a later release comes as its own revision with that release's migration SQL. SQLite
(the embedded default) runs plans in-process and gets nothing.
"""

from __future__ import annotations

from pathlib import Path

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

SCHEMA = Path(__file__).resolve().parent.parent / "procrastinate" / "3.10.0.sql"

# every object the schema creates is named procrastinate_*: drop functions first (triggers
# go with their tables), then the tables, then the types
_DROP_ALL = """
DO $$
DECLARE found record;
BEGIN
    FOR found IN SELECT p.oid::regprocedure AS name FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate\\_%'
    LOOP EXECUTE 'DROP FUNCTION ' || found.name || ' CASCADE'; END LOOP;
    FOR found IN SELECT tablename FROM pg_tables
        WHERE schemaname = current_schema() AND tablename LIKE 'procrastinate\\_%'
    LOOP EXECUTE 'DROP TABLE ' || quote_ident(found.tablename) || ' CASCADE'; END LOOP;
    FOR found IN SELECT t.typname FROM pg_type t
        JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = current_schema() AND t.typname LIKE 'procrastinate\\_%'
            AND t.typtype IN ('e', 'c')
    LOOP EXECUTE 'DROP TYPE ' || quote_ident(found.typname) || ' CASCADE'; END LOOP;
END $$;
"""


def _execute_raw(sql: str) -> None:
    # through the driver, in the migration's transaction: the schema's `%` and `:` are SQL,
    # not bind parameters
    op.get_bind().connection.driver_connection.execute(sql)  # type: ignore[union-attr]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _execute_raw(SCHEMA.read_text(encoding="utf-8"))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _execute_raw(_DROP_ALL)
