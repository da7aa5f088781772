"""the carried-out sums per day, unit and town (outcome_rollup), filled from the outcomes

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02

The fill is the carried-out rule as it stands at this revision
(services/figures/carried_out.py `unit_parts` summed by `outcome_measures`), written
out in SQL because a migration must not change with the code after it. From here on the
rows are kept by services/figures/outcome_rollup.py; tests/db/test_outcome_rollup_migration.py
checks that this fill equals what that module builds.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

MEASURES = (
    "outcome_requests",
    "outcome_rounds",
    "final_requests",
    "final_rounds",
    "rounds_carried_out",
    "requests_carried_out",
    "rounds_awaiting_confirmation",
    "rounds_not_carried_out",
    "unit_parts_carried_out",
    "unit_parts_with_problems",
    "cases_opened",
)

# one row per unit part (a live round's unit) of the rounds with outcomes, the rule applied
FILL = """
INSERT INTO outcome_rollup (day, unit_id, town, {measures})
WITH grouped AS (
    SELECT lv.round_id, lv.unit_id, c.code,
           MIN(lv.day) AS day, MIN(lv.town) AS town, COUNT(*) AS requests,
           MIN(lv.request_id) AS first_request,
           MAX(CASE WHEN lv.counts_round THEN 1 ELSE 0 END) AS has_counted
    FROM live_visits lv
    JOIN inspection_codes c ON c.round_id = lv.round_id
    WHERE c.cancelled_at IS NULL AND c.code IN (SELECT code FROM visit_outcomes)
    GROUP BY lv.round_id, lv.unit_id, c.code
), parts AS (
    SELECT g.*,
           CASE WHEN o.status IS NOT NULL THEN 1 ELSE 0 END AS recorded,
           CASE WHEN o.status = 'carried_out' THEN 1 ELSE 0 END AS carried,
           CASE WHEN o.problems_found THEN 1 ELSE 0 END AS problems,
           CASE WHEN o.case_opened THEN 1 ELSE 0 END AS case_opened
    FROM grouped g
    LEFT JOIN visit_outcomes o ON o.code = g.code AND o.unit_id = g.unit_id
), rounds AS (
    SELECT round_id, COUNT(*) AS units, SUM(recorded) AS recorded, SUM(carried) AS carried,
           MAX(has_counted * carried) AS lead_carried,
           MIN(CASE WHEN carried = 1 THEN first_request END) AS first_carried
    FROM parts GROUP BY round_id
), stated AS (
    SELECT p.*, r.lead_carried, r.first_carried,
           CASE
               WHEN r.recorded = 0 THEN 'announced'
               WHEN f.code IS NOT NULL AND r.carried > 0 THEN 'carried_out'
               WHEN r.carried = 0 AND r.recorded = r.units THEN 'not_carried_out'
               ELSE 'awaiting_confirmation'
           END AS state
    FROM parts p
    JOIN rounds r ON r.round_id = p.round_id
    LEFT JOIN visit_confirmations f ON f.code = p.code
), flagged AS (
    SELECT s.*,
           CASE WHEN s.state = 'carried_out' AND s.carried = 1 THEN 1 ELSE 0 END AS carried_part,
           CASE WHEN s.state = 'carried_out' AND s.carried = 1 AND (
                    (s.lead_carried = 1 AND s.has_counted = 1)
                    OR (s.lead_carried = 0 AND s.first_request = s.first_carried))
                THEN 1 ELSE 0 END AS counted_carried
    FROM stated s
), sums AS (
    SELECT day, unit_id, town,
           SUM(CASE WHEN state <> 'announced' THEN requests ELSE 0 END) AS outcome_requests,
           SUM(CASE WHEN state <> 'announced' THEN has_counted ELSE 0 END) AS outcome_rounds,
           SUM(CASE WHEN state IN ('carried_out', 'not_carried_out') THEN requests ELSE 0 END)
               AS final_requests,
           SUM(CASE WHEN state IN ('carried_out', 'not_carried_out') THEN has_counted ELSE 0 END)
               AS final_rounds,
           SUM(counted_carried) AS rounds_carried_out,
           SUM(CASE WHEN carried_part = 1 THEN requests ELSE 0 END) AS requests_carried_out,
           SUM(CASE WHEN state = 'awaiting_confirmation' THEN has_counted ELSE 0 END)
               AS rounds_awaiting_confirmation,
           SUM(CASE WHEN state = 'not_carried_out' THEN has_counted ELSE 0 END)
               AS rounds_not_carried_out,
           SUM(carried_part) AS unit_parts_carried_out,
           SUM(CASE WHEN carried_part = 1 THEN problems ELSE 0 END) AS unit_parts_with_problems,
           SUM(CASE WHEN carried_part = 1 THEN case_opened ELSE 0 END) AS cases_opened
    FROM flagged GROUP BY day, unit_id, town
)
SELECT day, unit_id, town, {measures} FROM sums WHERE {any_measure}
"""


def fill_statement() -> str:
    """The INSERT that fills the rollup from the stored outcomes (run on an empty table)."""
    measures = ", ".join(MEASURES)
    any_measure = " + ".join(MEASURES) + " > 0"
    return FILL.format(measures=measures, any_measure=any_measure)


def upgrade() -> None:
    op.create_table(
        "outcome_rollup",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.Column("town", sa.String(length=100), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in MEASURES),
        sa.PrimaryKeyConstraint("day", "unit_id", "town"),
    )
    op.create_index("ix_outcome_rollup_unit_day", "outcome_rollup", ["unit_id", "day"])
    op.create_index("ix_outcome_rollup_town_day", "outcome_rollup", ["town", "day"])
    op.execute(sa.text(fill_statement()))


def downgrade() -> None:
    op.drop_index("ix_outcome_rollup_town_day", table_name="outcome_rollup")
    op.drop_index("ix_outcome_rollup_unit_day", table_name="outcome_rollup")
    op.drop_table("outcome_rollup")
