"""planning_schedules.last_error and last_error_at: why the last moment made no draft

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02

A weekly schedule whose moment makes no draft (a clash with a plan still running) says why
on the schedule itself, for the coordinator's desk; a later draft clears it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("planning_schedules", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_error", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("last_error_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("planning_schedules", schema=None) as batch_op:
        batch_op.drop_column("last_error_at")
        batch_op.drop_column("last_error")
