"""plans

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 14:47:16.957001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("horizon_start", sa.Date(), nullable=False),
        sa.Column("horizon_end", sa.Date(), nullable=False),
        sa.Column("time_limit_s", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("stop_requested", sa.Boolean(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("progress", sa.JSON(), nullable=True),
        sa.Column("statistics", sa.JSON(), nullable=True),
        sa.Column("problem_sha256", sa.String(length=64), nullable=True),
        sa.Column("solver_status", sa.String(length=16), nullable=True),
        sa.Column("error", sa.String(length=2000), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plans_status"), ["status"], unique=False)

    op.create_table(
        "plan_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("lead_unit_id", sa.String(length=64), nullable=False),
        sa.Column("units", sa.JSON(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["credit_code"],
            ["enterprises.credit_code"],
        ),
        sa.ForeignKeyConstraint(
            ["lead_unit_id"],
            ["units.id"],
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plan_rounds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_rounds_credit_code"), ["credit_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_plan_rounds_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_rounds_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_round_requests",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["requests.id"],
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["plan_rounds.id"],
        ),
        sa.PrimaryKeyConstraint("round_id", "request_id"),
    )
    op.create_table(
        "plan_unscheduled",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["requests.id"],
        ),
        sa.PrimaryKeyConstraint("plan_id", "request_id"),
    )


def downgrade() -> None:
    op.drop_table("plan_unscheduled")
    op.drop_table("plan_round_requests")
    with op.batch_alter_table("plan_rounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_rounds_plan_id"))
        batch_op.drop_index(batch_op.f("ix_plan_rounds_day"))
        batch_op.drop_index(batch_op.f("ix_plan_rounds_credit_code"))

    op.drop_table("plan_rounds")
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plans_status"))

    op.drop_table("plans")
