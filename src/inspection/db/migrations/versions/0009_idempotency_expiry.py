"""idempotency_keys: an index on created_at (expired records are purged); stored secrets dropped

Answers stored before this revision for `POST /keys` and `POST /units/{id}/feed-token` held
the issued key in plain text: they are deleted (those routes no longer take an
Idempotency-Key), and so is every record kept for a caller that sent no valid key.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "DELETE FROM idempotency_keys WHERE method_path LIKE 'POST /api/v1/keys?%' "
        "OR method_path LIKE 'POST /api/v1/units/%/feed-token?%'"
    )
    # records are now scoped to a key's id ("key-<id>"); the old ones (a hash of the
    # Authorization header, whoever sent it) can never be replayed again
    op.execute("DELETE FROM idempotency_keys WHERE principal NOT LIKE 'key-%'")
    op.create_index(
        "ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_idempotency_keys_created_at", table_name="idempotency_keys")
