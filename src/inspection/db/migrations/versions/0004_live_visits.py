"""live_visits and visit_rollup: the facts the figures count, and their daily sums

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "live_visits",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.Column("town", sa.String(length=100), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("checklist_id", sa.Integer(), nullable=False),
        sa.Column("counts_round", sa.Boolean(), nullable=False),
        sa.Column("merged", sa.Boolean(), nullable=False),
        sa.Column("joint", sa.Boolean(), nullable=False),
        sa.Column("first_of_checklist", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"]),
        sa.ForeignKeyConstraint(["request_id"], ["requests.id"]),
        sa.ForeignKeyConstraint(["round_id"], ["plan_rounds.id"]),
        sa.PrimaryKeyConstraint("request_id"),
    )
    op.create_index("ix_live_visits_round_id", "live_visits", ["round_id"])
    op.create_index("ix_live_visits_credit_code", "live_visits", ["credit_code"])
    op.create_index("ix_live_visits_checklist_id", "live_visits", ["checklist_id"])
    op.create_index("ix_live_visits_day_unit", "live_visits", ["day", "unit_id"])
    op.create_index("ix_live_visits_unit_day", "live_visits", ["unit_id", "day"])
    op.create_index("ix_live_visits_town_day", "live_visits", ["town", "day"])
    op.create_table(
        "visit_rollup",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.Column("town", sa.String(length=100), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("rounds", sa.Integer(), nullable=False),
        sa.Column("merged", sa.Integer(), nullable=False),
        sa.Column("joint_rounds", sa.Integer(), nullable=False),
        sa.Column("checklists", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "unit_id", "town"),
    )
    op.create_index("ix_visit_rollup_unit_day", "visit_rollup", ["unit_id", "day"])
    op.create_index("ix_visit_rollup_town_day", "visit_rollup", ["town", "day"])


def downgrade() -> None:
    op.drop_table("visit_rollup")
    op.drop_table("live_visits")
