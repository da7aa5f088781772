"""publication_turn: the one row every publication updates first, so publications queue

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publication_turn",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("turns", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO publication_turn (id, turns) VALUES (1, 0)")


def downgrade() -> None:
    op.drop_table("publication_turn")
