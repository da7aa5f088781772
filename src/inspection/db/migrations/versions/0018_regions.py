"""regions: units, enterprises, plans and keys belong to a region; one active plan per region

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02

Issue 15 (docs/province-platform.md §6): `regions` (行政区划: district, city, province) with
the materialised path of codes; `region_id` on units, enterprises and plans (NOT NULL), and
on api_keys (NULL: the whole platform). The backfill makes one district region, code
`000000` (until `inspection regions import` names the real one), called after
`INSPECTION_DISTRICT_NAME` (default 清城区), and puts every existing row in it, so a service
with one district behaves as before. `uq_plans_active_horizon` keeps one queued, running or
storing plan per region and horizon, also against two inserted at once.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

DEFAULT_CODE = "000000"
ACTIVE = "status IN ('queued', 'running', 'storing')"
# tables whose rows all belong to a region, and the one whose rows may (a key of the platform)
REQUIRED = ("units", "enterprises", "plans")


def _district_name() -> str:
    # as Settings.district_name reads it; a migration must not import the package's settings
    return os.environ.get("INSPECTION_DISTRICT_NAME", "").strip() or "清城区"


def upgrade() -> None:
    regions = op.create_table(
        "regions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["regions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
        sa.UniqueConstraint("path"),
    )
    op.create_index("ix_regions_parent_id", "regions", ["parent_id"])
    op.bulk_insert(
        regions,
        [
            {
                "id": 1,
                "code": DEFAULT_CODE,
                "name": _district_name(),
                "level": "district",
                "parent_id": None,
                "path": DEFAULT_CODE,
            }
        ],
    )
    if op.get_bind().dialect.name == "postgresql":
        # the explicit id 1 left the sequence behind it
        op.execute("SELECT setval(pg_get_serial_sequence('regions', 'id'), 1)")
    for table in (*REQUIRED, "api_keys"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("region_id", sa.Integer(), nullable=True))
    for table in REQUIRED:
        op.execute(f"UPDATE {table} SET region_id = 1")  # table names above
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("region_id", existing_type=sa.Integer(), nullable=False)
            batch_op.create_foreign_key(
                f"fk_{table}_region_id_regions", "regions", ["region_id"], ["id"]
            )
            batch_op.create_index(f"ix_{table}_region_id", ["region_id"])
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.create_foreign_key(
            "fk_api_keys_region_id_regions", "regions", ["region_id"], ["id"]
        )
    op.create_index(
        "uq_plans_active_horizon",
        "plans",
        ["region_id", "horizon_start", "horizon_end"],
        unique=True,
        sqlite_where=sa.text(ACTIVE),
        postgresql_where=sa.text(ACTIVE),
    )


def downgrade() -> None:
    op.drop_index("uq_plans_active_horizon", table_name="plans")
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_constraint("fk_api_keys_region_id_regions", type_="foreignkey")
        batch_op.drop_column("region_id")
    for table in REQUIRED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_region_id")
            batch_op.drop_constraint(f"fk_{table}_region_id_regions", type_="foreignkey")
            batch_op.drop_column("region_id")
    op.drop_index("ix_regions_parent_id", table_name="regions")
    op.drop_table("regions")
