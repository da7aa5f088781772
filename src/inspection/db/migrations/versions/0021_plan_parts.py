"""plan_parts and plan_inputs: a city's or province's plan solved district by district

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02

Issue 15 (docs/province-platform.md §8): on the job queue a plan over several districts
is split into one part per district, each solved by a worker of its own, then merged and
its seams repaired. `plan_inputs` keeps the whole problem the plan read (the merge checks
the merged plan against it); `plan_parts` keeps each district's problem, its claim and
its result.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_inputs",
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plans.id"), primary_key=True),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("pinned", sa.Text(), nullable=False),
        sa.Column("announced", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "plan_parts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("region_id", sa.Integer(), sa.ForeignKey("regions.id"), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("job_id", sa.BigInteger(), nullable=True),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("time_limit_s", sa.Float(), nullable=False),
        sa.Column("shared_units", sa.JSON(), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("pinned", sa.Text(), nullable=False),
        sa.Column("relaxed", sa.Text(), nullable=True),
        sa.Column("solution", sa.Text(), nullable=True),
        sa.Column("bounds", sa.JSON(), nullable=True),
        sa.Column("progress", sa.JSON(), nullable=True),
        sa.Column("error", sa.String(length=2000), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("plan_id", "region_id", name="uq_plan_parts_region"),
    )
    op.create_index("ix_plan_parts_plan_id", "plan_parts", ["plan_id"])


def downgrade() -> None:
    op.drop_index("ix_plan_parts_plan_id", table_name="plan_parts")
    op.drop_table("plan_parts")
    op.drop_table("plan_inputs")
