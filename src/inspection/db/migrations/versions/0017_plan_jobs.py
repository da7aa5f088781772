"""plans.job_id and plans.attempt: a plan's job on the queue and which run of it may store

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02

On PostgreSQL a plan is solved by an `inspection worker` through procrastinate (issue 15,
docs/province-platform.md §3): `job_id` is the procrastinate job that solves it, and
`attempt` counts the runs that claimed it, so that a retried job (its worker died) and a
late duplicate cannot both store a result: only the run holding the latest attempt may.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("job_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("attempt", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_column("attempt")
        batch_op.drop_column("job_id")
