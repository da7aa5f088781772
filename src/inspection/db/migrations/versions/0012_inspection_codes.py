"""inspection codes (检查码): one per published visit, kept across re-plans

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "inspection_codes",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("cancelled_at", _TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(["credit_code"], ["enterprises.credit_code"]),
        sa.ForeignKeyConstraint(["round_id"], ["plan_rounds.id"]),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"]),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_index("ix_inspection_codes_round_id", "inspection_codes", ["round_id"])
    op.create_index(
        "ix_inspection_codes_credit_code_day", "inspection_codes", ["credit_code", "day"]
    )


def downgrade() -> None:
    op.drop_index("ix_inspection_codes_credit_code_day", table_name="inspection_codes")
    op.drop_index("ix_inspection_codes_round_id", table_name="inspection_codes")
    op.drop_table("inspection_codes")
