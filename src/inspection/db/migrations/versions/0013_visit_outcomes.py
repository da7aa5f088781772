"""what each visit came to: outcomes per unit, the lead unit's confirmation, ratings;
and what a notice needs: a unit's contact, an item's documents to prepare

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column(
        "units",
        sa.Column("contact", sa.String(length=200), nullable=False, server_default=""),
    )
    op.add_column(
        "catalogue_items",
        sa.Column("documents", sa.String(length=500), nullable=False, server_default=""),
    )
    op.add_column(
        "rule_settings",
        sa.Column("outcome_backfill_days", sa.Integer(), nullable=False, server_default="10"),
    )
    op.create_table(
        "visit_outcomes",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("problems_found", sa.Boolean(), nullable=True),
        sa.Column("problem_note", sa.String(length=500), nullable=False),
        sa.Column("case_opened", sa.Boolean(), nullable=False),
        sa.Column("backfilled", sa.Boolean(), nullable=False),
        sa.Column("backfill_reason", sa.String(length=500), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", _TIMESTAMP, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["code"], ["inspection_codes.code"]),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"]),
        sa.PrimaryKeyConstraint("code", "unit_id"),
    )
    op.create_index("ix_visit_outcomes_unit_day", "visit_outcomes", ["unit_id", "day"])
    op.create_table(
        "visit_confirmations",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("lead_unit_id", sa.String(length=64), nullable=False),
        sa.Column("confirmed_by", sa.String(length=200), nullable=False),
        sa.Column("confirmed_at", _TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["code"], ["inspection_codes.code"]),
        sa.ForeignKeyConstraint(["lead_unit_id"], ["units.id"]),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "visit_ratings",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.String(length=500), nullable=False),
        sa.Column("complaint", sa.String(length=1000), nullable=False),
        sa.Column("rated_at", _TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["code"], ["inspection_codes.code"]),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_index("ix_visit_ratings_day", "visit_ratings", ["day"])


def downgrade() -> None:
    op.drop_index("ix_visit_ratings_day", table_name="visit_ratings")
    op.drop_table("visit_ratings")
    op.drop_table("visit_confirmations")
    op.drop_index("ix_visit_outcomes_unit_day", table_name="visit_outcomes")
    op.drop_table("visit_outcomes")
    op.drop_column("rule_settings", "outcome_backfill_days")
    op.drop_column("catalogue_items", "documents")
    op.drop_column("units", "contact")
