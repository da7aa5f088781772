"""plan_capacity_shares: what part of a unit's day each plan's district was given

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02

Issue 15 (docs/province-platform.md §7): a city- or province-level unit works in several
districts; before a plan is solved, its capacity (and its officers) of each day are
shared between the districts asking for it (services/planning/shares.py), and the shares
are kept with the plan so the planning view can explain them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_capacity_shares",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("unit_id", sa.String(length=64), sa.ForeignKey("units.id"), nullable=False),
        sa.Column("region_id", sa.Integer(), sa.ForeignKey("regions.id"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("available", sa.Integer(), nullable=False),
        sa.Column("demand", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("officers", sa.JSON(), nullable=False),
        sa.UniqueConstraint(
            "plan_id", "unit_id", "region_id", "day", name="uq_plan_capacity_shares"
        ),
    )
    op.create_index("ix_plan_capacity_shares_plan_id", "plan_capacity_shares", ["plan_id"])


def downgrade() -> None:
    op.drop_index("ix_plan_capacity_shares_plan_id", table_name="plan_capacity_shares")
    op.drop_table("plan_capacity_shares")
