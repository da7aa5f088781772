"""planning_schedules, plans.origin and plans.scheduled_for: the weekly draft of a region

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02

Issue 15 (docs/province-platform.md §9): a coordinator sets the weekday and time at which
their region's draft for the coming week is made; a periodic job of the workers makes it.
`plans.origin` says who made a plan (`manual` or `schedule`), `plans.scheduled_for` the
moment's date for a scheduled one, unique per region so two workers cannot both make it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "planning_schedules",
        sa.Column("region_id", sa.Integer(), sa.ForeignKey("regions.id"), primary_key=True),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("local_time", sa.Time(), nullable=False),
        sa.Column("horizon_days", sa.Integer(), nullable=False),
        sa.Column("lead_days", sa.Integer(), nullable=False),
        sa.Column("time_limit_s", sa.Float(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("last_fired_for", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
    )
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("origin", sa.String(length=16), nullable=False, server_default="manual")
        )
        batch_op.add_column(sa.Column("scheduled_for", sa.Date(), nullable=True))
        batch_op.create_index(
            "uq_plans_region_scheduled_for", ["region_id", "scheduled_for"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_index("uq_plans_region_scheduled_for")
        batch_op.drop_column("scheduled_for")
        batch_op.drop_column("origin")
    op.drop_table("planning_schedules")
