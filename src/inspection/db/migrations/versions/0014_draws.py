"""random draws of enterprises with commit-reveal (双随机抽查)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "draws",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("algorithm", sa.String(length=64), nullable=False),
        sa.Column("owner_unit_id", sa.String(length=64), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("earliest", sa.Date(), nullable=False),
        sa.Column("latest", sa.Date(), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("quotas", sa.JSON(), nullable=False),
        sa.Column("units", sa.JSON(), nullable=False),
        sa.Column("population", sa.JSON(), nullable=False),
        sa.Column("population_hash", sa.String(length=64), nullable=False),
        sa.Column("commitment", sa.String(length=64), nullable=False),
        sa.Column("seed", sa.String(length=500), nullable=False),
        sa.Column("public_seed", sa.Boolean(), nullable=False),
        sa.Column("revealed_at", _TIMESTAMP, nullable=True),
        sa.Column("revealed_by", sa.String(length=200), nullable=True),
        sa.Column("drawn", sa.JSON(), nullable=True),
        sa.Column("checklist_ids", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["owner_unit_id"], ["units.id"]),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("draws")
