"""plan_rounds.revision and plan_rounds.revised_in: an announced round's changes, for calendars

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # rounds stored before: as if first planned in their own plan (revision 0, own content)
    with op.batch_alter_table("plan_rounds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("revised_in", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_plan_rounds_revised_in", "plans", ["revised_in"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("plan_rounds", schema=None) as batch_op:
        batch_op.drop_constraint("fk_plan_rounds_revised_in", type_="foreignkey")
        batch_op.drop_column("revised_in")
        batch_op.drop_column("revision")
