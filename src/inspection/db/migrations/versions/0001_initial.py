"""initial schema: units, enterprises, checklists, requests

Revision ID: 0001
Revises:
Create Date: 2026-11-25 14:35:41.987458
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "enterprises",
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("town", sa.String(length=100), nullable=False),
        sa.Column("industry", sa.String(length=100), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("credit_code"),
    )
    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enterprises_town"), ["town"], unique=False)

    op.create_table(
        "units",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("weekday_capacity", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "checklists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("inspection_type", sa.String(length=16), nullable=False),
        sa.Column("earliest", sa.Date(), nullable=False),
        sa.Column("latest", sa.Date(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["units.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("checklists", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checklists_earliest"), ["earliest"], unique=False)
        batch_op.create_index(batch_op.f("ix_checklists_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_checklists_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "enterprise_blackouts",
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["credit_code"],
            ["enterprises.credit_code"],
        ),
        sa.PrimaryKeyConstraint("credit_code", "day"),
    )
    op.create_table(
        "unit_days_off",
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["units.id"],
        ),
        sa.PrimaryKeyConstraint("unit_id", "day"),
    )
    op.create_table(
        "checklist_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checklist_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("legal_basis", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["checklist_id"],
            ["checklists.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("checklist_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_checklist_items_checklist_id"), ["checklist_id"], unique=False
        )

    op.create_table(
        "requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checklist_id", sa.Integer(), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.ForeignKeyConstraint(
            ["checklist_id"],
            ["checklists.id"],
        ),
        sa.ForeignKeyConstraint(
            ["credit_code"],
            ["enterprises.credit_code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("checklist_id", "credit_code"),
    )
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_requests_checklist_id"), ["checklist_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_requests_credit_code"), ["credit_code"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_requests_credit_code"))
        batch_op.drop_index(batch_op.f("ix_requests_checklist_id"))

    op.drop_table("requests")
    with op.batch_alter_table("checklist_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checklist_items_checklist_id"))

    op.drop_table("checklist_items")
    op.drop_table("unit_days_off")
    op.drop_table("enterprise_blackouts")
    with op.batch_alter_table("checklists", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checklists_unit_id"))
        batch_op.drop_index(batch_op.f("ix_checklists_status"))
        batch_op.drop_index(batch_op.f("ix_checklists_earliest"))

    op.drop_table("checklists")
    op.drop_table("units")
    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enterprises_town"))

    op.drop_table("enterprises")
