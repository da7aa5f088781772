"""the facts of lawful inspection: catalogue, approval, enterprise classes, caps, quiet days,
rosters and the officers of each round

Checklists stored before were planned as soon as they were submitted: they become
approved (by the migration, at their submission time). Live visits get their
checklist's inspection type, which decides whether they count against a cap.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_TIMESTAMP = sa.DateTime(timezone=True)


def _catalogue() -> None:
    op.create_table(
        "catalogue_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("legal_basis", sa.String(length=500), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("offsite", sa.Boolean(), nullable=False),
        sa.Column("industries", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("edition", sa.Integer(), nullable=True),
        sa.Column("effective_from", sa.Date(), nullable=True),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("updated_at", _TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_id", "code", "revision"),
    )
    op.create_index("ix_catalogue_items_unit_id", "catalogue_items", ["unit_id"])
    op.create_index("ix_catalogue_items_state", "catalogue_items", ["state"])
    op.create_table(
        "catalogue_editions",
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.Column("edition", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("published_at", _TIMESTAMP, nullable=False),
        sa.Column("published_by", sa.String(length=200), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"]),
        sa.PrimaryKeyConstraint("unit_id", "edition"),
    )


def _rules() -> None:
    settings = op.create_table(
        "rule_settings",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("cap_exempt_categories", sa.JSON(), nullable=False),
        sa.Column("no_disturb_exempt_categories", sa.JSON(), nullable=False),
        sa.Column("officers_per_unit", sa.Integer(), nullable=False),
        sa.Column("officer_daily_rounds", sa.Integer(), nullable=False),
        sa.Column("updated_at", _TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    # the national rule's case-driven checks are outside the caps; safety and complaints
    # still reach a no-disturb enterprise (rules.md, local practice)
    op.bulk_insert(
        settings,
        [
            {
                "id": 1,
                "cap_exempt_categories": ["complaint", "referral", "follow_up", "licence"],
                "no_disturb_exempt_categories": ["complaint", "safety"],
                "officers_per_unit": 2,
                "officer_daily_rounds": 2,
            }
        ],
    )
    op.create_table(
        "cap_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=True),
        sa.Column("industry", sa.String(length=100), nullable=False),
        sa.Column("risk_class", sa.String(length=16), nullable=False),
        sa.Column("yearly_limit", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(length=500), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("updated_at", _TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_cap_rules_unit_id", "cap_rules", ["unit_id"])
    op.create_table(
        "quiet_day_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("month_days", sa.JSON(), nullable=False),
        sa.Column("dates", sa.JSON(), nullable=False),
        sa.Column("exempt_categories", sa.JSON(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("updated_at", _TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def _officers() -> None:
    op.create_table(
        "officers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("badge_number", sa.String(length=32), nullable=False),
        sa.Column("certificate_expires", sa.Date(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("updated_at", _TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("badge_number"),
    )
    op.create_index("ix_officers_unit_id", "officers", ["unit_id"])
    op.create_table(
        "officer_days_off",
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"]),
        sa.PrimaryKeyConstraint("officer_id", "day"),
    )
    op.create_table(
        "officer_recusals",
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("recorded_at", _TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"]),
        sa.ForeignKeyConstraint(["credit_code"], ["enterprises.credit_code"]),
        sa.PrimaryKeyConstraint("officer_id", "credit_code"),
    )
    op.create_table(
        "plan_round_officers",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["plan_rounds.id"]),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"]),
        sa.PrimaryKeyConstraint("round_id", "officer_id"),
    )
    op.create_index("ix_plan_round_officers_officer_id", "plan_round_officers", ["officer_id"])


def _columns() -> None:
    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.add_column(sa.Column("risk_class", sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column("risk_source", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("risk_as_of", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("credit_class", sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column("credit_source", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("credit_as_of", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("no_disturb", sa.Boolean(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("no_disturb_source", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("no_disturb_since", sa.Date(), nullable=True))
    with op.batch_alter_table("checklists", schema=None) as batch_op:
        batch_op.add_column(sa.Column("approved_at", _TIMESTAMP, nullable=True))
        batch_op.add_column(sa.Column("approved_by", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("approved_afterwards", sa.Boolean(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("onsite_reason", sa.String(length=500), nullable=True))
    with op.batch_alter_table("checklist_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("catalogue_item_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_checklist_items_catalogue_item_id",
            "catalogue_items",
            ["catalogue_item_id"],
            ["id"],
        )
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("draw_seed", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("live_visits", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("category", sa.String(length=16), nullable=False, server_default="routine")
        )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("unit_head", sa.Boolean(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("officer_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_api_keys_officer_id", "officers", ["officer_id"], ["id"])


def upgrade() -> None:
    _catalogue()
    _rules()
    _officers()
    _columns()
    op.execute(
        "UPDATE checklists SET status = 'approved', approved_at = created_at, "
        "approved_by = 'system:migration' WHERE status = 'submitted'"
    )
    op.execute(
        "UPDATE live_visits SET category = (SELECT checklists.inspection_type FROM checklists "
        "WHERE checklists.id = live_visits.checklist_id)"
    )


def downgrade() -> None:
    op.execute("UPDATE checklists SET status = 'submitted' WHERE status IN ('approved', 'draft')")
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_constraint("fk_api_keys_officer_id", type_="foreignkey")
        batch_op.drop_column("officer_id")
        batch_op.drop_column("unit_head")
    with op.batch_alter_table("live_visits", schema=None) as batch_op:
        batch_op.drop_column("category")
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_column("draw_seed")
    with op.batch_alter_table("checklist_items", schema=None) as batch_op:
        batch_op.drop_constraint("fk_checklist_items_catalogue_item_id", type_="foreignkey")
        batch_op.drop_column("catalogue_item_id")
    with op.batch_alter_table("checklists", schema=None) as batch_op:
        for column in ("onsite_reason", "approved_afterwards", "approved_by", "approved_at"):
            batch_op.drop_column(column)
    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        for column in (
            "no_disturb_since",
            "no_disturb_source",
            "no_disturb",
            "credit_as_of",
            "credit_source",
            "credit_class",
            "risk_as_of",
            "risk_source",
            "risk_class",
        ):
            batch_op.drop_column(column)
    op.drop_index("ix_plan_round_officers_officer_id", table_name="plan_round_officers")
    op.drop_table("plan_round_officers")
    op.drop_table("officer_recusals")
    op.drop_table("officer_days_off")
    op.drop_index("ix_officers_unit_id", table_name="officers")
    op.drop_table("officers")
    op.drop_table("quiet_day_rules")
    op.drop_index("ix_cap_rules_unit_id", table_name="cap_rules")
    op.drop_table("cap_rules")
    op.drop_table("rule_settings")
    op.drop_table("catalogue_editions")
    op.drop_index("ix_catalogue_items_state", table_name="catalogue_items")
    op.drop_index("ix_catalogue_items_unit_id", table_name="catalogue_items")
    op.drop_table("catalogue_items")
