"""checklists.reference: a unit's own number for a checklist, unique per unit

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("checklists", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reference", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            "uq_checklists_unit_id_reference", ["unit_id", "reference"]
        )


def downgrade() -> None:
    with op.batch_alter_table("checklists", schema=None) as batch_op:
        batch_op.drop_constraint("uq_checklists_unit_id_reference", type_="unique")
        batch_op.drop_column("reference")
